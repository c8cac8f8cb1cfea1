import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { audit } from "../../platform/audit.js";
import type { Actor } from "../../platform/auth/principal.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound, unprocessable } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { resolveOwnMedia } from "../media/media.service.js";
import { type OrderView, type Viewer, getOrder, recordRefund, restockOrderItems } from "../orders/orders.service.js";
import { refundOrder } from "../payments/refunds.service.js";
import type { CarrierCode } from "../shipping/carriers.js";
import { type AftersaleEvent, type AftersaleStatus, type AftersaleType, FINAL_STATES, nextAftersaleStatus } from "./after-sales-machine.js";
import { QUALITY_REASONS, REASONS, type ReasonCode, assertWindowOpen } from "./after-sales-rules.js";
import type { AftersalesTables } from "./aftersales.tables.js";
import { paidShareOf } from "./refund-amount.js";

type RequestRow = Selectable<AftersalesTables["aftersale_requests"]>;

export interface NewAftersaleRequest {
  orderId: string;
  userId: string;
  type: AftersaleType;
  items: { orderItemId: string; qty: number }[];
  reasonCode: ReasonCode;
  description: string;
  /** Media ids or /uploads URLs of the buyer's own uploads. */
  photos: string[];
  /** Fen; defaults to the items' paid share (refund types only). */
  refundAmount?: number;
}

export interface AftersaleView {
  id: string;
  orderId: string;
  userId: string;
  merchantId: string;
  type: AftersaleType;
  status: AftersaleStatus;
  reason: { code: ReasonCode; label: string };
  description: string;
  photos: string[];
  refundAmount: number;
  itemsShare: number;
  refundId: string | null;
  items: Array<{ orderItemId: string; skuId: string; title: string; qty: number }>;
  returnShipment: { carrier: string; trackingNo: string } | null;
  reshipment: { carrier: string; trackingNo: string } | null;
  rejectReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Every step, oldest first. */
  history: Array<{ event: string; from: string | null; to: string; actorKind: string; note: string | null; at: Date }>;
}

/** Staff acting on a request: who they are, and whose requests they may see (their merchant's, or all). */
export interface Staff {
  viewer: Viewer;
  actor: Actor;
}

const alreadyOpen = (open?: { orderItemId: string; requestId: string }[]) =>
  conflict("aftersale_already_open", "an item of this request already has an open after-sales request", open ? { open } : undefined);
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === "23505";

function chosenLines(order: OrderView, lines: NewAftersaleRequest["items"]) {
  if (new Set(lines.map((l) => l.orderItemId)).size !== lines.length) throw invalidField("items", "name each item once");
  return lines.map((l, n) => {
    const item = order.items.find((i) => i.id === l.orderItemId);
    if (!item) throw invalidField(`items.${n}.orderItemId`, `no such item in order ${order.id}`);
    const left = item.qty - item.refundedQty;
    if (l.qty > left) throw invalidField(`items.${n}.qty`, `at most ${left} of this item can be asked for`);
    return { item, qty: l.qty };
  });
}

/**
 * Opens an after-sales request on some items of the buyer's order, within the type's time window.
 * Exempt items (after_sale_exempt) come back only for a quality reason shown in photos. The refund
 * defaults to the items' paid share and is capped by what is paid and not yet refunded or asked for.
 */
