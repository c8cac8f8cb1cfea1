import { type Expression, type Selectable, type SqlBool, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { systemActor } from "../../platform/auth/principal.js";
import { DAY, MINUTE } from "../../platform/clock.js";
import { maskPhone } from "../../platform/crypto.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { cancelJob, schedule } from "../../platform/jobs/jobs.js";
import { removeFromCart } from "../cart/cart.service.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { likeEscape } from "../catalog/products.service.js";
import { getAddress } from "../identity/addresses.service.js";
import { findConsumerByPhone } from "../identity/identity.service.js";
import { commitReservation, releaseReservation, reserveStock, returnStock } from "../inventory/inventory.service.js";
import { type OrderEvent, type OrderStatus, nextStatus } from "./order-machine.js";
import type { AddressSnapshot, OrdersTables } from "./orders.tables.js";
import { type CheckoutOptions, type MerchantBreakdown, type PricedLine, priceCheckout } from "./pricing.js";

type OrderRow = Selectable<OrdersTables["orders"]>;

export const JOB_AUTO_CANCEL = "order.auto_cancel";
export const JOB_AUTO_CONFIRM = "order.auto_confirm";
export const JOB_AFTERSALE_WINDOW = "order.aftersale_window_close";
/** Days after receipt during which after-sales may be requested; rewards and commissions wait for it. */
export const AFTERSALE_WINDOW_DAYS = 7;
export const MAX_LINES = 50;

export interface CheckoutLine {
  skuId: string;
  qty: number;
}

/** A campaign an order belongs to (秒杀, 拼团, 砍价): its module prices it and may hold its fulfilment. */
export interface CampaignRef {
  type: string;
  ref: string;
}

export interface CheckoutInput {
  userId: string;
  lines: CheckoutLine[];
  channel?: string;
  options?: CheckoutOptions;
  campaign?: CampaignRef;
}

export interface PlaceOrdersInput extends CheckoutInput {
  addressId: string;
  note?: string;
  /** Minutes before an unpaid order is cancelled; the configured default otherwise. */
  paymentTimeoutMinutes?: number;
  /** Why the orders may not ship yet (cleared with releaseHold). */
  hold?: string;
  /** The lines are the buyer's selected cart lines: they leave the cart with the same commit. */
  fromCart?: boolean;
}

/** Merges repeated SKUs and prices every line for this buyer. Unknown or off-sale SKUs are 400s naming the line. */
async function priceLines(deps: Deps, input: CheckoutInput): Promise<{ lines: PricedLine[]; parts: MerchantBreakdown[] }> {
  if (input.lines.length === 0) throw invalidField("items", "nothing to check out");
  const merged = new Map<string, number>();
  for (const l of input.lines) merged.set(l.skuId, (merged.get(l.skuId) ?? 0) + l.qty);
  if (merged.size > MAX_LINES) throw invalidField("items", `at most ${MAX_LINES} different SKUs per checkout`);
  const wanted = [...merged].map(([skuId, qty]) => ({ skuId, qty }));
  const channel = input.channel ?? "own_store";
  const skus = await skusForSale(deps.db, wanted, { channel });
  const lines: PricedLine[] = wanted.map(({ skuId, qty }, i) => {
    const sku = skus.get(skuId);
    if (!sku) throw invalidField(`items.${i}.skuId`, `no such SKU ${skuId}`);
    if (!sku.onSale) throw invalidField(`items.${i}.skuId`, `${sku.productTitle} is not on sale`);
    return { sku, qty, lineTotal: sku.price * qty };
  });
  const parts = await priceCheckout(lines, { userId: input.userId, channel, options: input.options ?? {}, campaign: input.campaign }, deps.adjusters);
  return { lines, parts };
}

export interface CheckoutPreview {
  parts: Array<{
    merchantId: string;
    lines: Array<{ skuId: string; productId: string; title: string; specs: Record<string, string>; image: string | null; unitPrice: number; listPrice: number; qty: number; lineTotal: number }>;
    itemsTotal: number;
    adjustments: MerchantBreakdown["adjustments"];
    shippingFee: number;
    discountTotal: number;
    payable: number;
  }>;
  itemsTotal: number;
  shippingFee: number;
  discountTotal: number;
  payable: number;
}

function toPreview(parts: MerchantBreakdown[]): CheckoutPreview {
  const sum = (f: (p: MerchantBreakdown) => number) => parts.reduce((s, p) => s + f(p), 0);
  return {
    parts: parts.map((p) => ({
      merchantId: p.merchantId,
      lines: p.lines.map((l) => ({ skuId: l.sku.skuId, productId: l.sku.productId, title: l.sku.productTitle, specs: l.sku.specs, image: l.sku.image, unitPrice: l.sku.price, listPrice: l.sku.listPrice, qty: l.qty, lineTotal: l.lineTotal })),
      itemsTotal: p.itemsTotal,
      adjustments: p.adjustments.map(({ adjuster: _made, ...a }) => a),
      shippingFee: p.shippingFee,
      discountTotal: p.discountTotal,
      payable: p.payable,
    })),
    itemsTotal: sum((p) => p.itemsTotal),
    shippingFee: sum((p) => p.shippingFee),
    discountTotal: sum((p) => p.discountTotal),
    payable: sum((p) => p.payable),
  };
}

/** The price breakdown the buyer would pay, without reserving anything. */
export async function previewCheckout(deps: Deps, input: CheckoutInput): Promise<CheckoutPreview> {
  return toPreview((await priceLines(deps, input)).parts);
}

/**
 * Places the orders of one checkout: one order per merchant, stock reserved for all of them or none,
 * an auto-cancel job per order, `order.created` events — all in one transaction.
 */
export async function placeOrders(deps: Deps, input: PlaceOrdersInput): Promise<{ checkoutId: string; orderIds: string[]; payable: number }> {
  const { parts } = await priceLines(deps, input);
  const address = await getAddress(deps, input.userId, input.addressId).catch(() => {
    throw invalidField("addressId", "no such address in your address book");
  });
  const snapshot: AddressSnapshot = {
    recipient: address.recipient,
    phoneEnc: deps.cipher.encrypt(address.phone),
    province: address.province,
    city: address.city,
    district: address.district,
    detail: address.detail,
    postalCode: address.postalCode,
  };
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + (input.paymentTimeoutMinutes ?? deps.config.orderPaymentTimeoutMinutes) * MINUTE);
  const checkoutId = newId("chk");
  const channel = input.channel ?? "own_store";
  const orderIds = await deps.db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (const part of parts) {
      const orderId = newId("ord");
      ids.push(orderId);
      await trx
        .insertInto("orders")
        .values({
          id: orderId,
          checkout_id: checkoutId,
          user_id: input.userId,
          merchant_id: part.merchantId,
          channel,
          status: "pending_payment",
          items_total: part.itemsTotal,
          shipping_fee: part.shippingFee,
          discount_total: part.discountTotal,
          payable: part.payable,
          refunded_amount: 0,
          address: JSON.stringify(snapshot),
          note: input.note ?? null,
          payment_id: null,
          payment_provider: null,
          created_at: now,
          updated_at: now,
          expires_at: expiresAt,
          paid_at: null,
          shipped_at: null,
          delivered_at: null,
          completed_at: null,
          cancelled_at: null,
          closed_at: null,
          cancel_reason: null,
          campaign_type: input.campaign?.type ?? null,
          campaign_ref: input.campaign?.ref ?? null,
          fulfilment_hold: input.hold ?? null,
        })
        .execute();
      await trx
        .insertInto("order_items")
        .values(
          part.lines.map((l) => ({
            id: newId("oit"),
            order_id: orderId,
            sku_id: l.sku.skuId,
            product_id: l.sku.productId,
            title: l.sku.productTitle,
            specs: JSON.stringify(l.sku.specs),
            image: l.sku.image,
            unit_price: l.sku.price,
            list_price: l.sku.listPrice,
            qty: l.qty,
            line_total: l.lineTotal,
            after_sale_exempt: l.sku.afterSaleExempt,
            refunded_qty: 0,
            components: JSON.stringify(l.sku.components),
          })),
        )
        .execute();
      if (part.adjustments.length > 0) {
        await trx
          .insertInto("order_adjustments")
          .values(part.adjustments.map((a) => ({ id: newId("adj"), order_id: orderId, type: a.type, label: a.label, amount: a.amount, source: a.source ?? null })))
          .execute();
      }
      for (const adjuster of deps.adjusters) {
        const mine = part.adjustments.filter((a) => a.adjuster === adjuster.name);
        if (adjuster.commit && mine.length > 0) await adjuster.commit(trx, { orderId, userId: input.userId, merchantId: part.merchantId, adjustments: mine }, now);
      }
      await trx.insertInto("order_events").values({ id: newId("oev"), order_id: orderId, event: "create", from_status: null, to_status: "pending_payment", actor_kind: "consumer", actor_id: input.userId, note: null, at: now }).execute();
      await schedule(trx, { type: JOB_AUTO_CANCEL, runAt: expiresAt, payload: { orderId }, key: `${JOB_AUTO_CANCEL}:${orderId}` }, now);
      await publish(trx, "order.created", orderId, { orderId, checkoutId, userId: input.userId, merchantId: part.merchantId, channel, payable: part.payable, campaign: input.campaign ?? null, skus: part.lines.map((l) => ({ skuId: l.sku.skuId, productId: l.sku.productId, qty: l.qty })) }, now);
    }
    if (input.fromCart) await removeFromCart({ ...deps, db: trx }, input.userId, input.lines.map((l) => l.skuId));
    // Stock last: its row locks are what concurrent buyers of the same goods queue on, so they are taken
    // only when everything else is written. Bundles hold stock on their components.
    for (const [i, part] of parts.entries()) {
      const stockLines = part.lines.flatMap((l) => (l.sku.components.length > 0 ? l.sku.components.map((c) => ({ skuId: c.skuId, qty: c.qty * l.qty })) : [{ skuId: l.sku.skuId, qty: l.qty }]));
      await reserveStock(trx, ids[i], stockLines, expiresAt, now);
    }
    return ids;
  });
  deps.events.poke();
  return { checkoutId, orderIds, payable: parts.reduce((s, p) => s + p.payable, 0) };
}

