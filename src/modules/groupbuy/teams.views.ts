import type { Deps } from "../../deps.js";
import { notFound } from "../../platform/errors.js";
import { displayNames } from "../identity/identity.service.js";
import { PLATFORM_FILL_NOTICE } from "./activities.service.js";
import type { MemberState, TeamState } from "./team-machine.js";
import type { MemberRow, TeamRow } from "./teams.service.js";

/** Seats shown on a team page: those held or paid, and the platform's labelled fill. */
const SHOWN: MemberState[] = ["reserved", "paid", "fulfilled", "refunded"];
const LABELS = { leader: "团长 (leader)", member: "团员 (member)", platform: "平台补位 (platform fill)" } as const;

/** 张三 → 张**: a team page is public, so members are recognisable to friends but not identifiable. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? "*" : `${chars[0]}**`;
}

export interface TeamView {
  id: string;
  activityId: string;
  activityTitle: string;
  state: TeamState;
  size: number;
  seatsTaken: number;
  seatsLeft: number;
  paidCount: number;
  createdAt: Date;
  deadlineAt: Date;
  serverTime: Date;
  /** Milliseconds to the deadline by the server's clock (0 once passed or closed). */
  msLeft: number;
  platformFill: { enabled: boolean; notice: string | null; filled: boolean };
  members: Array<{ kind: MemberRow["kind"]; label: string; displayName: string; avatar: string | null; paid: boolean; joinedAt: Date }>;
  /** What to share to invite friends (POST /shares). */
  share: { targetType: "team"; targetId: string };
}

async function views(deps: Deps, teams: TeamRow[]): Promise<TeamView[]> {
  if (teams.length === 0) return [];
  const now = deps.clock.now();
  const ids = teams.map((t) => t.id);
  const [members, activities] = await Promise.all([
    deps.db.selectFrom("groupbuy_members").selectAll().where("team_id", "in", ids).where("state", "in", SHOWN).orderBy("created_at").orderBy("id").execute(),
    deps.db.selectFrom("groupbuy_activities").select(["id", "title", "platform_fills_last_seat"]).where("id", "in", [...new Set(teams.map((t) => t.activity_id))]).execute(),
  ]);
  const names = await displayNames(deps.db, members.flatMap((m) => (m.user_id ? [m.user_id] : [])));
  return teams.map((t) => {
    const activity = activities.find((a) => a.id === t.activity_id)!;
    const live = t.state === "pending" || t.state === "open";
    return {
      id: t.id,
      activityId: t.activity_id,
      activityTitle: activity.title,
      state: t.state,
      size: t.size,
      seatsTaken: t.seats_taken,
      seatsLeft: live ? t.size - t.seats_taken : 0,
      paidCount: t.paid_count,
      createdAt: t.created_at,
      deadlineAt: t.deadline_at,
      serverTime: now,
      msLeft: live ? Math.max(0, t.deadline_at.getTime() - now.getTime()) : 0,
      platformFill: { enabled: activity.platform_fills_last_seat, notice: activity.platform_fills_last_seat ? PLATFORM_FILL_NOTICE : null, filled: t.platform_filled },
      members: members
        .filter((m) => m.team_id === t.id)
        .map((m) => ({
          kind: m.kind,
          label: LABELS[m.kind],
          displayName: m.kind === "platform" ? "平台补位" : maskName(names.get(m.user_id!) ?? ""),
          avatar: null,
          paid: m.state !== "reserved",
          joinedAt: m.created_at,
        })),
      share: { targetType: "team", targetId: t.id },
    };
  });
}

/** One team as its public page shows it. */
export async function getTeam(deps: Deps, teamId: string): Promise<TeamView> {
  const team = await deps.db.selectFrom("groupbuy_teams").selectAll().where("id", "=", teamId).executeTakeFirst();
  if (!team) throw notFound("team");
  return (await views(deps, [team]))[0];
}

/** Teams of an activity with free seats, nearest to full first (the "join a team" list). */
export async function openTeams(deps: Deps, activityId: string, limit = 10): Promise<TeamView[]> {
  const rows = await deps.db
    .selectFrom("groupbuy_teams")
    .selectAll()
    .where("activity_id", "=", activityId)
    .where("state", "=", "open")
    .whereRef("seats_taken", "<", "size")
    .where("deadline_at", ">", deps.clock.now())
    .orderBy("seats_taken", "desc")
    .orderBy("deadline_at")
    .limit(limit)
    .execute();
  return views(deps, rows);
}

/** The buyer's seats, newest first, each with its team and order. */
export async function myTeams(deps: Deps, userId: string, q: { limit: number; after?: string }) {
  let query = deps.db.selectFrom("groupbuy_members").selectAll().where("user_id", "=", userId).where("state", "in", [...SHOWN, "released", "voided"]).orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const seats = await query.execute();
  const page = seats.slice(0, q.limit);
  const teams = page.length ? await deps.db.selectFrom("groupbuy_teams").selectAll().where("id", "in", [...new Set(page.map((s) => s.team_id))]).execute() : [];
  const byId = new Map((await views(deps, teams)).map((v) => [v.id, v]));
  const items = page.map((s) => ({ id: s.id, kind: s.kind, state: s.state, skuId: s.sku_id, qty: s.qty, orderId: s.order_id, joinedAt: s.created_at, paidAt: s.paid_at, team: byId.get(s.team_id)! }));
  return { items, nextCursor: seats.length > q.limit ? items[items.length - 1].id : null };
}

/** Operators' monitor: teams by activity and state, newest first, with every seat unmasked. */
export async function listTeamsForOperator(deps: Deps, q: { activityId?: string; state?: TeamState; limit: number; after?: string }) {
  let query = deps.db.selectFrom("groupbuy_teams").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.activityId) query = query.where("activity_id", "=", q.activityId);
  if (q.state) query = query.where("state", "=", q.state);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const seats = page.length ? await deps.db.selectFrom("groupbuy_members").selectAll().where("team_id", "in", page.map((t) => t.id)).orderBy("created_at").orderBy("id").execute() : [];
  const items = page.map((t) => ({
    id: t.id,
    activityId: t.activity_id,
    leaderId: t.leader_id,
    state: t.state,
    size: t.size,
    seatsTaken: t.seats_taken,
    paidCount: t.paid_count,
    platformFilled: t.platform_filled,
    createdAt: t.created_at,
    openedAt: t.opened_at,
    deadlineAt: t.deadline_at,
    closedAt: t.closed_at,
    members: seats
      .filter((m) => m.team_id === t.id)
      .map((m) => ({ id: m.id, kind: m.kind, state: m.state, userId: m.user_id, skuId: m.sku_id, qty: m.qty, orderId: m.order_id, joinedAt: m.created_at, paidAt: m.paid_at })),
  }));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}
