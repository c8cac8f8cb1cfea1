import crypto from "node:crypto";
import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { MINUTE } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { cancelJob, schedule } from "../../platform/jobs/jobs.js";
import { pageOf } from "../../platform/http/schemas.js";
import { displayNames } from "../identity/identity.service.js";
import { placeOrders } from "../orders/orders.service.js";
import type { Adjuster } from "../orders/pricing.js";
import { registrationAttribution } from "../sharing/sharing.service.js";
import { type BargainEvent, type BargainStatus, bargainMachine } from "./bargain-machine.js";
import type { BargainTables } from "./bargain.tables.js";
import { planCuts } from "./cuts.js";

type BargainRow = Selectable<BargainTables["bargains"]>;

/** The campaign type on orders placed from a bargain, and the name of its adjuster. */
export const CAMPAIGN = "bargain";
export const JOB_EXPIRE = "bargain.expire";
const expireKey = (id: string) => `${JOB_EXPIRE}:${id}`;

/** "张三丰" → "张**": helpers are shown to strangers on a public page. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length === 0 ? "**" : `${chars[0]}**`;
}

/** The domain event each transition publishes (`bargain.helped`, …). */
const EVENT_NAMES: Record<BargainEvent, string> = { cut: "helped", reach_floor: "floor_reached", order: "ordered", pay: "paid", reopen: "reopened", reopen_at_floor: "reopened", expire: "expired" };

/**
 * Moves a bargain along the machine with a conditional update on the status it was read in, so two
 * racing actors cannot both move it. Returns false when it had moved meanwhile.
 */
async function move(trx: Db, b: Pick<BargainRow, "id" | "status">, event: BargainEvent, now: Date, changes: Partial<BargainRow> = {}, payload: Record<string, unknown> = {}): Promise<BargainStatus | null> {
  const to = bargainMachine.next(b.status, event);
  const ended = to === "paid" || to === "expired" ? { ended_at: now } : {};
  const updated = await trx.updateTable("bargains").set({ ...changes, ...ended, status: to, updated_at: now }).where("id", "=", b.id).where("status", "=", b.status).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return null;
  await publish(trx, `bargain.${EVENT_NAMES[event]}`, b.id, { bargainId: b.id, from: b.status, to, ...payload }, now);
  return to;
}

