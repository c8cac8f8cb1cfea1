import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import { audit } from "../../platform/audit.js";
import { type Actor, systemActor } from "../../platform/auth/principal.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, conflict, invalidField, notFound, unauthorized } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { type OrderView, type Viewer, getOrder, markDelivered, markShipped } from "../orders/orders.service.js";
import { CARRIER_ADAPTERS, CARRIERS, type CarrierCode, type ShipmentStatus, type TrackingStatus } from "./carriers.js";

export interface ShipmentView {
  id: string;
  orderId: string;
  carrier: { code: CarrierCode; name: string };
  trackingNo: string;
  status: ShipmentStatus;
  createdAt: Date;
  deliveredAt: Date | null;
  items: Array<{ orderItemId: string; skuId: string; qty: number }>;
  /** Oldest first. */
  events: Array<{ at: Date; status: TrackingStatus; location: string | null; description: string }>;
}

export interface ShipmentLine {
  orderItemId?: string;
  skuId?: string;
  qty: number;
}

export interface TrackingEventInput {
  at?: Date;
  status: TrackingStatus;
  location?: string | null;
  description: string;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === "23505";

/** Quantities already shipped per order item, over every parcel of the order. */
export async function shippedQuantities(db: Db, orderId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("shipment_items")
    .innerJoin("shipments", "shipments.id", "shipment_items.shipment_id")
    .select(["shipment_items.order_item_id", (eb) => eb.fn.sum<number>("shipment_items.qty").as("qty")])
    .where("shipments.order_id", "=", orderId)
    .groupBy("shipment_items.order_item_id")
    .execute();
  return new Map(rows.map((r) => [r.order_item_id, Number(r.qty)]));
}

/**
 * Which order items go into this parcel. No lines means "everything not yet shipped". An item is done
 * when shipped plus refunded covers its quantity (refunded before shipment: nothing left to send).
 */
function parcelLines(order: OrderView, shipped: Map<string, number>, lines: ShipmentLine[] | undefined) {
  const remaining = new Map(order.items.map((i) => [i.id, i.qty - i.refundedQty - (shipped.get(i.id) ?? 0)]));
  const wanted = lines
    ? lines.map((l, n) => {
        if (!l.orderItemId === !l.skuId) throw invalidField(`items.${n}`, "give orderItemId or skuId");
        const item = order.items.find((i) => (l.orderItemId ? i.id === l.orderItemId : i.skuId === l.skuId));
        if (!item) throw invalidField(`items.${n}`, `no such item in order ${order.id}`);
        if (l.qty > (remaining.get(item.id) ?? 0)) throw invalidField(`items.${n}.qty`, `only ${Math.max(0, remaining.get(item.id) ?? 0)} left to ship`);
        remaining.set(item.id, (remaining.get(item.id) ?? 0) - l.qty);
        return { orderItemId: item.id, skuId: item.skuId, qty: l.qty };
      })
    : order.items.filter((i) => (remaining.get(i.id) ?? 0) > 0).map((i) => {
        const qty = remaining.get(i.id)!;
        remaining.set(i.id, 0);
        return { orderItemId: i.id, skuId: i.skuId, qty };
      });
  if (wanted.length === 0) throw conflict("nothing_to_ship", "every item of this order has shipped", { orderId: order.id });
  if (new Set(wanted.map((w) => w.orderItemId)).size !== wanted.length) throw invalidField("items", "name each item once");
  return { lines: wanted, complete: [...remaining.values()].every((left) => left <= 0) };
}

/**
 * A parcel leaves: records what it holds and tells orders that the order is partially shipped, or
 * shipped once every item is on its way (which also schedules the automatic receipt confirmation).
 */
export async function createShipment(
  deps: Deps,
  input: { orderId: string; viewer: Viewer; carrier: CarrierCode; trackingNo: string; items?: ShipmentLine[]; actor: Actor },
): Promise<ShipmentView> {
  const order = await getOrder(deps, input.orderId, input.viewer);
  const now = deps.clock.now();
  const id = newId("shp");
  try {
    await deps.db.transaction().execute(async (trx) => {
      // Two parcels of one order are recorded one after the other, so both see what the other shipped.
      await sql`select pg_advisory_xact_lock(hashtext(${`shipping:${order.id}`}))`.execute(trx);
      const { lines, complete } = parcelLines(order, await shippedQuantities(trx, order.id), input.items);
      await trx
        .insertInto("shipments")
        .values({ id, order_id: order.id, merchant_id: order.merchantId, carrier_code: input.carrier, carrier_name: CARRIERS[input.carrier], tracking_no: input.trackingNo, status: "in_transit", created_by: input.actor.userId, created_at: now, delivered_at: null })
        .execute();
      await trx.insertInto("shipment_items").values(lines.map((l) => ({ shipment_id: id, order_item_id: l.orderItemId, sku_id: l.skuId, qty: l.qty }))).execute();
      const status = await markShipped(deps, trx, order.id, complete, input.actor);
      await audit(trx, input.actor, { action: "shipment.create", entity: "shipment", entityId: id, after: { orderId: order.id, carrier: input.carrier, trackingNo: input.trackingNo, items: lines, orderStatus: status } }, now);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("tracking_no_taken", `${input.carrier} tracking number ${input.trackingNo} is already on a shipment`, { field: "trackingNo" });
    throw err;
  }
  deps.events.poke();
  return (await loadShipments(deps.db, { id }))[0];
}

async function loadShipments(db: Db, by: { id?: string; orderId?: string }): Promise<ShipmentView[]> {
  let q = db.selectFrom("shipments").selectAll().orderBy("id");
  if (by.id) q = q.where("id", "=", by.id);
  if (by.orderId) q = q.where("order_id", "=", by.orderId);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, events] = await Promise.all([
    db.selectFrom("shipment_items").selectAll().where("shipment_id", "in", ids).orderBy("order_item_id").execute(),
    db.selectFrom("shipment_events").selectAll().where("shipment_id", "in", ids).orderBy("occurred_at").orderBy("id").execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    carrier: { code: r.carrier_code, name: r.carrier_name },
    trackingNo: r.tracking_no,
    status: r.status,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    items: items.filter((i) => i.shipment_id === r.id).map((i) => ({ orderItemId: i.order_item_id, skuId: i.sku_id, qty: i.qty })),
    events: events.filter((e) => e.shipment_id === r.id).map((e) => ({ at: e.occurred_at, status: e.status, location: e.location, description: e.description })),
  }));
}

/** The parcels of an order the viewer may see (404 otherwise), oldest first. */
export async function shipmentsOfOrder(deps: Deps, orderId: string, viewer: Viewer): Promise<ShipmentView[]> {
  await getOrder(deps, orderId, viewer);
  return loadShipments(deps.db, { orderId });
}

/**
 * Records tracking events of one shipment (events seen before are ignored). A `delivered` event
 * delivers the shipment; when every parcel of a fully shipped order is delivered, the order is too.
 * Staff events are audited; a carrier's push is its own record.
 */
async function recordEvents(deps: Deps, shipmentId: string, events: TrackingEventInput[], source: "staff" | "carrier", actor: Actor): Promise<{ recorded: number }> {
  const shipment = await deps.db.selectFrom("shipments").selectAll().where("id", "=", shipmentId).executeTakeFirst();
  if (!shipment) throw notFound("shipment");
  const order = await getOrder(deps, shipment.order_id, { kind: "system" });
  const now = deps.clock.now();
  const recorded = await deps.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const e of events) {
      const inserted = await trx
        .insertInto("shipment_events")
        .values({ id: newId("sev"), shipment_id: shipmentId, occurred_at: e.at ?? now, status: e.status, location: e.location ?? null, description: e.description, source, created_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      count += Number(inserted.numInsertedOrUpdatedRows ?? 0);
    }
    if (source === "staff") await audit(trx, actor, { action: "shipment.track", entity: "shipment", entityId: shipmentId, after: events }, now);
    const delivered = events.find((e) => e.status === "delivered");
    if (!delivered) return count;
    const updated = await trx
      .updateTable("shipments")
      .set({ status: "delivered", delivered_at: delivered.at ?? now })
      .where("id", "=", shipmentId)
      .where("status", "=", "in_transit")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0 || order.status !== "shipped") return count;
    const undelivered = await trx.selectFrom("shipments").select("id").where("order_id", "=", order.id).where("status", "=", "in_transit").executeTakeFirst();
    if (!undelivered) await markDelivered(deps, trx, order.id, actor);
    return count;
  });
  deps.events.poke();
  return { recorded };
}