/**
 * Moves one order along the machine with a conditional update on its current status, so two racing
 * actors cannot both move it; records the timeline entry and publishes `order.<event>`.
 */
export async function transition(
  trx: Db,
  order: Pick<OrderRow, "id" | "status" | "user_id" | "merchant_id" | "campaign_type" | "campaign_ref">,
  event: OrderEvent,
  actor: Actor,
  now: Date,
  changes: Partial<Omit<OrderRow, "id" | "status">> = {},
  note?: string,
): Promise<OrderStatus> {
  const to = nextStatus(order.status, event);
  const updated = await trx
    .updateTable("orders")
    .set({ ...changes, status: to, updated_at: now } as never)
    .where("id", "=", order.id)
    .where("status", "=", order.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict("order_changed", "the order changed meanwhile; reload it", { orderId: order.id });
  await trx.insertInto("order_events").values({ id: newId("oev"), order_id: order.id, event, from_status: order.status, to_status: to, actor_kind: actor.kind, actor_id: actor.userId, note: note ?? null, at: now }).execute();
  const eventName = { pay: "paid", cancel: "cancelled", ship_part: "partially_shipped", ship: "shipped", deliver: "delivered", confirm_receipt: "completed", close: "closed" }[event];
  await publish(trx, `order.${eventName}`, order.id, { orderId: order.id, userId: order.user_id, merchantId: order.merchant_id, from: order.status, to, campaign: order.campaign_type ? { type: order.campaign_type, ref: order.campaign_ref } : null }, now);
  return to;
}

async function lockOrder(trx: Db, orderId: string): Promise<OrderRow> {
  const order = await trx.selectFrom("orders").selectAll().where("id", "=", orderId).forUpdate().executeTakeFirst();
  if (!order) throw notFound("order");
  return order;
}

/** The caller's orders that can be paid now: each must be theirs and pending_payment. */
export async function payableOrders(db: Db, userId: string, orderIds: string[]): Promise<{ orderId: string; payable: number }[]> {
  const rows = await db.selectFrom("orders").select(["id", "status", "payable", "user_id"]).where("id", "in", orderIds).execute();
  return orderIds.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row || row.user_id !== userId) throw notFound(`order ${id}`);
    if (row.status !== "pending_payment") throw conflict("order_not_payable", `order ${id} is ${row.status}, not waiting for payment`, { orderId: id, status: row.status });
    return { orderId: id, payable: row.payable };
  });
}

