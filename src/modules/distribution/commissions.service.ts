import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { allocate } from "../../platform/money.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { displayNames } from "../identity/identity.service.js";
import { getOrder } from "../orders/orders.service.js";
import { post } from "../rewards/ledger.js";
import { enqueueReview, isSelfReferral, needsReview, scoreReward } from "../risk/risk.service.js";
import { type CommissionEvent, type CommissionStatus, fromStates, nextCommissionStatus } from "./commission-machine.js";
import { commissionOf, keptAfterRefunds } from "./commission-math.js";
import type { DistributionTables } from "./distribution.tables.js";
import { getSettings, MAX_LEVELS, rateResolver } from "./distribution.settings.js";
import { boundPromoter, promoterOf } from "./promoters.service.js";

type CommissionRow = Selectable<DistributionTables["commissions"]>;

/** Where commission money sits in the ledger (cash, fen) while it goes from pending to withdrawn. */
export type CommissionBucket = "commission_pending" | "commission_frozen" | "commission_available" | "commission_withdrawing";
export const commissionAccount = (userId: string, bucket: CommissionBucket) => `user:${userId}:${bucket}`;
/** The other side of every commission: what the platform owes promoters. */
export const PLATFORM_COMMISSION = "platform:commission";

const BUCKET: Partial<Record<CommissionStatus, CommissionBucket>> = { pending: "commission_pending", frozen: "commission_frozen", available: "commission_available" };
/** A flagged, cancelled or rejected commission's money stays with the platform: nothing is owed the promoter. */
const accountOf = (c: { promoter_id: string }, status: CommissionStatus) => {
  const bucket = BUCKET[status];
  return bucket ? commissionAccount(c.promoter_id, bucket) : PLATFORM_COMMISSION;
};

/** Moves `amount` of a commission between two ledger accounts, once per key. */
async function move(trx: Db, c: CommissionRow, key: string, from: string, to: string, amount: number, now: Date): Promise<void> {
  if (amount <= 0 || from === to) return;
  await post(trx, { key, causeType: "commission", causeId: c.id, lines: [{ account: from, currency: "cash", amount: -amount }, { account: to, currency: "cash", amount }] }, now);
}