async function lockBargain(trx: Db, id: string): Promise<BargainRow | undefined> {
  return trx.selectFrom("bargains").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/**
 * Starts a bargain on an activity: reserves one of its units (a conditional update, so the activity is
 * never over-reserved), draws the K cuts from a fresh seed and schedules the deadline — one transaction.
 */
export async function startBargain(deps: Deps, input: { activityId: string; userId: string; deviceId: string | null }): Promise<{ bargainId: string }> {
  const now = deps.clock.now();
  const id = await deps.db.transaction().execute(async (trx) => {
    const live = async () => trx.selectFrom("bargains").select("id").where("activity_id", "=", input.activityId).where("owner_id", "=", input.userId).where("status", "<>", "expired").executeTakeFirst();
    const already = (bargainId?: string) => conflict("already_bargaining", "you already have a bargain on this activity", { bargainId });
    const existing = await live();
    if (existing) throw already(existing.id);
    const activity = await trx
      .updateTable("bargain_activities")
      .set((eb) => ({ reserved: eb("reserved", "+", 1), updated_at: now }))
      .where("id", "=", input.activityId)
      .where("status", "=", "active")
      .where("starts_at", "<=", now)
      .where("ends_at", ">", now)
      .where((eb) => eb(eb("reserved", "+", eb.ref("sold")), "<", eb.ref("stock")))
      .returningAll()
      .executeTakeFirst();
    if (!activity) {
      const a = await trx.selectFrom("bargain_activities").selectAll().where("id", "=", input.activityId).executeTakeFirst();
      if (!a) throw notFound("bargain activity");
      if (a.status !== "active" || a.starts_at > now || a.ends_at <= now) throw conflict("activity_not_open", "this bargain activity is not open now");
      throw conflict("sold_out", "every unit of this bargain activity is taken");
    }
    const seed = crypto.randomBytes(16).toString("hex");
    const bargainId = newId("bgn");
    const deadline = Math.min(now.getTime() + activity.time_limit_minutes * MINUTE, activity.ends_at.getTime());
    const inserted = await trx
      .insertInto("bargains")
      .values({
        id: bargainId,
        activity_id: activity.id,
        owner_id: input.userId,
        owner_device_id: input.deviceId,
        status: "bargaining",
        original_price: activity.original_price,
        floor_price: activity.floor_price,
        current_price: activity.original_price,
        helpers_needed: activity.helpers_needed,
        cuts_taken: 0,
        seed,
        order_id: null,
        expires_at: new Date(deadline),
        created_at: now,
        updated_at: now,
        ended_at: null,
      })
      .onConflict((oc) => oc.columns(["activity_id", "owner_id"]).where("status", "<>", "expired").doNothing())
      .executeTakeFirst();
    // Two starts racing past the check above: the partial unique index lets one in.
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw already((await live())?.id);
    const cuts = planCuts(activity.original_price - activity.floor_price, activity.helpers_needed, seed);
    await trx
      .insertInto("bargain_cuts")
      .values(cuts.map((amount, i) => ({ bargain_id: bargainId, seq: i + 1, amount, helper_id: null, helper_device_id: null, new_user: null, helped_at: null })))
      .execute();
    await schedule(trx, { type: JOB_EXPIRE, runAt: new Date(deadline), payload: { bargainId }, key: expireKey(bargainId) }, now);
    await publish(trx, "bargain.started", bargainId, { bargainId, activityId: activity.id, userId: input.userId, expiresAt: new Date(deadline).toISOString() }, now);
    return bargainId;
  });
  deps.events.poke();
  return { bargainId: id };
}

export interface HelpResult {
  seq: number;
  amount: number;
  currentPrice: number;
  remaining: number;
  status: BargainStatus;
  newUser: boolean;
}

/**
 * A friend helps (帮砍): takes the next planned cut. The bargain's row lock orders concurrent helpers,
 * so each takes a different cut, the K-th lands exactly on the floor and no one cuts after it. One help
 * per person and per device (checked under the lock, and unique constraints besides); never the owner.
 */
export async function helpBargain(deps: Deps, input: { bargainId: string; helperId: string; deviceId: string }): Promise<HelpResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx) => {
    const b = await lockBargain(trx, input.bargainId);
    if (!b) throw notFound("bargain");
    if (b.owner_id === input.helperId) throw conflict("own_bargain", "you cannot help your own bargain");
    if (b.owner_device_id === input.deviceId) throw conflict("same_device", "this device started the bargain");
    if (b.status === "floor_reached") throw conflict("floor_reached", "this bargain is already at its floor price");
    if (b.status !== "bargaining" || b.expires_at <= now) throw conflict("bargain_closed", "this bargain no longer takes help", { status: b.status });
    const seen = await trx
      .selectFrom("bargain_cuts")
      .select(["helper_id"])
      .where("bargain_id", "=", b.id)
      .where((eb) => eb.or([eb("helper_id", "=", input.helperId), eb("helper_device_id", "=", input.deviceId)]))
      .executeTakeFirst();
    if (seen) throw conflict(seen.helper_id === input.helperId ? "already_helped" : "device_already_helped", seen.helper_id === input.helperId ? "you already helped this bargain" : "this device already helped this bargain");
    const attribution = await registrationAttribution(trx, input.helperId);
    const newUser = attribution?.targetType === "bargain" && attribution.targetId === b.id;
    const seq = b.cuts_taken + 1;
    const cut = await trx
      .updateTable("bargain_cuts")
      .set({ helper_id: input.helperId, helper_device_id: input.deviceId, new_user: newUser, helped_at: now })
      .where("bargain_id", "=", b.id)
      .where("seq", "=", seq)
      .where("helper_id", "is", null)
      .returning("amount")
      .executeTakeFirstOrThrow();
    const currentPrice = b.current_price - cut.amount;
    const helped = { ownerId: b.owner_id, helperId: input.helperId, seq, amount: cut.amount, currentPrice, newUser };
    const to = await move(trx, b, seq === b.helpers_needed ? "reach_floor" : "cut", now, { cuts_taken: seq, current_price: currentPrice }, helped);
    if (!to) throw conflict("bargain_changed", "the bargain changed meanwhile; try again");
    return { seq, amount: cut.amount, currentPrice, remaining: currentPrice - b.floor_price, status: to, newUser };
  });
  deps.events.poke();
  return result;
}

export interface BargainPage {
  id: string;
  activityId: string;
  title: string;
  skuId: string;
  status: BargainStatus;
  isOwner: boolean;
  originalPrice: number;
  floorPrice: number;
  currentPrice: number;
  /** Fen still to cut before the floor. */
  remaining: number;
  cutTotal: number;
  helpersNeeded: number;
  helpersSoFar: number;
  earlyPurchase: boolean;
  canOrder: boolean;
  orderId: string | null;
  serverTime: Date;
  expiresAt: Date;
  /** Whole seconds to the deadline by the server's clock (0 once past). */
  secondsLeft: number;
  helpers: Array<{ seq: number; name: string; amount: number; newUser: boolean; at: Date }>;
}