/**
 * Payment arrived: orders become paid, their stock is committed and their auto-cancel is called off.
 * An order that is already paid by this payment is left as it is (replayed notifications). Callers run
 * it last before committing, as it ends holding the stock rows' locks.
 */
export async function markOrdersPaid(deps: Deps, trx: Db, input: { orderIds: string[]; paymentId: string; provider: string; paidAt: Date }): Promise<void> {
  const actor: Actor = { ...systemActor, kind: "payment" };
  const paid: string[] = [];
  for (const orderId of [...input.orderIds].sort()) {
    const order = await lockOrder(trx, orderId);
    if (order.payment_id === input.paymentId && order.status !== "pending_payment") continue;
    await transition(trx, order, "pay", actor, input.paidAt, { paid_at: input.paidAt, payment_id: input.paymentId, payment_provider: input.provider });
    await cancelJob(trx, `${JOB_AUTO_CANCEL}:${orderId}`, input.paidAt);
    paid.push(orderId);
  }
  // Stock last, as in placeOrders: the stock rows are the hot ones.
  for (const orderId of paid) await commitReservation(trx, orderId, input.paidAt);
}

/**
 * Puts goods that came back (a return, a failed group buy, a refund before shipment) into stock: a
 * bundle line restocks the components it held, as recorded on the order item.
 */
