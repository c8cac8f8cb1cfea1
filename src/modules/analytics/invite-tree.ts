import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { displayNames } from "../identity/identity.service.js";
import type { ReportQuery } from "./filters.js";

/** The most nodes one answer carries (the graph stays readable; `truncated` says when there were more). */
export const MAX_TREE_NODES = 500;
/** Roots shown when no root or campaign is asked for. */
const TOP_ROOTS = 10;

export interface TreeNode {
  userId: string;
  displayName: string;
  /** 0 for a root. */
  depth: number;
  /** The node's inviter in the answer (null for a root). */
  inviterId: string | null;
  /** GMV of the user's own orders paid in the range, net of refunds. */
  revenue: number;
  /** Direct invitees (within the campaign, when one is asked for). */
  invitees: number;
}

/** The roots of the trees with the most people (a root invited people but was invited by no one). */
async function biggestRoots(db: Db): Promise<string[]> {
  const rows = await sql<{ root_id: string }>`
    select root_id from analytics_users where root_id is not null
    group by root_id order by count(*) desc, root_id limit ${TOP_ROOTS}`.execute(db);
  return rows.rows.map((r) => r.root_id);
}

/** Inviters of the campaign's sign-ups who did not sign up through the campaign themselves. */
async function campaignRoots(db: Db, campaignId: string): Promise<string[]> {
  const rows = await sql<{ root: string }>`
    select distinct u.inviter_id as root from analytics_users u
    where u.campaign_id = ${campaignId} and u.inviter_id is not null
      and not exists (select 1 from analytics_users p where p.user_id = u.inviter_id and p.campaign_id = ${campaignId})
    order by 1`.execute(db);
  return rows.rows.map((r) => r.root);
}

/**
 * The invite tree (邀请树) under a user, under the inviters of a campaign's sign-ups (following only
 * sign-ups through the campaign), or under the biggest trees' roots: breadth first, one indexed query
 * per level, until `depth` levels or MAX_TREE_NODES nodes.
 */
export async function inviteTree(db: Db, q: ReportQuery, opts: { rootUserId?: string; campaignId?: string; depth: number }): Promise<{ nodes: TreeNode[]; truncated: boolean }> {
  const roots = opts.rootUserId ? [opts.rootUserId] : opts.campaignId ? await campaignRoots(db, opts.campaignId) : await biggestRoots(db);
  const inCampaign: RawBuilder<unknown> = opts.campaignId ? sql`and u.campaign_id = ${opts.campaignId}` : sql``;
  const found: { userId: string; inviterId: string | null; depth: number }[] = roots.slice(0, MAX_TREE_NODES).map((userId) => ({ userId, inviterId: null, depth: 0 }));
  let truncated = roots.length > MAX_TREE_NODES;
  let frontier = found.map((n) => n.userId);
  for (let depth = 1; depth <= opts.depth && frontier.length > 0 && !truncated; depth++) {
    const room = MAX_TREE_NODES - found.length;
    const level = await sql<{ user_id: string; inviter_id: string }>`
      select u.user_id, u.inviter_id from analytics_users u where u.inviter_id = any(${frontier}::text[]) ${inCampaign}
      order by u.inviter_id, u.user_id limit ${room + 1}`.execute(db);
    truncated = level.rows.length > room;
    const kept = level.rows.slice(0, room);
    found.push(...kept.map((r) => ({ userId: r.user_id, inviterId: r.inviter_id, depth })));
    frontier = kept.map((r) => r.user_id);
  }
  const ids = found.map((n) => n.userId);
  if (ids.length === 0) return { nodes: [], truncated: false };
  const revenue = await sql<{ user_id: string; gmv: number }>`
    select o.user_id, sum(o.payable - o.refunded)::bigint as gmv from analytics_orders o
    where o.user_id = any(${ids}::text[]) and o.paid_day between ${q.from}::date and ${q.to}::date and o.refunded < o.payable
    group by o.user_id`.execute(db);
  const invitees = await sql<{ inviter_id: string; n: number }>`
    select u.inviter_id, count(*)::bigint as n from analytics_users u where u.inviter_id = any(${ids}::text[]) ${inCampaign}
    group by u.inviter_id`.execute(db);
  const names = await displayNames(db, ids);
  const revenueOf = new Map(revenue.rows.map((r) => [r.user_id, Number(r.gmv)]));
  const inviteesOf = new Map(invitees.rows.map((r) => [r.inviter_id, Number(r.n)]));
  return {
    nodes: found.map((n) => ({
      userId: n.userId,
      displayName: names.get(n.userId) ?? "",
      depth: n.depth,
      inviterId: n.inviterId,
      revenue: revenueOf.get(n.userId) ?? 0,
      invitees: inviteesOf.get(n.userId) ?? 0,
    })),
    truncated,
  };
}
