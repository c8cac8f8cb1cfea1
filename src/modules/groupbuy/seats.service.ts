import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, conflict, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { MINUTE } from "../../platform/clock.js";
import { schedule } from "../../platform/jobs/jobs.js";
import type { Adjuster } from "../orders/pricing.js";
import { placeOrders } from "../orders/orders.service.js";
import { activityTerms, phaseOf } from "./activities.service.js";
import { SEATED } from "./team-machine.js";
import { abandonIfLeaderless, CAMPAIGN, deadlineKey, HOLD, JOB_TEAM_DEADLINE, moveMember, type TeamRow } from "./teams.service.js";

export interface SeatRequest {
  userId: string;
  skuId: string;
  qty: number;
  addressId: string;
}

export interface Placed {
  teamId: string;
  memberId: string;
  orderId: string;
  payable: number;
}

const teamFull = (team: Pick<TeamRow, "id" | "activity_id">) =>
  conflict("team_full", "this team is already full; open a team of your own", { teamId: team.id, activityId: team.activity_id });

function teamNotOpen(team: Pick<TeamRow, "id" | "state">) {
  const why = team.state === "pending" ? "its leader has not paid yet" : `it is ${team.state}`;
  return conflict("team_not_open", `this team cannot be joined: ${why}`, { teamId: team.id, state: team.state });
}

/** The activity's terms for this SKU and quantity, or a 400 naming the field. */
async function termsFor(db: Db, activityId: string, skuId: string, qty: number) {
  const activity = await activityTerms(db, activityId);
  if (!activity) throw notFound("group-buy activity");
  const sku = await db.selectFrom("groupbuy_activity_skus").selectAll().where("activity_id", "=", activityId).where("sku_id", "=", skuId).executeTakeFirst();
  if (!sku) throw invalidField("skuId", "this SKU is not part of the activity");
  if (qty > activity.per_user_limit) throw invalidField("qty", `at most ${activity.per_user_limit} per buyer in this activity`);
  return activity;
}

async function seatOf(db: Db, teamId: string, userId: string) {
  return db.selectFrom("groupbuy_members").select("id").where("team_id", "=", teamId).where("user_id", "=", userId).where("state", "in", SEATED).executeTakeFirst();
}

/**
 * Opens a team: the team (pending) and the leader's seat request are written first, then the leader's
 * order is placed; the order's own transaction takes the seat. The countdown starts now.
 */
export async function openTeam(deps: Deps, input: SeatRequest & { activityId: string }): Promise<Placed> {
  const now = deps.clock.now();
  const activity = await termsFor(deps.db, input.activityId, input.skuId, input.qty);
  if (phaseOf(activity, now) !== "active") throw conflict("activity_not_active", `this activity is ${phaseOf(activity, now)}`, { activityId: activity.id });
  const teamId = newId("gbt");
  const memberId = newId("gbm");
  const deadline = new Date(now.getTime() + activity.fill_minutes * MINUTE);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("groupbuy_teams")
      .values({ id: teamId, activity_id: activity.id, leader_id: input.userId, state: "pending", size: activity.team_size, seats_taken: 0, paid_count: 0, platform_filled: false, deadline_at: deadline, created_at: now, opened_at: null, closed_at: null, updated_at: now })
      .execute();
    await insertSeatRequest(trx, { id: memberId, teamId, activityId: activity.id, kind: "leader", userId: input.userId, skuId: input.skuId, qty: input.qty }, now);
    await schedule(trx, { type: JOB_TEAM_DEADLINE, runAt: deadline, payload: { teamId }, key: deadlineKey(teamId) }, now);
  });
  return place(deps, { teamId, memberId }, input, activity.payment_minutes);
}

