import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { type Actor, systemActor } from "../../platform/auth/principal.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { cancelJob } from "../../platform/jobs/jobs.js";
import { cancelOrder, getOrder, recordRefund, releaseHold, restockOrderItems } from "../orders/orders.service.js";
import { refundOrder } from "../payments/refunds.service.js";
import type { GroupbuyTables } from "./groupbuy.tables.js";
import { type MemberEvent, memberMachine, type TeamEvent, teamMachine } from "./team-machine.js";

export type MemberRow = Selectable<GroupbuyTables["groupbuy_members"]>;
export type TeamRow = Selectable<GroupbuyTables["groupbuy_teams"]>;

/** The campaign type group-buy orders carry; the campaign ref is the member's seat id (`gbm_…`). */
export const CAMPAIGN = "groupbuy";
/**
 * Why a group-buy order may not ship yet (cleared with releaseHold when its team succeeds). Shipping and
 * after-sales show it when they refuse a held order, so it says what happens either way.
 */
export const HOLD = "拼团中，成团后发货，未成团自动退款 (group buy: the team is still forming; the order ships once it is full and is refunded automatically if it fails)";
export const JOB_TEAM_DEADLINE = "groupbuy.team_deadline";
export const deadlineKey = (teamId: string) => `${JOB_TEAM_DEADLINE}:${teamId}`;

const actor: Actor = { ...systemActor, kind: "system" };

/** Moves a seat along its machine with a conditional update on its current state. */
export async function moveMember(trx: Db, m: Pick<MemberRow, "id" | "state">, event: MemberEvent, now: Date, changes: Partial<MemberRow> = {}): Promise<void> {
  const to = memberMachine.next(m.state, event);
  const moved = await trx.updateTable("groupbuy_members").set({ ...changes, state: to, updated_at: now }).where("id", "=", m.id).where("state", "=", m.state).executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw conflict("seat_changed", "the seat changed meanwhile; reload the team", { memberId: m.id });
}

/** Moves the team (its row is locked by the caller) along its machine. */
async function moveTeam(trx: Db, team: Pick<TeamRow, "id" | "state">, event: TeamEvent, now: Date, changes: Partial<TeamRow> = {}): Promise<void> {
  const to = teamMachine.next(team.state, event);
  await trx.updateTable("groupbuy_teams").set({ ...changes, state: to, updated_at: now }).where("id", "=", team.id).where("state", "=", team.state).execute();
}

/** A seat is freed: its units go back to the activity and to the buyer's allowance. */
async function giveBack(trx: Db, m: Pick<MemberRow, "activity_id" | "user_id" | "sku_id" | "qty">): Promise<void> {
  if (!m.user_id || !m.sku_id || m.qty === 0) return;
  await trx.updateTable("groupbuy_activity_skus").set((eb) => ({ stock_left: eb("stock_left", "+", m.qty) })).where("activity_id", "=", m.activity_id).where("sku_id", "=", m.sku_id).execute();
  await trx.updateTable("groupbuy_quotas").set((eb) => ({ units: eb("units", "-", m.qty) })).where("activity_id", "=", m.activity_id).where("user_id", "=", m.user_id).execute();
}

/** Every path that changes a team locks its row first, so seats, payments and the deadline take turns. */
async function lockTeam(trx: Db, teamId: string): Promise<TeamRow> {
  const team = await trx.selectFrom("groupbuy_teams").selectAll().where("id", "=", teamId).forUpdate().executeTakeFirst();
  if (!team) throw notFound("team");
  return team;
}

const lockMembers = (trx: Db, teamId: string) => trx.selectFrom("groupbuy_members").selectAll().where("team_id", "=", teamId).orderBy("created_at").orderBy("id").forUpdate().execute();

/**
 * A group-buy order was paid or cancelled (order.paid / order.cancelled): the seat is confirmed — and
 * the team opens (the leader) or succeeds (the N-th payment) — or freed. A seat the team's deadline has
 * already settled is left alone.
 */