/** The bargain page (public): helpers with masked names, the cut history, what is left and the countdown. */
export async function bargainPage(deps: Deps, id: string, viewerId: string | null): Promise<BargainPage> {
  const b = await deps.db
    .selectFrom("bargains")
    .innerJoin("bargain_activities", "bargain_activities.id", "bargains.activity_id")
    .selectAll("bargains")
    .select(["bargain_activities.title", "bargain_activities.sku_id", "bargain_activities.early_purchase"])
    .where("bargains.id", "=", id)
    .executeTakeFirst();
  if (!b) throw notFound("bargain");
  const cuts = await deps.db.selectFrom("bargain_cuts").selectAll().where("bargain_id", "=", id).where("helper_id", "is not", null).orderBy("seq").execute();
  const names = await displayNames(deps.db, cuts.map((c) => c.helper_id!));
  const now = deps.clock.now();
  const isOwner = viewerId === b.owner_id;
  const open = b.expires_at > now;
  return {
    id: b.id,
    activityId: b.activity_id,
    title: b.title,
    skuId: b.sku_id,
    status: b.status,
    isOwner,
    originalPrice: b.original_price,
    floorPrice: b.floor_price,
    currentPrice: b.current_price,
    remaining: b.current_price - b.floor_price,
    cutTotal: b.original_price - b.current_price,
    helpersNeeded: b.helpers_needed,
    helpersSoFar: b.cuts_taken,
    earlyPurchase: b.early_purchase,
    canOrder: isOwner && open && (b.status === "floor_reached" || (b.status === "bargaining" && b.early_purchase)),
    orderId: isOwner ? b.order_id : null,
    serverTime: now,
    expiresAt: b.expires_at,
    secondsLeft: Math.max(0, Math.ceil((b.expires_at.getTime() - now.getTime()) / 1000)),
    helpers: cuts.map((c) => ({ seq: c.seq, name: maskName(names.get(c.helper_id!) ?? ""), amount: c.amount, newUser: c.new_user ?? false, at: c.helped_at! })),
  };
}

export async function myBargains(deps: Deps, userId: string, q: { limit: number; after?: string }) {
  let query = deps.db.selectFrom("bargains").select(["id", "activity_id", "status", "current_price", "floor_price", "cuts_taken", "helpers_needed", "expires_at", "order_id"]).where("owner_id", "=", userId).orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const page = pageOf(await query.execute(), q.limit);
  return {
    items: page.items.map((b) => ({ id: b.id, activityId: b.activity_id, status: b.status, currentPrice: b.current_price, remaining: b.current_price - b.floor_price, helpersSoFar: b.cuts_taken, helpersNeeded: b.helpers_needed, expiresAt: b.expires_at, orderId: b.order_id })),
    nextCursor: page.nextCursor,
  };
}

/** Operators follow an activity's bargains: who started them, how far the price came down, and how each ended. */
export async function listBargainsForOperator(deps: Deps, q: { activityId?: string; status?: BargainStatus; limit: number; after?: string }) {
  let query = deps.db.selectFrom("bargains").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.activityId) query = query.where("activity_id", "=", q.activityId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.after) query = query.where("id", "<", q.after);
  const page = pageOf(await query.execute(), q.limit);
  const names = await displayNames(deps.db, page.items.map((b) => b.owner_id));
  return {
    items: page.items.map((b) => ({
      id: b.id,
      activityId: b.activity_id,
      ownerId: b.owner_id,
      ownerName: names.get(b.owner_id) ?? "",
      status: b.status,
      originalPrice: b.original_price,
      floorPrice: b.floor_price,
      currentPrice: b.current_price,
      helpersSoFar: b.cuts_taken,
      helpersNeeded: b.helpers_needed,
      orderId: b.order_id,
      createdAt: b.created_at,
      expiresAt: b.expires_at,
      endedAt: b.ended_at,
    })),
    nextCursor: page.nextCursor,
  };
}

/**
 * Places the owner's order at the bargain's current price. The adjuster prices it and its commit moves
 * the bargain to `ordered` inside the order's own transaction, only if no helper cut in between.
 */
export async function orderBargain(deps: Deps, input: { bargainId: string; userId: string; addressId: string }): Promise<{ orderId: string; payable: number }> {
  const b = await deps.db
    .selectFrom("bargains")
    .innerJoin("bargain_activities", "bargain_activities.id", "bargains.activity_id")
    .select(["bargains.owner_id", "bargains.status", "bargains.expires_at", "bargain_activities.sku_id", "bargain_activities.early_purchase", "bargain_activities.payment_minutes"])
    .where("bargains.id", "=", input.bargainId)
    .executeTakeFirst();
  if (!b || b.owner_id !== input.userId) throw notFound("bargain");
  if (b.status === "bargaining" && !b.early_purchase) throw conflict("floor_not_reached", "this activity sells only at the floor price: ask more friends to help");
  bargainMachine.next(b.status, "order");
  if (b.expires_at <= deps.clock.now()) throw conflict("bargain_closed", "this bargain has expired", { status: "expired" });
  const placed = await placeOrders(deps, {
    userId: input.userId,
    lines: [{ skuId: b.sku_id, qty: 1 }],
    addressId: input.addressId,
    campaign: { type: CAMPAIGN, ref: input.bargainId },
    paymentTimeoutMinutes: b.payment_minutes,
  });
  return { orderId: placed.orderIds[0], payable: placed.payable };
}