export async function openRequest(deps: Deps, input: NewAftersaleRequest): Promise<AftersaleView> {
  const order = await getOrder(deps, input.orderId, { kind: "buyer", userId: input.userId });
  const now = deps.clock.now();
  assertWindowOpen(input.type, order, now);
  const lines = chosenLines(order, input.items);
  if (input.type === "return_refund" && lines.some((l) => l.item.afterSaleExempt)) {
    if (!QUALITY_REASONS.includes(input.reasonCode) || input.photos.length === 0) {
      throw unprocessable("aftersale_exempt_item", "this item takes no no-reason returns; a return needs a quality reason and photos", {
        items: lines.filter((l) => l.item.afterSaleExempt).map((l) => l.item.id),
        reasons: QUALITY_REASONS,
      });
    }
  }
  // The unique index decides under races; this names the item in the common case.
  const assertNoneOpen = async () => {
    const open = await deps.db.selectFrom("aftersale_items").select(["order_item_id", "request_id"]).where("order_item_id", "in", lines.map((l) => l.item.id)).where("open", "=", true).execute();
    if (open.length > 0) throw alreadyOpen(open.map((o) => ({ orderItemId: o.order_item_id, requestId: o.request_id })));
  };
  await assertNoneOpen();
  const photos = await resolveOwnMedia(deps.db, input.userId, input.photos, "photos");
  const itemsShare = paidShareOf(order, lines.map((l) => ({ orderItemId: l.item.id, qty: l.qty })));
  const refunds = input.type === "refund_only" || input.type === "return_refund";
  let refundAmount = 0;
  if (refunds) {
    const asked = await deps.db
      .selectFrom("aftersale_requests")
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("refund_amount"), eb.lit(0)).as("amount"))
      .where("order_id", "=", order.id)
      .where("status", "not in", [...FINAL_STATES])
      .executeTakeFirstOrThrow();
    const refundable = order.payable - order.refundedAmount - Number(asked.amount);
    refundAmount = input.refundAmount ?? Math.min(itemsShare, refundable);
    // A request for the same items may have been opened since the check above: that is the reason to give.
    if (refundAmount <= 0 || refundAmount > refundable) await assertNoneOpen();
    if (refundAmount <= 0) throw unprocessable("nothing_to_refund", "nothing of this order is left to refund", { refundable });
    if (refundAmount > refundable) throw invalidField("refundAmount", `at most ${refundable} fen (paid, less what is refunded or already asked for)`);
  } else if (input.refundAmount) {
    throw invalidField("refundAmount", `a ${input.type} request refunds nothing`);
  }
  const id = newId("afs");
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("aftersale_requests")
        .values({
          id,
          order_id: order.id,
          user_id: input.userId,
          merchant_id: order.merchantId,
          type: input.type,
          status: "requested",
          reason_code: input.reasonCode,
          description: input.description,
          photos: JSON.stringify(photos),
          refund_amount: refundAmount,
          items_share: itemsShare,
          refund_id: null,
          return_carrier: null,
          return_tracking_no: null,
          reship_carrier: null,
          reship_tracking_no: null,
          reject_reason: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto("aftersale_items")
        .values(lines.map((l) => ({ request_id: id, order_item_id: l.item.id, sku_id: l.item.skuId, title: l.item.title, qty: l.qty, open: true })))
        .execute();
      await trx.insertInto("aftersale_events").values({ id: newId("aev"), request_id: id, event: "request", from_status: null, to_status: "requested", actor_kind: "consumer", actor_id: input.userId, note: null, at: now }).execute();
      await publish(trx, "aftersale.requested", id, { requestId: id, orderId: order.id, userId: input.userId, merchantId: order.merchantId, type: input.type, refundAmount }, now);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyOpen();
    throw err;
  }
  deps.events.poke();
  return view(deps.db, (await findRequest(deps.db, id))!);
}

async function findRequest(db: Db, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom("aftersale_requests").selectAll().where("id", "=", id).executeTakeFirst();
}

function visibleTo(row: RequestRow, viewer: Viewer): boolean {
  if (viewer.kind === "buyer") return row.user_id === viewer.userId;
  if (viewer.kind === "merchant") return row.merchant_id === viewer.merchantId;
  return true;
}

async function view(db: Db, row: RequestRow): Promise<AftersaleView> {
  const [items, history] = await Promise.all([
    db.selectFrom("aftersale_items").selectAll().where("request_id", "=", row.id).orderBy("order_item_id").execute(),
    db.selectFrom("aftersale_events").selectAll().where("request_id", "=", row.id).orderBy("id").execute(),
  ]);
  return {
    id: row.id,
    orderId: row.order_id,
    userId: row.user_id,
    merchantId: row.merchant_id,
    type: row.type,
    status: row.status,
    reason: { code: row.reason_code, label: REASONS[row.reason_code] },
    description: row.description,
    photos: row.photos,
    refundAmount: row.refund_amount,
    itemsShare: row.items_share,
    refundId: row.refund_id,
    items: items.map((i) => ({ orderItemId: i.order_item_id, skuId: i.sku_id, title: i.title, qty: i.qty })),
    returnShipment: row.return_carrier && row.return_tracking_no ? { carrier: row.return_carrier, trackingNo: row.return_tracking_no } : null,
    reshipment: row.reship_carrier && row.reship_tracking_no ? { carrier: row.reship_carrier, trackingNo: row.reship_tracking_no } : null,
    rejectReason: row.reject_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    history: history.map((e) => ({ event: e.event, from: e.from_status, to: e.to_status, actorKind: e.actor_kind, note: e.note, at: e.at })),
  };
}

/** One request with its full history, for its buyer or the staff who may see it (404 for anyone else). */
export async function getRequest(deps: Deps, id: string, viewer: Viewer): Promise<AftersaleView> {
  const row = await findRequest(deps.db, id);
  if (!row || !visibleTo(row, viewer)) throw notFound("after-sales request");
  return view(deps.db, row);
}

