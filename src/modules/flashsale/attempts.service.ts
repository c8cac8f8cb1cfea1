import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, conflict, invalidField, notFound, tooManyRequests } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { getAddress } from "../identity/addresses.service.js";
import { placeOrders } from "../orders/orders.service.js";
import type { Adjuster } from "../orders/pricing.js";
import { type AttemptEvent, HOLDING, attemptMachine } from "./attempt-machine.js";
import { termsOf } from "./slots.service.js";

export const CAMPAIGN = "flashsale";

/**
 * What one caller may send at the purchase endpoint in a fixed window before it answers 429. A person
 * tapping "buy" stays far below these; a script does not.
 */
export const ATTEMPT_LIMITS = {
  windowMs: 10_000,
  perUser: 10,
  perDevice: 10,
  perIp: 300,
};

/** Fixed-window counters per user, device and IP, in the shared store (Redis when REDIS_URL). */
async function guard(deps: Deps, who: { userId: string; deviceId: string; ip: string }): Promise<void> {
  const now = deps.clock.now();
  const { windowMs } = ATTEMPT_LIMITS;
  const [user, device, ip] = await Promise.all([
    deps.kv.hit(`fs:att:u:${who.userId}`, windowMs, now),
    deps.kv.hit(`fs:att:d:${who.deviceId}`, windowMs, now),
    deps.kv.hit(`fs:att:ip:${who.ip}`, windowMs, now),
  ]);
  if (user > ATTEMPT_LIMITS.perUser || device > ATTEMPT_LIMITS.perDevice || ip > ATTEMPT_LIMITS.perIp) {
    throw tooManyRequests("too many purchase attempts; wait a moment", Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000));
  }
}

/** Loads an item the counter does not know (never defined, or a flushed Redis) from the database. */
async function restoreItem(deps: Deps, itemId: string): Promise<void> {
  const item = await deps.db
    .selectFrom("flash_items")
    .innerJoin("flash_slots", "flash_slots.id", "flash_items.slot_id")
    .select(["flash_items.stock", "flash_items.per_user_limit", "flash_slots.opens_at", "flash_slots.closes_at"])
    .where("flash_items.id", "=", itemId)
    .executeTakeFirst();
  if (!item) throw notFound("flash item");
  const holds = await deps.db.selectFrom("flash_attempts").select(["id", "user_id", "qty", "created_at"]).where("item_id", "=", itemId).where("status", "in", HOLDING).execute();
  await deps.adapters.flashCounter.restore(itemId, termsOf(item, item), holds.map((h) => ({ attemptId: h.id, userId: h.user_id, qty: h.qty, at: h.created_at.getTime() })));
}

export interface AttemptInput {
  itemId: string;
  userId: string;
  qty: number;
  addressId: string;
  deviceId: string;
  ip: string;
}

/**
 * 抢购 — one purchase attempt. The counter decides (one atomic step); a loser never touches the
 * database. A winner's attempt is recorded and queued for its order; the buyer polls for the order id.
 */
export async function attemptPurchase(deps: Deps, input: AttemptInput): Promise<{ attemptId: string; status: "queued" }> {
  await guard(deps, input);
  const counter = deps.adapters.flashCounter;
  const attemptId = newId("fsa");
  const now = deps.clock.now();
  const ask = () => counter.attempt(input.itemId, { attemptId, userId: input.userId, qty: input.qty, now: now.getTime() });
  let verdict = await ask();
  if (!verdict.ok && verdict.reason === "unknown_item") {
    await restoreItem(deps, input.itemId);
    verdict = await ask();
  }
  if (!verdict.ok) {
    switch (verdict.reason) {
      case "not_open":
        throw conflict("slot_not_open", "the flash sale has not started yet");
      case "ended":
        throw conflict("slot_ended", "the flash sale is over");
      case "sold_out":
        throw conflict("sold_out", "sold out");
      case "limit_reached":
        throw conflict("limit_reached", "you have reached the limit for this item");
      default:
        throw conflict("attempt_refused", verdict.reason);
    }
  }
  try {
    await getAddress(deps, input.userId, input.addressId).catch(() => {
      throw invalidField("addressId", "no such address in your address book");
    });
    await deps.db
      .insertInto("flash_attempts")
      .values({ id: attemptId, item_id: input.itemId, user_id: input.userId, qty: input.qty, address_id: input.addressId, status: "queued", order_id: null, failure: null, created_at: now, updated_at: now })
      .execute();
  } catch (err) {
    // Not recorded, so not won: the units go back. (Should this process die right here, reconciliation
    // finds the hold without an attempt in the database and releases it.)
    await counter.release(input.itemId, attemptId);
    throw err;
  }
  // A lost message is found again by reconciliation: the attempt stays queued in the database.
  await deps.adapters.flashQueue.enqueue(attemptId).catch((err) => deps.log.warn({ err, attemptId }, "flash attempt not enqueued; reconciliation will"));
  return { attemptId, status: "queued" };
}