/** The adjustment's source: the bargain and how many cuts it had when priced (`bgn_…@3`). */
const sourceOf = (b: Pick<BargainRow, "id" | "cuts_taken">) => `${b.id}@${b.cuts_taken}`;

/**
 * 砍价 — prices a bargain order: one unit at the bargain's current price instead of the SKU's price
 * (never above it). Applied before promotions, coupons and points, which work from the bargain price.
 */
export function bargainAdjuster(deps: Deps): Adjuster {
  return {
    name: CAMPAIGN,
    async adjust(part, ctx) {
      if (ctx.campaign?.type !== CAMPAIGN) return [];
      const b = await deps.db
        .selectFrom("bargains")
        .innerJoin("bargain_activities", "bargain_activities.id", "bargains.activity_id")
        .select(["bargains.id", "bargains.owner_id", "bargains.current_price", "bargains.cuts_taken", "bargain_activities.sku_id"])
        .where("bargains.id", "=", ctx.campaign.ref)
        .executeTakeFirst();
      if (!b || b.owner_id !== ctx.userId) throw notFound("bargain");
      const line = part.lines.find((l) => l.sku.skuId === b.sku_id);
      if (!line) return [];
      return [{ type: "bargain", label: "砍价", amount: Math.min(0, b.current_price - line.sku.price), source: sourceOf(b) }];
    },
    async commit(trx, placed, now) {
      for (const adj of placed.adjustments) {
        const [bargainId, cuts] = adj.source!.split("@");
        const b = await lockBargain(trx, bargainId);
        if (!b || b.cuts_taken !== Number(cuts)) throw conflict("bargain_changed", "a friend cut the price meanwhile; order again at the new price");
        if (b.expires_at <= now) throw conflict("bargain_closed", "this bargain has expired", { status: "expired" });
        if (!(await move(trx, b, "order", now, { order_id: placed.orderId }))) throw conflict("bargain_changed", "the bargain changed meanwhile; reload it");
      }
    },
  };
}

/** Gives the bargain's reserved unit back to its activity (expiry). */
async function releaseUnit(trx: Db, activityId: string, now: Date): Promise<void> {
  await trx.updateTable("bargain_activities").set((eb) => ({ reserved: eb("reserved", "-", 1), updated_at: now })).where("id", "=", activityId).execute();
}

/**
 * The bargain order's fate. Paid: the unit is sold. Cancelled (payment timeout, buyer): before the
 * deadline the bargain reopens where it was; after it, the bargain expires and the unit goes back.
 * A replayed event finds the bargain moved on and does nothing.
 */
export async function onOrderOutcome(deps: Deps, trx: Db, outcome: "paid" | "cancelled", bargainId: string, orderId: string): Promise<void> {
  const now = deps.clock.now();
  const b = await lockBargain(trx, bargainId);
  if (!b || b.status !== "ordered" || b.order_id !== orderId) return;
  if (outcome === "paid") {
    await move(trx, b, "pay", now);
    await trx.updateTable("bargain_activities").set((eb) => ({ reserved: eb("reserved", "-", 1), sold: eb("sold", "+", 1), updated_at: now })).where("id", "=", b.activity_id).execute();
    await cancelJob(trx, expireKey(b.id), now);
    return;
  }
  if (b.expires_at > now) {
    await move(trx, b, b.cuts_taken === b.helpers_needed ? "reopen_at_floor" : "reopen", now, { order_id: null });
    return;
  }
  await move(trx, b, "expire", now);
  await releaseUnit(trx, b.activity_id, now);
}

/** The deadline: a bargain still open expires and gives its unit back; an ordered one waits for its order. */
export async function expireBargain(trx: Db, bargainId: string, now: Date): Promise<void> {
  const b = await lockBargain(trx, bargainId);
  if (!b || (b.status !== "bargaining" && b.status !== "floor_reached")) return;
  await move(trx, b, "expire", now);
  await releaseUnit(trx, b.activity_id, now);
}

/** The activity a bargain runs in: a bargain order's campaign ref names the bargain. */
export async function activityOfBargain(db: Db, bargainId: string): Promise<string | null> {
  return (await db.selectFrom("bargains").select("activity_id").where("id", "=", bargainId).executeTakeFirst())?.activity_id ?? null;
}