/** Records a move of a commission once per (event, cause); false when this cause was already applied. */
async function recordEvent(trx: Db, c: CommissionRow, event: CommissionEvent, causeId: string, to: CommissionStatus, amount: number, now: Date): Promise<boolean> {
  const inserted = await trx
    .insertInto("commission_events")
    .values({ id: newId("cev"), commission_id: c.id, event, cause_id: causeId, from_status: c.status, to_status: to, amount, at: now })
    .onConflict((oc) => oc.columns(["commission_id", "event", "cause_id"]).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * On a paid order: the buyer's promoter earns level 1, and that promoter's own promoter level 2 — never
 * a third level, never the buyer themselves, nor a promoter who is the buyer under another account
 * (same device, phone or paying account). The base is what the buyer paid for the goods (the payable
 * less the shipping charged), split over the lines by line total (largest remainder); each line earns
 * floor(base × rate) at its product's, else its category's, else the default rate for the level. A
 * commission whose risk score reaches the review threshold is created `flagged` and queued for review
 * instead of being owed.
 */
export async function createCommissions(deps: Deps, trx: Db, paid: { orderId: string; buyerId: string; paidAt: Date }, now: Date): Promise<void> {
  const { orderId, buyerId } = paid;
  const done = await trx.selectFrom("commissions").select("id").where("order_id", "=", orderId).executeTakeFirst();
  if (done) return;
  const settings = await getSettings(trx);
  const chain: string[] = [];
  let customer = buyerId;
  while (chain.length < Math.min(settings.levels, MAX_LEVELS)) {
    const promoter = await boundPromoter(trx, customer, paid.paidAt);
    if (!promoter || promoter === buyerId || chain.includes(promoter) || (await promoterOf(trx, promoter))?.status !== "approved") break;
    chain.push(promoter);
    customer = promoter;
  }
  // Most orders come from no promoter's customer: the order itself is read only when someone earns on it.
  if (chain.length === 0) return;
  // Read in this transaction: on the embedded database a second connection would wait on this one.
  const order = await getOrder({ ...deps, db: trx }, orderId, { kind: "system" });

  const skus = await skusForSale(trx, order.items.map((i) => ({ skuId: i.skuId, qty: i.qty })));
  const lines = order.items.map((i) => ({ productId: i.productId, categoryId: skus.get(i.skuId)?.categoryId ?? "" }));
  const rateOf = await rateResolver(trx, settings, lines);
  const shipping = Math.max(0, order.adjustments.filter((a) => a.type === "shipping" || a.type === "free_shipping").reduce((s, a) => s + a.amount, 0));
  const goods = Math.min(order.itemsTotal, Math.max(0, order.payable - shipping));
  const bases = allocate(goods, order.items.map((i) => i.lineTotal));

  for (const [index, promoterId] of chain.entries()) {
    const level = index + 1;
    const amount = lines.reduce((sum, line, j) => sum + commissionOf(bases[j], rateOf(line, level)), 0);
    if (amount <= 0 || (await isSelfReferral(trx, { userId: promoterId }, { userId: order.userId }))) continue;
    const risk = await scoreReward(trx, { beneficiaryId: promoterId, sourceUserId: order.userId, kind: "cash", amount }, now);
    const status: CommissionStatus = (await needsReview(trx, risk.score)) ? "flagged" : "pending";
    const row = await trx
      .insertInto("commissions")
      .values({ id: newId("cms"), order_id: orderId, buyer_id: order.userId, promoter_id: promoterId, level, base: goods, amount, kept: amount, order_payable: order.payable, refunded: 0, status, order_stage: "paid", created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, row, status === "flagged" ? "flag" : "create", orderId, status, amount, now);
    await move(trx, row, `commission:${row.id}:create`, PLATFORM_COMMISSION, accountOf(row, status), amount, now);
    await publish(trx, "commission.created", row.id, { commissionId: row.id, orderId, promoterId, level, amount }, now);
    if (status === "flagged") await enqueueReview(trx, { subjectType: "commission", subjectId: row.id, score: risk.score, reasons: risk.reasons }, now);
  }
}

/** Moves one commission by `event`, once per cause; its money follows it in the ledger. */
async function transition(trx: Db, c: CommissionRow, event: "freeze" | "release" | "cancel" | "approve" | "reject", causeId: string, now: Date): Promise<CommissionRow | null> {
  const to = nextCommissionStatus(c.status, event);
  if (!(await recordEvent(trx, c, event, causeId, to, c.kept, now))) return null;
  const kept = to === "cancelled" || to === "rejected" ? 0 : c.kept;
  await trx.updateTable("commissions").set({ status: to, kept, updated_at: now }).where("id", "=", c.id).execute();
  await move(trx, c, `commission:${c.id}:${event}`, accountOf(c, c.status), accountOf(c, to), c.kept, now);
  await publish(trx, `commission.${event === "approve" ? "approved" : to}`, c.id, { commissionId: c.id, orderId: c.order_id, promoterId: c.promoter_id, amount: c.kept }, now);
  return { ...c, status: to, kept, updated_at: now };
}

const STAGE_AFTER = { freeze: "completed", release: "settled" } as const;

/**
 * Applies freeze, release or cancel to every commission of the order whose state allows it, and notes
 * how far the order got for those still in review.
 */
export async function advanceCommissions(trx: Db, orderId: string, event: "freeze" | "release" | "cancel", causeId: string, now: Date): Promise<void> {
  if (event !== "cancel") {
    await trx.updateTable("commissions").set({ order_stage: STAGE_AFTER[event] }).where("order_id", "=", orderId).where("order_stage", "!=", "settled").execute();
  }
  const rows = await trx.selectFrom("commissions").selectAll().where("order_id", "=", orderId).where("status", "in", [...fromStates(event)]).forUpdate().execute();
  for (const c of rows) await transition(trx, c, event, causeId, now);
}

/**
 * Risk review decided on a flagged commission: rejected, it is never paid; approved, it becomes owed
 * and catches up with its order (frozen once the order is completed, available once it is settled).
 */
export async function reviewCommission(trx: Db, commissionId: string, decision: "approved" | "rejected", causeId: string, now: Date): Promise<void> {
  const c = await trx.selectFrom("commissions").selectAll().where("id", "=", commissionId).forUpdate().executeTakeFirst();
  if (c?.status !== "flagged") return;
  if (decision === "rejected") {
    await transition(trx, c, "reject", causeId, now);
    return;
  }
  const approved = await transition(trx, c, "approve", causeId, now);
  if (!approved || c.order_stage === "paid") return;
  await transition(trx, approved, c.order_stage === "completed" ? "freeze" : "release", causeId, now);
}

/**
 * A partial refund takes the refunded share off each live commission of the order: what is kept
 * becomes floor(amount × (payable − refunded so far) / payable), and the drop goes back to the platform.
 */
export async function reverseForRefund(trx: Db, input: { orderId: string; refundId: string; amount: number }, now: Date): Promise<void> {
  const rows = await trx.selectFrom("commissions").selectAll().where("order_id", "=", input.orderId).where("status", "in", [...fromStates("reverse_part")]).forUpdate().execute();
  for (const c of rows) {
    const refunded = c.refunded + input.amount;
    const kept = keptAfterRefunds(c.amount, c.order_payable, refunded);
    const reversed = c.kept - kept;
    if (!(await recordEvent(trx, c, "reverse_part", input.refundId, nextCommissionStatus(c.status, "reverse_part"), reversed, now))) continue;
    await trx.updateTable("commissions").set({ refunded, kept, updated_at: now }).where("id", "=", c.id).execute();
    await move(trx, c, `commission:${c.id}:reverse:${input.refundId}`, accountOf(c, c.status), PLATFORM_COMMISSION, reversed, now);
    if (reversed > 0) await publish(trx, "commission.reversed", c.id, { commissionId: c.id, orderId: input.orderId, refundId: input.refundId, reversed, kept }, now);
  }
}

export interface CommissionView {
  id: string;
  orderId: string;
  buyer: string;
  level: number;
  base: number;
  amount: number;
  kept: number;
  status: CommissionStatus;
  createdAt: Date;
}

/** A promoter's commissions (我的订单), newest first; buyers by display name only. */
export async function myCommissions(deps: Deps, promoterId: string, q: { status?: CommissionStatus; limit: number; after?: string }) {
  let query = deps.db.selectFrom("commissions").selectAll().where("promoter_id", "=", promoterId).orderBy("id", "desc").limit(q.limit + 1);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const names = await displayNames(deps.db, rows.map((r) => r.buyer_id));
  const items: CommissionView[] = rows
    .slice(0, q.limit)
    .map((r) => ({ id: r.id, orderId: r.order_id, buyer: names.get(r.buyer_id) ?? "", level: r.level, base: r.base, amount: r.amount, kept: r.kept, status: r.status, createdAt: r.created_at }));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}