export async function onOrderOutcome(deps: Deps, trx: Db, outcome: "paid" | "cancelled", memberId: string): Promise<void> {
  const seat = await trx.selectFrom("groupbuy_members").select("team_id").where("id", "=", memberId).executeTakeFirst();
  if (!seat) return;
  const team = await lockTeam(trx, seat.team_id);
  const m = await trx.selectFrom("groupbuy_members").selectAll().where("id", "=", memberId).forUpdate().executeTakeFirstOrThrow();
  if (m.state !== "reserved") return;
  if (outcome === "paid") await seatPaid(deps, trx, team, m);
  else await seatFreed(deps, trx, team, m);
}

async function seatPaid(deps: Deps, trx: Db, team: TeamRow, m: MemberRow): Promise<void> {
  const now = deps.clock.now();
  await moveMember(trx, m, "pay", now, { paid_at: now });
  const paid = team.paid_count + 1;
  if (team.state === "pending" && m.kind === "leader") {
    await moveTeam(trx, team, "open", now, { paid_count: paid, opened_at: now });
    await publish(trx, "groupbuy.team_opened", team.id, { teamId: team.id, activityId: team.activity_id, leaderId: team.leader_id, deadlineAt: team.deadline_at }, now);
    return;
  }
  await trx.updateTable("groupbuy_teams").set({ paid_count: paid, updated_at: now }).where("id", "=", team.id).execute();
  if (team.state === "open" && paid === team.size) await succeed(deps, trx, { ...team, paid_count: paid }, false);
}

async function seatFreed(deps: Deps, trx: Db, team: TeamRow, m: MemberRow): Promise<void> {
  const now = deps.clock.now();
  await moveMember(trx, m, "release", now);
  await trx.updateTable("groupbuy_teams").set((eb) => ({ seats_taken: eb("seats_taken", "-", 1), updated_at: now })).where("id", "=", team.id).execute();
  await giveBack(trx, m);
  if (m.kind === "leader") await abandonIfLeaderless(deps, trx, team.id, now);
}

/** A pending team whose leader holds no seat (order cancelled or never placed) is abandoned. */
export async function abandonIfLeaderless(deps: Deps, trx: Db, teamId: string, now: Date): Promise<void> {
  const team = await lockTeam(trx, teamId);
  if (team.state !== "pending" || team.seats_taken > 0) return;
  await moveTeam(trx, team, "abandon", now, { closed_at: now });
  await cancelJob(trx, deadlineKey(team.id), now);
  await publish(trx, "groupbuy.team_abandoned", team.id, { teamId: team.id, activityId: team.activity_id, leaderId: team.leader_id }, now);
}

/** Every seat is paid (or the last one filled by the platform): each member's order is released for shipping. */
async function succeed(deps: Deps, trx: Db, team: TeamRow, platformFilled: boolean): Promise<void> {
  const now = deps.clock.now();
  await moveTeam(trx, team, "succeed", now, { closed_at: now, platform_filled: platformFilled });
  const members = await lockMembers(trx, team.id);
  for (const m of members.filter((x) => x.state === "paid")) {
    await moveMember(trx, m, "fulfil", now);
    await releaseHold(deps, trx, m.order_id!, actor);
  }
  await cancelJob(trx, deadlineKey(team.id), now);
  const seated = members.filter((x) => x.state === "paid" || x.state === "fulfilled");
  await publish(
    trx,
    "groupbuy.team_succeeded",
    team.id,
    { teamId: team.id, activityId: team.activity_id, platformFilled, members: seated.map((x) => ({ memberId: x.id, kind: x.kind, userId: x.user_id, orderId: x.order_id })) },
    now,
  );
}

/**
 * The team's deadline (a durable job per team). First it catches up with each unpaid seat's order
 * (its paid/cancelled event may not have been delivered yet). Then a pending team is abandoned; an open
 * team one seat short succeeds with a labelled platform fill when the activity says so; otherwise it
 * fails: every paid member is refunded through the payment provider and their stock returned, every
 * unpaid order cancelled (its reserved stock released).
 */
