import crypto from "node:crypto";
import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import { DAY } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { notFound } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { displayNames } from "../identity/identity.service.js";
import { shareByToken } from "../sharing/sharing.service.js";
import type { BoundVia } from "./referral.tables.js";

/** Codes people read aloud and type: no 0/O, 1/I/L. */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 8;
/** How long a click on an invite link still binds a device that registers without passing the code. */
export const INVITE_LINK_WINDOW = 7 * DAY;
/** The invite tree endpoint answers at most this many nodes (the counts are always complete). */
export const MAX_TREE_NODES = 500;

const newCode = () => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)]).join("");
const normalise = (code: string) => code.trim().toUpperCase();
const containsUser = (userId: string) => sql<boolean>`path @> array[${userId}]::text[]`;

/** The user's invite code, created on first call. */
export async function inviteCodeOf(db: Db, userId: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await db.selectFrom("referral_members").select("invite_code").where("user_id", "=", userId).executeTakeFirst();
    if (existing) return existing.invite_code;
    // A clash on the code (or a concurrent first call) inserts nothing; the next round sees which.
    await db
      .insertInto("referral_members")
      .values({ user_id: userId, invite_code: newCode(), inviter_id: null, path: [], depth: 0, bound_via: null, bound_at: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  throw new Error(`could not allocate an invite code for ${userId}`);
}

/** The direct inviter (level 1), or null. */
export async function inviterOf(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom("referral_members").select("inviter_id").where("user_id", "=", userId).executeTakeFirst();
  return row?.inviter_id ?? null;
}

/** Up to `levels` ancestors, nearest first: [inviter, inviter's inviter, …]. */
export async function uplineOf(db: Db, userId: string, levels: number): Promise<string[]> {
  if (levels <= 0) return [];
  const row = await db.selectFrom("referral_members").select("path").where("user_id", "=", userId).executeTakeFirst();
  return (row?.path ?? []).slice(-levels).reverse();
}

/** The owner of an invite code, or null for a code nobody has. */
export async function inviterByCode(db: Db, code: string): Promise<string | null> {
  const row = await db.selectFrom("referral_members").select("user_id").where("invite_code", "=", normalise(code)).executeTakeFirst();
  return row?.user_id ?? null;
}

/**
 * Binds an invitee to an inviter, once: never to themselves, never into a cycle, never a second time.
 * The invitee's path becomes the inviter's path plus the inviter; should the invitee already have
 * invitees of their own, their subtree's paths are extended in the same transaction.
 */
export async function bindInviter(trx: Db, input: { inviteeId: string; inviterId: string; via: BoundVia }, now: Date): Promise<boolean> {
  const { inviteeId, inviterId, via } = input;
  if (inviteeId === inviterId) return false;
  await inviteCodeOf(trx, inviteeId);
  await inviteCodeOf(trx, inviterId);
  const invitee = await trx.selectFrom("referral_members").selectAll().where("user_id", "=", inviteeId).forUpdate().executeTakeFirstOrThrow();
  if (invitee.inviter_id) return false;
  const inviter = await trx.selectFrom("referral_members").select(["path"]).where("user_id", "=", inviterId).executeTakeFirstOrThrow();
  if (inviter.path.includes(inviteeId)) return false;
  const path = [...inviter.path, inviterId];
  const bound = await trx
    .updateTable("referral_members")
    .set({ inviter_id: inviterId, path, depth: path.length, bound_via: via, bound_at: now })
    .where("user_id", "=", inviteeId)
    .where("inviter_id", "is", null)
    .executeTakeFirst();
  if (Number(bound.numUpdatedRows) === 0) return false;
  await trx
    .updateTable("referral_members")
    .set({ path: sql`${sql.val(path)}::text[] || path`, depth: sql`depth + ${path.length}` })
    .where(containsUser(inviteeId))
    .execute();
  await publish(trx, "referral.bound", inviteeId, { inviterId, inviteeId, via }, now);
  return true;
}

/** Records a click on an invite link; unknown codes record nothing. Returns the canonical code. */
export async function recordInviteVisit(deps: Deps, input: { code: string; deviceId: string | null; ip: string | null }): Promise<string | null> {
  const code = normalise(input.code);
  const inviterId = await inviterByCode(deps.db, code);
  if (!inviterId) return null;
  await deps.db
    .insertInto("invite_visits")
    .values({ id: newId("ivv"), inviter_id: inviterId, invite_code: code, device_id: input.deviceId, ip: input.ip, at: deps.clock.now() })
    .execute();
  return code;
}

export interface Registration {
  userId: string;
  inviteCode?: string;
  shareToken?: string;
  deviceId?: string;
}

/**
 * Who brought a newly registered user, in order of evidence: the invite code they sent, else the sharer
 * of the share link they came through, else the latest invite link opened on their device within
 * INVITE_LINK_WINDOW. Invalid codes and tokens are ignored.
 */
export async function bindRegistration(trx: Db, reg: Registration, at: Date): Promise<boolean> {
  if (reg.inviteCode) {
    const inviterId = await inviterByCode(trx, reg.inviteCode);
    if (inviterId) return bindInviter(trx, { inviteeId: reg.userId, inviterId, via: "invite_code" }, at);
  }
  if (reg.shareToken) {
    const share = await shareByToken(trx, reg.shareToken);
    if (share) return bindInviter(trx, { inviteeId: reg.userId, inviterId: share.sharerId, via: "share" }, at);
  }
  if (reg.deviceId) {
    const visit = await trx
      .selectFrom("invite_visits")
      .select("inviter_id")
      .where("device_id", "=", reg.deviceId)
      .where("at", ">=", new Date(at.getTime() - INVITE_LINK_WINDOW))
      .where("at", "<=", at)
      .orderBy("at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (visit) return bindInviter(trx, { inviteeId: reg.userId, inviterId: visit.inviter_id, via: "invite_code" }, at);
  }
  return false;
}

export interface InviteSummary {
  code: string;
  link: string;
  inviter: { userId: string; displayName: string } | null;
  depth: number;
  invitees: number;
  descendants: number;
  linkVisits: number;
}

export async function inviteSummary(deps: Deps, userId: string): Promise<InviteSummary> {
  const code = await inviteCodeOf(deps.db, userId);
  const me = await deps.db.selectFrom("referral_members").selectAll().where("user_id", "=", userId).executeTakeFirstOrThrow();
  const [direct, all, visits] = await Promise.all([
    deps.db.selectFrom("referral_members").select((eb) => eb.fn.countAll<number>().as("n")).where("inviter_id", "=", userId).executeTakeFirstOrThrow(),
    deps.db.selectFrom("referral_members").select((eb) => eb.fn.countAll<number>().as("n")).where(containsUser(userId)).executeTakeFirstOrThrow(),
    deps.db.selectFrom("invite_visits").select((eb) => eb.fn.countAll<number>().as("n")).where("inviter_id", "=", userId).executeTakeFirstOrThrow(),
  ]);
  const names = me.inviter_id ? await displayNames(deps.db, [me.inviter_id]) : new Map<string, string>();
  return {
    code,
    link: inviteLink(deps, code),
    inviter: me.inviter_id ? { userId: me.inviter_id, displayName: names.get(me.inviter_id) ?? "" } : null,
    depth: me.depth,
    invitees: Number(direct.n),
    descendants: Number(all.n),
    linkVisits: Number(visits.n),
  };
}

export const inviteLink = (deps: Deps, code: string) => `${deps.config.publicUrl}/i/${code}`;

export interface Invitee {
  id: string;
  displayName: string;
  via: BoundVia;
  boundAt: Date;
  invitees: number;
}

/** Direct invitees, newest registration first (user ids sort by creation). */
export async function listInvitees(db: Db, userId: string, q: { limit: number; after?: string }): Promise<{ items: Invitee[]; nextCursor: string | null }> {
  let query = db.selectFrom("referral_members").select(["user_id", "bound_via", "bound_at"]).where("inviter_id", "=", userId).orderBy("user_id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("user_id", "<", q.after);
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const ids = page.map((r) => r.user_id);
  const [names, counts] = await Promise.all([
    displayNames(db, ids),
    ids.length
      ? db.selectFrom("referral_members").select(["inviter_id", (eb) => eb.fn.countAll<number>().as("n")]).where("inviter_id", "in", ids).groupBy("inviter_id").execute()
      : Promise.resolve([]),
  ]);
  const countOf = new Map(counts.map((c) => [c.inviter_id!, Number(c.n)]));
  const items = page.map((r) => ({ id: r.user_id, displayName: names.get(r.user_id) ?? "", via: r.bound_via!, boundAt: r.bound_at!, invitees: countOf.get(r.user_id) ?? 0 }));
  return { items, nextCursor: rows.length > q.limit ? ids[ids.length - 1] : null };
}

export interface TreeNode {
  userId: string;
  displayName: string;
  via: BoundVia;
  boundAt: Date;
  invitees: TreeNode[];
}

export interface InviteTree {
  userId: string;
  displayName: string;
  code: string | null;
  /** Levels above this user: 0 for a root. */
  depth: number;
  /** From the direct inviter up to the root. */
  pathToRoot: { userId: string; displayName: string }[];
  invitees: number;
  descendants: number;
  /** Descendants per level below this user (level 1 = direct invitees), to any depth. */
  byLevel: { level: number; count: number }[];
  /** The subtree down to the requested depth, at most MAX_TREE_NODES nodes. */
  tree: TreeNode[];
  truncated: boolean;
}

/** The invite tree around one user, for operators. Every query is an index lookup on path or inviter. */
export async function inviteTree(db: Db, userId: string, maxDepth: number): Promise<InviteTree> {
  const self = await displayNames(db, [userId]);
  if (!self.has(userId)) throw notFound("user");
  const me = await db.selectFrom("referral_members").selectAll().where("user_id", "=", userId).executeTakeFirst();
  const base = me?.depth ?? 0;
  const [levels, nodes] = await Promise.all([
    db.selectFrom("referral_members").select(["depth", (eb) => eb.fn.countAll<number>().as("n")]).where(containsUser(userId)).groupBy("depth").orderBy("depth").execute(),
    db
      .selectFrom("referral_members")
      .select(["user_id", "inviter_id", "bound_via", "bound_at", "depth"])
      .where(containsUser(userId))
      .where("depth", "<=", base + maxDepth)
      .orderBy("depth")
      .orderBy("user_id")
      .limit(MAX_TREE_NODES + 1)
      .execute(),
  ]);
  const shown = nodes.slice(0, MAX_TREE_NODES);
  const ancestors = [...(me?.path ?? [])].reverse();
  const names = await displayNames(db, [...ancestors, ...shown.map((n) => n.user_id)]);
  // Rows come parents first (ordered by depth), so each node's inviter is already placed.
  const roots: TreeNode[] = [];
  const childrenOf = new Map<string, TreeNode[]>([[userId, roots]]);
  for (const n of shown) {
    const node: TreeNode = { userId: n.user_id, displayName: names.get(n.user_id) ?? "", via: n.bound_via!, boundAt: n.bound_at!, invitees: [] };
    childrenOf.set(n.user_id, node.invitees);
    childrenOf.get(n.inviter_id!)?.push(node);
  }
  const byLevel = levels.map((l) => ({ level: l.depth - base, count: Number(l.n) }));
  return {
    userId,
    displayName: self.get(userId)!,
    code: me?.invite_code ?? null,
    depth: base,
    pathToRoot: ancestors.map((id) => ({ userId: id, displayName: names.get(id) ?? "" })),
    invitees: byLevel.find((l) => l.level === 1)?.count ?? 0,
    descendants: byLevel.reduce((sum, l) => sum + l.count, 0),
    byLevel,
    tree: roots,
    truncated: nodes.length > MAX_TREE_NODES,
  };
}