/** Joins an open team by placing the buyer's order; 409 `team_full` when every seat is taken. */
export async function joinTeam(deps: Deps, input: SeatRequest & { teamId: string }): Promise<Placed> {
  const now = deps.clock.now();
  const team = await deps.db.selectFrom("groupbuy_teams").selectAll().where("id", "=", input.teamId).executeTakeFirst();
  if (!team) throw notFound("team");
  const activity = await termsFor(deps.db, team.activity_id, input.skuId, input.qty);
  // Early answers for the crowd; the seat itself is decided by the conditional update in takeSeat.
  if (team.state !== "open") throw teamNotOpen(team);
  if (team.seats_taken >= team.size) throw teamFull(team);
  if (await seatOf(deps.db, team.id, input.userId)) throw conflict("already_in_team", "you already have a seat in this team", { teamId: team.id });
  const memberId = newId("gbm");
  await insertSeatRequest(deps.db, { id: memberId, teamId: team.id, activityId: team.activity_id, kind: "member", userId: input.userId, skuId: input.skuId, qty: input.qty }, now);
  return place(deps, { teamId: team.id, memberId }, input, activity.payment_minutes);
}

/** Joins the open team of the activity nearest to full (then nearest to its deadline); 409 `no_open_team` if none has room. */
export async function autoJoin(deps: Deps, input: SeatRequest & { activityId: string }): Promise<Placed> {
  await termsFor(deps.db, input.activityId, input.skuId, input.qty);
  const now = deps.clock.now();
  const candidates = await deps.db
    .selectFrom("groupbuy_teams")
    .select("id")
    .where("activity_id", "=", input.activityId)
    .where("state", "=", "open")
    .whereRef("seats_taken", "<", "size")
    .where("deadline_at", ">", now)
    .where("id", "not in", (eb) => eb.selectFrom("groupbuy_members").select("team_id").where("user_id", "=", input.userId).where("state", "in", SEATED))
    .orderBy("seats_taken", "desc")
    .orderBy("deadline_at")
    .orderBy("id")
    .limit(10)
    .execute();
  for (const c of candidates) {
    try {
      return await joinTeam(deps, { ...input, teamId: c.id });
    } catch (err) {
      // Another buyer took the last seat first: try the next team.
      if (err instanceof AppError && (err.code === "team_full" || err.code === "team_not_open")) continue;
      throw err;
    }
  }
  throw conflict("no_open_team", "no team of this activity has a free seat; open a team of your own", { activityId: input.activityId });
}

async function insertSeatRequest(trx: Db, s: Omit<SeatRequest, "addressId"> & { id: string; teamId: string; activityId: string; kind: "leader" | "member" }, now: Date): Promise<void> {
  await trx
    .insertInto("groupbuy_members")
    .values({ id: s.id, team_id: s.teamId, activity_id: s.activityId, user_id: s.userId, kind: s.kind, state: "placing", sku_id: s.skuId, qty: s.qty, order_id: null, created_at: now, paid_at: null, updated_at: now })
    .execute();
}

/**
 * Places the seat's order. If it cannot be placed (full, sold out, limit, bad address), the request is
 * dropped and a leader's team abandoned; nothing else was written, as the seat is only taken inside the
 * order's transaction.
 */
async function place(deps: Deps, seat: { teamId: string; memberId: string }, input: SeatRequest, paymentMinutes: number): Promise<Placed> {
  try {
    const placed = await placeOrders(deps, {
      userId: input.userId,
      lines: [{ skuId: input.skuId, qty: input.qty }],
      addressId: input.addressId,
      campaign: { type: CAMPAIGN, ref: seat.memberId },
      paymentTimeoutMinutes: paymentMinutes,
      hold: HOLD,
    });
    return { teamId: seat.teamId, memberId: seat.memberId, orderId: placed.orderIds[0], payable: placed.payable };
  } catch (err) {
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      await trx.updateTable("groupbuy_members").set({ state: "dropped", updated_at: now }).where("id", "=", seat.memberId).where("state", "=", "placing").execute();
      await abandonIfLeaderless(deps, trx, seat.teamId, now);
    });
    throw err;
  }
}

/**
 * Takes the seat in the order's own transaction: the team's seat count moves only while it is below the
 * team size (a conditional update, so the team is never over-filled), then the activity's stock and the
 * buyer's per-user allowance, each by a conditional update. Any refusal rolls the order back with it.
 */