export async function closeAtDeadline(deps: Deps, trx: Db, teamId: string): Promise<void> {
  const now = deps.clock.now();
  const view = { ...deps, db: trx };
  let team = await lockTeam(trx, teamId);
  if (team.state !== "pending" && team.state !== "open") return;
  for (const m of await lockMembers(trx, teamId)) {
    if (m.state === "placing") await moveMember(trx, m, "drop", now);
    if (m.state !== "reserved") continue;
    const order = await getOrder(view, m.order_id!, { kind: "system" });
    if (order.status === "cancelled") await seatFreed(deps, trx, team, m);
    else if (order.status !== "pending_payment") await seatPaid(deps, trx, team, m);
    team = await lockTeam(trx, teamId);
  }
  if (team.state === "succeeded" || team.state === "abandoned") return;
  const members = await lockMembers(trx, teamId);
  const unpaid = members.filter((m) => m.state === "reserved");
  for (const m of unpaid) {
    await cancelOrder(deps, trx, m.order_id!, actor, team.state === "pending" ? "拼团未开团：团长未付款 (team never opened)" : "拼团未成团 (team not filled in time)");
    await moveMember(trx, m, "void", now);
    await trx.updateTable("groupbuy_teams").set((eb) => ({ seats_taken: eb("seats_taken", "-", 1), updated_at: now })).where("id", "=", team.id).execute();
    await giveBack(trx, m);
  }
  if (team.state === "pending") {
    await abandonIfLeaderless(deps, trx, team.id, now);
    return;
  }
  const activity = await trx.selectFrom("groupbuy_activities").select("platform_fills_last_seat").where("id", "=", team.activity_id).executeTakeFirstOrThrow();
  if (activity.platform_fills_last_seat && team.paid_count === team.size - 1) {
    await trx
      .insertInto("groupbuy_members")
      .values({ id: newId("gbm"), team_id: team.id, activity_id: team.activity_id, user_id: null, kind: "platform", state: "fulfilled", sku_id: null, qty: 0, order_id: null, created_at: now, paid_at: null, updated_at: now })
      .execute();
    const filled = { ...team, seats_taken: team.size, paid_count: team.size };
    await trx.updateTable("groupbuy_teams").set({ seats_taken: filled.seats_taken, paid_count: filled.paid_count, updated_at: now }).where("id", "=", team.id).execute();
    await succeed(deps, trx, filled, true);
    return;
  }
  const refunds: Array<{ memberId: string; orderId: string; refundId: string | null; amount: number }> = [];
  for (const m of members.filter((x) => x.state === "paid")) {
    const order = await getOrder(view, m.order_id!, { kind: "system" });
    // After-sales takes no request on a held order, yet a refund may be on record already (a request from
    // before that rule): only the rest of the payable and the units not yet refunded come back here, so
    // nothing is paid or restocked twice.
    const amount = order.payable - order.refundedAmount;
    const units = order.items.map((i) => ({ skuId: i.skuId, qty: i.qty - i.refundedQty })).filter((i) => i.qty > 0);
    const refund = amount > 0 ? await refundOrder(deps, trx, { orderId: order.id, amount, reason: "拼团失败，自动退款 (group buy failed: automatic refund)", key: `groupbuy:${m.id}` }) : null;
    if (order.status !== "closed") await recordRefund(deps, trx, { orderId: order.id, amount, items: units, actor });
    if (units.length > 0) await restockOrderItems(trx, order.id, units, "拼团失败 (group buy failed)", now);
    await moveMember(trx, m, "refund", now);
    await giveBack(trx, m);
    refunds.push({ memberId: m.id, orderId: order.id, refundId: refund?.refundId ?? null, amount });
  }
  await moveTeam(trx, team, "fail", now, { closed_at: now });
  await publish(trx, "groupbuy.team_failed", team.id, { teamId: team.id, activityId: team.activity_id, refunds, cancelledOrderIds: unpaid.map((m) => m.order_id) }, now);
}

/** The activity a team member's seat belongs to: a group-buy order's campaign ref names the member. */
export async function activityOfMember(db: Db, memberId: string): Promise<string | null> {
  return (await db.selectFrom("groupbuy_members").select("activity_id").where("id", "=", memberId).executeTakeFirst())?.activity_id ?? null;
}