export async function listRequests(
  deps: Deps,
  viewer: Viewer,
  q: { status?: AftersaleStatus; type?: AftersaleType; orderId?: string; limit: number; after?: string },
): Promise<{ items: AftersaleView[]; nextCursor: string | null }> {
  let query = deps.db.selectFrom("aftersale_requests").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (viewer.kind === "buyer") query = query.where("user_id", "=", viewer.userId);
  if (viewer.kind === "merchant") query = query.where("merchant_id", "=", viewer.merchantId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.type) query = query.where("type", "=", q.type);
  if (q.orderId) query = query.where("order_id", "=", q.orderId);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const items = await Promise.all(rows.slice(0, q.limit).map((r) => view(deps.db, r)));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/**
 * Moves a request along the machine: the row is locked and updated only from the state it was read
 * in, the step is recorded, `aftersale.<new state>` is published, and a final state frees its items.
 */
async function move(trx: Db, row: RequestRow, event: AftersaleEvent, actor: Actor, now: Date, changes: Partial<Pick<RequestRow, "refund_id" | "return_carrier" | "return_tracking_no" | "reship_carrier" | "reship_tracking_no" | "reject_reason">> = {}, note?: string): Promise<RequestRow> {
  const to = nextAftersaleStatus(row.type, row.status, event);
  const updated = await trx
    .updateTable("aftersale_requests")
    .set({ ...changes, status: to, updated_at: now })
    .where("id", "=", row.id)
    .where("status", "=", row.status)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw conflict("aftersale_changed", "the request changed meanwhile; reload it", { requestId: row.id });
  await trx.insertInto("aftersale_events").values({ id: newId("aev"), request_id: row.id, event, from_status: row.status, to_status: to, actor_kind: actor.kind, actor_id: actor.userId, note: note ?? null, at: now }).execute();
  if (FINAL_STATES.includes(to)) await trx.updateTable("aftersale_items").set({ open: false }).where("request_id", "=", row.id).execute();
  await publish(trx, `aftersale.${to}`, row.id, { requestId: row.id, orderId: row.order_id, userId: row.user_id, merchantId: row.merchant_id, type: row.type, from: row.status, to, refundAmount: row.refund_amount }, now);
  return updated;
}

async function lockRequest(trx: Db, id: string): Promise<RequestRow> {
  return trx.selectFrom("aftersale_requests").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
}

async function itemsOf(trx: Db, requestId: string) {
  return trx.selectFrom("aftersale_items").select(["sku_id", "qty"]).where("request_id", "=", requestId).orderBy("order_item_id").execute();
}

/**
 * Pays the refund: the payment provider (at most once per request: the request id is the key), the
 * order's refunded amount (which closes a fully refunded order), and when `restock`, the stock of the
 * items it refunds (a compensation leaves them with the buyer, to be shipped).
 */
async function payRefund(deps: Deps, trx: Db, row: RequestRow, actor: Actor, now: Date, restock: boolean): Promise<RequestRow> {
  const { refundId } = await refundOrder(deps, trx, { orderId: row.order_id, amount: row.refund_amount, reason: `after-sales ${row.type} ${row.id}`, key: row.id });
  const items = await itemsOf(trx, row.id);
  // A smaller amount than the items' share is a partial compensation: the items stay the buyer's.
  const itemsRefunded = row.refund_amount >= row.items_share;
  await recordRefund(deps, trx, { orderId: row.order_id, amount: row.refund_amount, items: itemsRefunded ? items.map((i) => ({ skuId: i.sku_id, qty: i.qty })) : undefined, actor });
  if (restock && itemsRefunded) await restockOrderItems(trx, row.order_id, items.map((i) => ({ skuId: i.sku_id, qty: i.qty })), `refunded before shipment (${row.id})`, now);
  return move(trx, row, "refund", actor, now, { refund_id: refundId });
}

async function staffAction<T>(deps: Deps, id: string, staff: Staff, act: (trx: Db, row: RequestRow, now: Date) => Promise<T>): Promise<AftersaleView> {
  const before = await findRequest(deps.db, id);
  if (!before || !visibleTo(before, staff.viewer)) throw notFound("after-sales request");
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await lockRequest(trx, id);
    await act(trx, row, now);
  });
  deps.events.poke();
  return getRequest(deps, id, staff.viewer);
}

async function auditMove(trx: Db, staff: Staff, action: string, before: RequestRow, after: RequestRow, now: Date, extra: Record<string, unknown> = {}) {
  await audit(trx, staff.actor, { action: `aftersale.${action}`, entity: "aftersale_request", entityId: before.id, before: { status: before.status }, after: { status: after.status, ...extra } }, now);
}