/** Moves an attempt along its machine with a conditional update; false if it had moved already. */
async function move(trx: Db, attemptId: string, event: AttemptEvent, now: Date, changes: { order_id?: string; failure?: string } = {}) {
  const from = attemptMachine.transitions[event].from;
  const to = attemptMachine.transitions[event].to;
  const row = await trx
    .updateTable("flash_attempts")
    .set({ ...changes, status: to, updated_at: now })
    .where("id", "=", attemptId)
    .where("status", "in", from)
    .returning(["item_id", "user_id", "qty"])
    .executeTakeFirst();
  return row;
}

/**
 * The queue consumer: places the attempt's order. Idempotent by attempt id — an attempt that is no
 * longer queued is done; the order's own transaction marks the attempt ordered (the adjuster's commit),
 * so a redelivery racing a first delivery places no second order. An order that cannot be placed for a
 * business reason (stock, address, SKU off sale) fails the attempt and gives its unit back; anything
 * else is thrown so the message is delivered again.
 */
export async function fulfilAttempt(deps: Deps, attemptId: string): Promise<void> {
  const a = await deps.db
    .selectFrom("flash_attempts")
    .innerJoin("flash_items", "flash_items.id", "flash_attempts.item_id")
    .select(["flash_attempts.id", "flash_attempts.status", "flash_attempts.user_id", "flash_attempts.qty", "flash_attempts.address_id", "flash_attempts.item_id", "flash_items.sku_id", "flash_items.payment_minutes"])
    .where("flash_attempts.id", "=", attemptId)
    .executeTakeFirst();
  if (!a || a.status !== "queued") return;
  try {
    await placeOrders(deps, {
      userId: a.user_id,
      lines: [{ skuId: a.sku_id, qty: a.qty }],
      addressId: a.address_id,
      campaign: { type: CAMPAIGN, ref: a.id },
      paymentTimeoutMinutes: a.payment_minutes,
    });
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    if (err.code === "attempt_settled") return;
    const failed = await move(deps.db, a.id, "fail", deps.clock.now(), { failure: `${err.code}: ${err.message}`.slice(0, 500) });
    if (failed) await deps.adapters.flashCounter.release(a.item_id, a.id);
  }
}

/**
 * 秒杀价 — prices a flash order: the flash price instead of the SKU's price, as one adjustment
 * (never above what the buyer would pay anyway). Its commit marks the attempt ordered in the order's
 * own transaction.
 */
export function flashAdjuster(deps: Deps): Adjuster {
  return {
    name: CAMPAIGN,
    async adjust(part, ctx) {
      if (ctx.campaign?.type !== CAMPAIGN) return [];
      const a = await deps.db
        .selectFrom("flash_attempts")
        .innerJoin("flash_items", "flash_items.id", "flash_attempts.item_id")
        .select(["flash_items.sku_id", "flash_items.flash_price"])
        .where("flash_attempts.id", "=", ctx.campaign.ref)
        .executeTakeFirst();
      if (!a) throw conflict("attempt_unknown", "no such flash attempt");
      const line = part.lines.find((l) => l.sku.skuId === a.sku_id);
      if (!line) return [];
      return [{ type: "flash_sale", label: "秒杀价", amount: Math.min(0, a.flash_price * line.qty - line.lineTotal), source: ctx.campaign.ref }];
    },
    async commit(trx, placed, now) {
      for (const adj of placed.adjustments) {
        const moved = await move(trx, adj.source!, "place_order", now, { order_id: placed.orderId });
        if (!moved) throw conflict("attempt_settled", "this flash attempt already has its order");
      }
    },
  };
}

/** An attempt as its buyer polls it: queued until the order exists, then the order id. */
export async function getAttempt(deps: Deps, attemptId: string, userId: string) {
  const a = await deps.db.selectFrom("flash_attempts").selectAll().where("id", "=", attemptId).where("user_id", "=", userId).executeTakeFirst();
  if (!a) throw notFound("flash attempt");
  return { attemptId: a.id, itemId: a.item_id, qty: a.qty, status: a.status, orderId: a.order_id, failure: a.failure, createdAt: a.created_at, updatedAt: a.updated_at };
}

/**
 * The slot an attempt was made in: a flash order's campaign ref names its attempt (pricing and the
 * order's outcome need that one), while what the sale belongs to, for reporting, is the slot.
 */
export async function slotOfAttempt(db: Db, attemptId: string): Promise<string | null> {
  const row = await db
    .selectFrom("flash_attempts")
    .innerJoin("flash_items", "flash_items.id", "flash_attempts.item_id")
    .select("flash_items.slot_id")
    .where("flash_attempts.id", "=", attemptId)
    .executeTakeFirst();
  return row?.slot_id ?? null;
}

/**
 * The flash order's fate: paid keeps the unit sold; cancelled (payment timeout, buyer, operator) gives
 * the unit and the buyer's count back to the slot — once, as the attempt leaves `ordered` only once.
 */
export async function onOrderOutcome(deps: Deps, trx: Db, outcome: "paid" | "cancelled", attemptId: string): Promise<void> {
  const now = deps.clock.now();
  const current = await trx.selectFrom("flash_attempts").select("status").where("id", "=", attemptId).forUpdate().executeTakeFirst();
  if (!current) return;
  const event: AttemptEvent = outcome === "paid" ? "pay" : "release";
  attemptMachine.next(current.status, event);
  const moved = await move(trx, attemptId, event, now);
  if (moved && event === "release") await deps.adapters.flashCounter.release(moved.item_id, attemptId);
}