async function takeSeat(trx: Db, memberId: string, orderId: string, now: Date): Promise<void> {
  const m = await trx.selectFrom("groupbuy_members").selectAll().where("id", "=", memberId).executeTakeFirst();
  if (!m || m.state !== "placing" || !m.user_id || !m.sku_id) throw conflict("seat_settled", "this seat request is already settled", { memberId });
  const leader = m.kind === "leader";
  let take = trx.updateTable("groupbuy_teams").set((eb) => ({ seats_taken: eb("seats_taken", "+", 1), updated_at: now })).where("id", "=", m.team_id);
  take = leader ? take.where("state", "=", "pending").where("seats_taken", "=", 0) : take.where("state", "=", "open").whereRef("seats_taken", "<", "size");
  if (Number((await take.executeTakeFirst()).numUpdatedRows) !== 1) {
    const team = await trx.selectFrom("groupbuy_teams").select(["id", "activity_id", "state"]).where("id", "=", m.team_id).executeTakeFirstOrThrow();
    throw team.state === (leader ? "pending" : "open") ? teamFull(team) : teamNotOpen(team);
  }
  // This transaction now holds the team's row lock, so one buyer's seats in a team are checked one at a time.
  if (await seatOf(trx, m.team_id, m.user_id)) throw conflict("already_in_team", "you already have a seat in this team", { teamId: m.team_id });
  const stock = await trx
    .updateTable("groupbuy_activity_skus")
    .set((eb) => ({ stock_left: eb("stock_left", "-", m.qty) }))
    .where("activity_id", "=", m.activity_id)
    .where("sku_id", "=", m.sku_id)
    .where("stock_left", ">=", m.qty)
    .executeTakeFirst();
  if (Number(stock.numUpdatedRows) !== 1) throw conflict("groupbuy_sold_out", "this activity has no units of this SKU left", { activityId: m.activity_id, skuId: m.sku_id });
  const { per_user_limit: limit } = (await activityTerms(trx, m.activity_id))!;
  const quota = await trx
    .insertInto("groupbuy_quotas")
    .values({ activity_id: m.activity_id, user_id: m.user_id, units: m.qty })
    .onConflict((oc) =>
      oc
        .columns(["activity_id", "user_id"])
        .doUpdateSet({ units: sql`groupbuy_quotas.units + excluded.units` })
        .where(sql<boolean>`groupbuy_quotas.units + excluded.units <= ${limit}`),
    )
    .executeTakeFirst();
  if (Number(quota.numInsertedOrUpdatedRows ?? 0) !== 1) throw conflict("limit_reached", `at most ${limit} per buyer in this activity`, { activityId: m.activity_id, limit });
  await moveMember(trx, m, "place_order", now, { order_id: orderId });
}

/**
 * 拼团价 / 团长价 — prices a group-buy order at the seat's price (the leader's or the group's) instead of the
 * SKU's, as one adjustment never above what the buyer would pay anyway. Its commit takes the seat.
 */
export function groupbuyAdjuster(deps: Deps): Adjuster {
  return {
    name: CAMPAIGN,
    async adjust(part, ctx) {
      if (ctx.campaign?.type !== CAMPAIGN) return [];
      const m = await deps.db
        .selectFrom("groupbuy_members as m")
        .innerJoin("groupbuy_activity_skus as s", (join) => join.onRef("s.activity_id", "=", "m.activity_id").onRef("s.sku_id", "=", "m.sku_id"))
        .select(["m.id", "m.user_id", "m.kind", "m.sku_id", "s.group_price", "s.leader_price"])
        .where("m.id", "=", ctx.campaign.ref)
        .executeTakeFirst();
      if (!m || m.user_id !== ctx.userId) throw conflict("seat_unknown", "no such group-buy seat");
      const line = part.lines.find((l) => l.sku.skuId === m.sku_id);
      if (!line) return [];
      const leader = m.kind === "leader";
      const unit = leader ? m.leader_price : m.group_price;
      return [{ type: leader ? "groupbuy_leader_price" : "groupbuy_price", label: leader ? "团长价" : "拼团价", amount: Math.min(0, unit * line.qty - line.lineTotal), source: m.id }];
    },
    async commit(trx, placed, now) {
      for (const a of placed.adjustments) await takeSeat(trx, a.source!, placed.orderId, now);
    },
  };
}