/**
 * Accepts a request. A refund-only request on an order that has not shipped yet is refunded in the
 * same step, and its goods, which never left, go back into stock.
 */
export async function approveRequest(deps: Deps, id: string, staff: Staff, note?: string): Promise<AftersaleView> {
  const row = await findRequest(deps.db, id);
  // Read before the transaction: the order service reads outside it.
  const order = row && visibleTo(row, staff.viewer) ? await getOrder(deps, row.order_id, { kind: "system" }) : undefined;
  return staffAction(deps, id, staff, async (trx, locked, now) => {
    let after = await move(trx, locked, "approve", staff.actor, now, {}, note);
    if (locked.type === "refund_only" && order?.status === "paid") after = await payRefund(deps, trx, after, staff.actor, now, true);
    await auditMove(trx, staff, "approve", locked, after, now, { note });
  });
}

export async function rejectRequest(deps: Deps, id: string, staff: Staff, reason: string): Promise<AftersaleView> {
  return staffAction(deps, id, staff, async (trx, row, now) => {
    const after = await move(trx, row, "reject", staff.actor, now, { reject_reason: reason }, reason);
    await auditMove(trx, staff, "reject", row, after, now, { reason });
  });
}

/**
 * The returned goods arrived. Goods of a return (退货退款) go back into stock unless the merchant
 * says they cannot be sold again (`restock: false`); exchanged and repaired goods go out again.
 */
export async function receiveReturn(deps: Deps, id: string, staff: Staff, restock: boolean): Promise<AftersaleView> {
  return staffAction(deps, id, staff, async (trx, row, now) => {
    const after = await move(trx, row, "receive_return", staff.actor, now, {}, restock && row.type === "return_refund" ? "restocked" : undefined);
    if (restock && row.type === "return_refund") {
      await restockOrderItems(trx, row.order_id, (await itemsOf(trx, row.id)).map((i) => ({ skuId: i.sku_id, qty: i.qty })), `returned (${row.id})`, now);
    }
    await auditMove(trx, staff, "receive_return", row, after, now, { restock });
  });
}

/** Pays an approved refund-only request, or a return once its goods are back. */
export async function refundRequest(deps: Deps, id: string, staff: Staff): Promise<AftersaleView> {
  return staffAction(deps, id, staff, async (trx, row, now) => {
    nextAftersaleStatus(row.type, row.status, "refund");
    const after = await payRefund(deps, trx, row, staff.actor, now, false);
    await auditMove(trx, staff, "refund", row, after, now, { amount: row.refund_amount, refundId: after.refund_id });
  });
}

/** Ships the replacement (exchange) or the repaired goods (repair) back to the buyer. */
export async function reshipRequest(deps: Deps, id: string, staff: Staff, parcel: { carrier: CarrierCode; trackingNo: string }): Promise<AftersaleView> {
  return staffAction(deps, id, staff, async (trx, row, now) => {
    const after = await move(trx, row, "reship", staff.actor, now, { reship_carrier: parcel.carrier, reship_tracking_no: parcel.trackingNo });
    await auditMove(trx, staff, "reship", row, after, now, parcel);
  });
}

async function buyerAction(deps: Deps, id: string, userId: string, act: (trx: Db, row: RequestRow, now: Date) => Promise<unknown>): Promise<AftersaleView> {
  const viewer: Viewer = { kind: "buyer", userId };
  const before = await findRequest(deps.db, id);
  if (!before || !visibleTo(before, viewer)) throw notFound("after-sales request");
  await deps.db.transaction().execute(async (trx) => act(trx, await lockRequest(trx, id), deps.clock.now()));
  deps.events.poke();
  return getRequest(deps, id, viewer);
}

/** The buyer withdraws a request that is not yet under way (requested or approved). */
export async function cancelRequest(deps: Deps, id: string, userId: string, actor: Actor): Promise<AftersaleView> {
  return buyerAction(deps, id, userId, (trx, row, now) => move(trx, row, "cancel", actor, now));
}

/** The buyer sent the goods back: carrier and tracking number of the return parcel. */
export async function sendBack(deps: Deps, id: string, userId: string, parcel: { carrier: CarrierCode; trackingNo: string }, actor: Actor): Promise<AftersaleView> {
  return buyerAction(deps, id, userId, (trx, row, now) =>
    move(trx, row, "send_back", actor, now, { return_carrier: parcel.carrier, return_tracking_no: parcel.trackingNo }, `${parcel.carrier} ${parcel.trackingNo}`),
  );
}