export async function restockOrderItems(trx: Db, orderId: string, items: { skuId: string; qty: number }[], reason: string, now: Date): Promise<void> {
  const lines = await trx.selectFrom("order_items").select(["sku_id", "components"]).where("order_id", "=", orderId).execute();
  for (const item of items) {
    const line = lines.find((l) => l.sku_id === item.skuId);
    const parts = line && line.components.length > 0 ? line.components.map((c) => ({ skuId: c.skuId, qty: c.qty * item.qty })) : [item];
    for (const part of parts) await returnStock(trx, { orderId, skuId: part.skuId, qty: part.qty, reason }, now);
  }
}

/** Lets a held order ship (its campaign succeeded). */
export async function releaseHold(deps: Deps, trx: Db, orderId: string, actor: Actor): Promise<void> {
  const now = deps.clock.now();
  const order = await lockOrder(trx, orderId);
  if (!order.fulfilment_hold) return;
  await trx.updateTable("orders").set({ fulfilment_hold: null, updated_at: now }).where("id", "=", orderId).execute();
  await trx.insertInto("order_events").values({ id: newId("oev"), order_id: orderId, event: "release_hold", from_status: order.status, to_status: order.status, actor_kind: actor.kind, actor_id: actor.userId, note: order.fulfilment_hold, at: now }).execute();
}

/** Cancels an unpaid order and releases its stock (buyer, operator or the payment timeout). */
export async function cancelOrder(deps: Deps, trx: Db, orderId: string, actor: Actor, reason: string): Promise<void> {
  const now = deps.clock.now();
  const order = await lockOrder(trx, orderId);
  await transition(trx, order, "cancel", actor, now, { cancelled_at: now, cancel_reason: reason }, reason);
  await releaseReservation(trx, orderId, now);
  await cancelJob(trx, `${JOB_AUTO_CANCEL}:${orderId}`, now);
}

/** Shipping calls this when a shipment leaves; `complete` when every item has shipped. */
export async function markShipped(deps: Deps, trx: Db, orderId: string, complete: boolean, actor: Actor): Promise<OrderStatus> {
  const now = deps.clock.now();
  const order = await lockOrder(trx, orderId);
  if (order.fulfilment_hold) throw conflict("order_on_hold", `this order may not ship yet: ${order.fulfilment_hold}`, { orderId, hold: order.fulfilment_hold });
  if (!complete) return transition(trx, order, "ship_part", actor, now, order.shipped_at ? {} : { shipped_at: now });
  const to = await transition(trx, order, "ship", actor, now, { shipped_at: order.shipped_at ?? now });
  await schedule(trx, { type: JOB_AUTO_CONFIRM, runAt: new Date(now.getTime() + deps.config.autoConfirmReceiptDays * DAY), payload: { orderId }, key: `${JOB_AUTO_CONFIRM}:${orderId}` }, now);
  return to;
}