/** Staff add a tracking event by hand (a carrier without push, or a correction). */
export async function addTrackingEvent(deps: Deps, input: { shipmentId: string; viewer: Viewer; event: TrackingEventInput; actor: Actor }): Promise<ShipmentView> {
  const shipment = await deps.db.selectFrom("shipments").select(["merchant_id"]).where("id", "=", input.shipmentId).executeTakeFirst();
  if (!shipment || (input.viewer.kind === "merchant" && shipment.merchant_id !== input.viewer.merchantId)) throw notFound("shipment");
  await recordEvents(deps, input.shipmentId, [input.event], "staff", input.actor);
  return (await loadShipments(deps.db, { id: input.shipmentId }))[0];
}

/**
 * A carrier's push: refused with 401 unless signed with that carrier's secret; then its events are
 * recorded on the shipment with that tracking number.
 */
export async function receiveCarrierPush(
  deps: Deps,
  carrier: CarrierCode,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<{ shipmentId: string; recorded: number }> {
  const adapter = CARRIER_ADAPTERS[carrier];
  const stored = await deps.db.selectFrom("carrier_webhook_secrets").select("secret_enc").where("carrier_code", "=", carrier).executeTakeFirst();
  if (!stored || !adapter.verify(rawBody, headers, deps.cipher.decrypt(stored.secret_enc))) throw unauthorized("bad or missing signature");
  const update = adapter.parse(rawBody);
  if ("error" in update) throw new AppError(400, "validation_failed", update.error);
  const shipment = await deps.db.selectFrom("shipments").select("id").where("carrier_code", "=", carrier).where("tracking_no", "=", update.trackingNo).executeTakeFirst();
  if (!shipment) throw notFound(`${carrier} shipment ${update.trackingNo}`);
  const { recorded } = await recordEvents(deps, shipment.id, update.events, "carrier", { ...systemActor, kind: "carrier" });
  return { shipmentId: shipment.id, recorded };
}

/** Sets the secret a carrier signs its pushes with (it is stored sealed and never shown again). */
export async function setCarrierSecret(deps: Deps, carrier: CarrierCode, secret: string, actor: Actor): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const sealed = deps.cipher.encrypt(secret);
    await trx
      .insertInto("carrier_webhook_secrets")
      .values({ carrier_code: carrier, secret_enc: sealed, updated_at: now })
      .onConflict((oc) => oc.column("carrier_code").doUpdateSet({ secret_enc: sealed, updated_at: now }))
      .execute();
    await audit(trx, actor, { action: "carrier.secret_set", entity: "carrier", entityId: carrier }, now);
  });
}