/** The carrier reports delivery. */
export async function markDelivered(deps: Deps, trx: Db, orderId: string, actor: Actor): Promise<void> {
  const now = deps.clock.now();
  const order = await lockOrder(trx, orderId);
  if (order.status === "delivered" || order.status === "completed") return;
  await transition(trx, order, "deliver", actor, now, { delivered_at: now });
}

/** Receipt confirmed (by the buyer or the auto-confirm job): the after-sales window starts now. */
export async function confirmReceipt(deps: Deps, trx: Db, orderId: string, actor: Actor): Promise<void> {
  const now = deps.clock.now();
  const order = await lockOrder(trx, orderId);
  await transition(trx, order, "confirm_receipt", actor, now, { completed_at: now });
  await cancelJob(trx, `${JOB_AUTO_CONFIRM}:${orderId}`, now);
  await schedule(trx, { type: JOB_AFTERSALE_WINDOW, runAt: new Date(now.getTime() + AFTERSALE_WINDOW_DAYS * DAY), payload: { orderId }, key: `${JOB_AFTERSALE_WINDOW}:${orderId}` }, now);
}

/**
 * A refund went out for this order (after-sales): adds it to the refunded amount and, when the whole
 * paid amount is back with the buyer, closes the order.
 */
export async function recordRefund(deps: Deps, trx: Db, input: { orderId: string; amount: number; items?: { skuId: string; qty: number }[]; actor: Actor }): Promise<OrderStatus> {
  const now = deps.clock.now();
  const order = await lockOrder(trx, input.orderId);
  const refunded = order.refunded_amount + input.amount;
  if (refunded > order.payable) throw conflict("refund_exceeds_paid", "refunds would exceed what was paid", { orderId: order.id, payable: order.payable, refunded: order.refunded_amount });
  await trx.updateTable("orders").set({ refunded_amount: refunded, updated_at: now }).where("id", "=", order.id).execute();
  for (const item of input.items ?? []) {
    await trx.updateTable("order_items").set((eb) => ({ refunded_qty: eb("refunded_qty", "+", item.qty) })).where("order_id", "=", order.id).where("sku_id", "=", item.skuId).execute();
  }
  if (refunded === order.payable) return transition(trx, order, "close", input.actor, now, { closed_at: now, refunded_amount: refunded }, "fully refunded");
  return order.status;
}

export interface OrderView {
  id: string;
  checkoutId: string;
  userId: string;
  merchantId: string;
  channel: string;
  status: OrderStatus;
  itemsTotal: number;
  shippingFee: number;
  discountTotal: number;
  payable: number;
  refundedAmount: number;
  note: string | null;
  address: Omit<AddressSnapshot, "phoneEnc"> & { phone: string };
  paymentId: string | null;
  campaign: CampaignRef | null;
  fulfilmentHold: string | null;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  closedAt: Date | null;
  items: Array<{ id: string; skuId: string; productId: string; title: string; specs: Record<string, string>; image: string | null; unitPrice: number; listPrice: number; qty: number; lineTotal: number; afterSaleExempt: boolean; refundedQty: number }>;
  adjustments: Array<{ type: string; label: string; amount: number }>;
  timeline: Array<{ event: string; from: string | null; to: string; actorKind: string; note: string | null; at: Date }>;
}

/** Who is looking decides what they may see: the buyer, the merchant of the order, or an operator. */
export type Viewer = { kind: "buyer"; userId: string } | { kind: "merchant"; merchantId: string } | { kind: "operator" } | { kind: "system" };

function visibleTo(order: OrderRow, viewer: Viewer): boolean {
  if (viewer.kind === "buyer") return order.user_id === viewer.userId;
  if (viewer.kind === "merchant") return order.merchant_id === viewer.merchantId;
  return true;
}

/** One order with lines, adjustments and timeline. Orders the viewer may not see are "not found". */
export async function getOrder(deps: Deps, orderId: string, viewer: Viewer): Promise<OrderView> {
  // One round trip: lines, adjustments and timeline come back as JSON arrays beside the order row.
  const order = await deps.db
    .selectFrom("orders")
    .selectAll("orders")
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom("order_items").selectAll().whereRef("order_items.order_id", "=", "orders.id").orderBy("id")).as("items"),
      jsonArrayFrom(eb.selectFrom("order_adjustments").select(["type", "label", "amount"]).whereRef("order_adjustments.order_id", "=", "orders.id").orderBy("id")).as("adjustments"),
      jsonArrayFrom(eb.selectFrom("order_events").selectAll().whereRef("order_events.order_id", "=", "orders.id").orderBy("id")).as("timeline"),
    ])
    .where("id", "=", orderId)
    .executeTakeFirst();
  if (!order || !visibleTo(order, viewer)) throw notFound("order");
  const { items, adjustments, timeline } = order;
  const { phoneEnc, ...address } = order.address;
  const phone = deps.cipher.decrypt(phoneEnc);
  return {
    ...summary(order),
    address: { ...address, phone: viewer.kind === "buyer" || viewer.kind === "system" ? phone : maskPhone(phone) },
    items: items.map((i) => ({ id: i.id, skuId: i.sku_id, productId: i.product_id, title: i.title, specs: i.specs, image: i.image, unitPrice: i.unit_price, listPrice: i.list_price, qty: i.qty, lineTotal: i.line_total, afterSaleExempt: i.after_sale_exempt, refundedQty: i.refunded_qty })),
    adjustments: adjustments.map((a) => ({ type: a.type, label: a.label, amount: a.amount })),
    // JSON carries the timestamp as text.
    timeline: timeline.map((e) => ({ event: e.event, from: e.from_status, to: e.to_status, actorKind: e.actor_kind, note: e.note, at: new Date(e.at) })),
  };
}

function summary(o: OrderRow) {
  return {
    id: o.id,
    checkoutId: o.checkout_id,
    userId: o.user_id,
    merchantId: o.merchant_id,
    channel: o.channel,
    status: o.status,
    itemsTotal: o.items_total,
    shippingFee: o.shipping_fee,
    discountTotal: o.discount_total,
    payable: o.payable,
    refundedAmount: o.refunded_amount,
    note: o.note,
    paymentId: o.payment_id,
    campaign: o.campaign_type ? { type: o.campaign_type, ref: o.campaign_ref ?? "" } : null,
    fulfilmentHold: o.fulfilment_hold,
    createdAt: o.created_at,
    expiresAt: o.expires_at,
    paidAt: o.paid_at,
    shippedAt: o.shipped_at,
    deliveredAt: o.delivered_at,
    completedAt: o.completed_at,
    cancelledAt: o.cancelled_at,
    closedAt: o.closed_at,
  };
}

/**
 * What staff type into the order search box: an order number (its id, or the start of it), the
 * buyer's phone number (matched through the keyed hash, so no number is ever decrypted to search), or
 * words from the recipient's name or an item's title.
 */
async function searchFilter(deps: Deps, text: string): Promise<Expression<SqlBool> | "nothing"> {
  const term = text.trim();
  if (/^ord_/i.test(term)) return sql<boolean>`orders.id like ${`${likeEscape(`ord_${term.slice(4).toUpperCase()}`)}%`}`;
  if (/^1[3-9]\d{9}$/.test(term)) {
    const buyer = await findConsumerByPhone(deps, deps.db, term);
    return buyer ? sql<boolean>`orders.user_id = ${buyer.id}` : "nothing";
  }
  const like = `%${likeEscape(term)}%`;
  return sql<boolean>`(orders.address->>'recipient' ilike ${like} or exists (select 1 from order_items i where i.order_id = orders.id and i.title ilike ${like}))`;
}

export async function listOrders(deps: Deps, viewer: Viewer, q: { status?: OrderStatus; q?: string; limit: number; after?: string }) {
  let query = deps.db.selectFrom("orders").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (viewer.kind === "buyer") query = query.where("user_id", "=", viewer.userId);
  if (viewer.kind === "merchant") query = query.where("merchant_id", "=", viewer.merchantId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.q) {
    const filter = await searchFilter(deps, q.q);
    if (filter === "nothing") return { items: [], nextCursor: null };
    query = query.where(filter);
  }
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const firstItems = rows.length
    ? await deps.db.selectFrom("order_items").select(["order_id", "title", "image", "qty"]).where("order_id", "in", rows.map((r) => r.id)).orderBy("id").execute()
    : [];
  const items = rows.slice(0, q.limit).map((r) => ({ ...summary(r), recipient: r.address.recipient, items: firstItems.filter((i) => i.order_id === r.id).map((i) => ({ title: i.title, image: i.image, qty: i.qty })) }));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}
