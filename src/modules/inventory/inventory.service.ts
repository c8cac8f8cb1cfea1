import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { AppError, conflict, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import type { InventoryTables, MovementReason } from "./inventory.tables.js";

type Movement = Omit<InventoryTables["stock_movements"], "id" | "at">;

async function record(trx: Db, movements: Movement[], now: Date): Promise<void> {
  if (movements.length === 0) return;
  await trx.insertInto("stock_movements").values(movements.map((m) => ({ id: newId("smv"), at: now, ...m }))).execute();
}

/** One line per SKU (quantities of a repeated SKU add up), in SKU order so that concurrent orders lock rows in the same order. */
function mergeLines(lines: { skuId: string; qty: number }[]): { skuId: string; qty: number }[] {
  const qty = new Map<string, number>();
  lines.forEach((l, i) => {
    if (!Number.isSafeInteger(l.qty) || l.qty <= 0) throw invalidField(`lines.${i}.qty`, "must be a positive whole number");
    qty.set(l.skuId, (qty.get(l.skuId) ?? 0) + l.qty);
  });
  return [...qty.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([skuId, q]) => ({ skuId, qty: q }));
}

type Take = { skuId: string; warehouseId: string; qty: number };
type Held = { orderId: string; expiresAt: Date; now: Date };

/**
 * The common case in one statement: take `qty` from the first warehouse (default first) that has
 * enough, and write the reservation and its ledger line with it. The row lock on the SKU's stock level
 * is the one every buyer of that SKU waits for, so nothing else runs between taking it and the caller's
 * commit. Null when no single warehouse has enough, or a concurrent order took it first.
 */
async function takeFromOneWarehouse(trx: Db, skuId: string, qty: number, held: Held): Promise<Take | null> {
  const row = await sql<{ warehouse_id: string }>`
    with took as (
      update stock_levels set reserved = reserved + ${qty}::int
      where sku_id = ${skuId}::text and on_hand - reserved >= ${qty}::int
        and warehouse_id = (
          select s.warehouse_id from stock_levels s join warehouses w on w.id = s.warehouse_id
          where s.sku_id = ${skuId}::text and s.on_hand - s.reserved >= ${qty}::int
          order by w.is_default desc, s.warehouse_id limit 1)
      returning warehouse_id),
    held as (
      insert into reservations (id, order_id, sku_id, warehouse_id, qty, status, expires_at, created_at, updated_at)
      select ${newId("rsv")}::text, ${held.orderId}::text, ${skuId}::text, warehouse_id, ${qty}::int, 'held', ${held.expiresAt}::timestamptz, ${held.now}::timestamptz, ${held.now}::timestamptz from took),
    moved as (
      insert into stock_movements (id, at, sku_id, warehouse_id, delta_on_hand, delta_reserved, reason, ref, note)
      select ${newId("smv")}::text, ${held.now}::timestamptz, ${skuId}::text, warehouse_id, 0, ${qty}::int, 'reservation', ${held.orderId}::text, null from took)
    select warehouse_id from took`.execute(trx);
  const took = row.rows[0];
  return took ? { skuId, warehouseId: took.warehouse_id, qty } : null;
}

/**
 * When no warehouse has enough alone: lock the SKU's rows in warehouse order and split the quantity
 * across them, default warehouse first.
 */
async function takeAcrossWarehouses(trx: Db, skuId: string, qty: number, held: Held): Promise<Take[] | { available: number }> {
  const levels = await trx.selectFrom("stock_levels").select(["warehouse_id", "on_hand", "reserved"]).where("sku_id", "=", skuId).orderBy("warehouse_id").forUpdate().execute();
  const available = levels.reduce((n, l) => n + l.on_hand - l.reserved, 0);
  if (available < qty) return { available };
  const preferred = await defaultWarehouseId(trx);
  levels.sort((a, b) => Number(b.warehouse_id === preferred) - Number(a.warehouse_id === preferred));
  const takes: Take[] = [];
  let need = qty;
  for (const l of levels) {
    const n = Math.min(need, l.on_hand - l.reserved);
    if (n <= 0) continue;
    await trx
      .updateTable("stock_levels")
      .set((eb) => ({ reserved: eb("reserved", "+", n) }))
      .where("sku_id", "=", skuId)
      .where("warehouse_id", "=", l.warehouse_id)
      .where(sql`on_hand - reserved`, ">=", n)
      .executeTakeFirstOrThrow();
    takes.push({ skuId, warehouseId: l.warehouse_id, qty: n });
    need -= n;
    if (need === 0) break;
  }
  await trx
    .insertInto("reservations")
    .values(takes.map((t) => ({ id: newId("rsv"), order_id: held.orderId, sku_id: t.skuId, warehouse_id: t.warehouseId, qty: t.qty, status: "held" as const, expires_at: held.expiresAt, created_at: held.now, updated_at: held.now })))
    .execute();
  await record(trx, takes.map((t) => ({ sku_id: t.skuId, warehouse_id: t.warehouseId, delta_on_hand: 0, delta_reserved: t.qty, reason: "reservation", ref: held.orderId, note: null })), held.now);
  return takes;
}

/**
 * Holds stock for an order; all lines or none. Throws AppError 409 code "out_of_stock", details
 * [{skuId, requested, available}]. Callers run it last before committing: from the first line on, the
 * transaction holds row locks that every other buyer of those SKUs waits for.
 */
export async function reserveStock(trx: Db, orderId: string, lines: { skuId: string; qty: number }[], expiresAt: Date, now: Date): Promise<void> {
  const merged = mergeLines(lines);
  if (await trx.selectFrom("reservations").select("id").where("order_id", "=", orderId).executeTakeFirst()) {
    throw conflict("stock_already_reserved", `order ${orderId} already holds stock`);
  }
  const held: Held = { orderId, expiresAt, now };
  const taken: Take[] = [];
  const short: { skuId: string; requested: number; available: number }[] = [];
  for (const line of merged) {
    const one = await takeFromOneWarehouse(trx, line.skuId, line.qty, held);
    const got = one ? [one] : await takeAcrossWarehouses(trx, line.skuId, line.qty, held);
    if (Array.isArray(got)) taken.push(...got);
    else short.push({ skuId: line.skuId, requested: line.qty, available: got.available });
  }
  if (short.length > 0) {
    // Give back what the other lines took, so that a caller that catches the error keeps nothing half-reserved.
    for (const t of taken) {
      await trx.updateTable("stock_levels").set((eb) => ({ reserved: eb("reserved", "-", t.qty) })).where("sku_id", "=", t.skuId).where("warehouse_id", "=", t.warehouseId).execute();
    }
    await trx.deleteFrom("reservations").where("order_id", "=", orderId).execute();
    await trx.deleteFrom("stock_movements").where("ref", "=", orderId).where("reason", "=", "reservation").execute();
    throw new AppError(409, "out_of_stock", "not enough stock", short);
  }
}

/**
 * Moves an order's held reservations to `to`, applying each one's stock change; nothing happens when
 * none are held. The stock levels are updated last, so their row locks are held only until the commit
 * that follows (callers run this last in their transaction).
 */
async function settleHeld(trx: Db, orderId: string, to: "committed" | "released", now: Date): Promise<void> {
  const rows = await trx
    .updateTable("reservations")
    .set({ status: to, updated_at: now })
    .where("order_id", "=", orderId)
    .where("status", "=", "held")
    .returning(["sku_id", "warehouse_id", "qty"])
    .execute();
  rows.sort((a, b) => (a.sku_id + a.warehouse_id < b.sku_id + b.warehouse_id ? -1 : 1));
  const sold = to === "committed";
  const reason: MovementReason = sold ? "sale" : "release";
  await record(trx, rows.map((r) => ({ sku_id: r.sku_id, warehouse_id: r.warehouse_id, delta_on_hand: sold ? -r.qty : 0, delta_reserved: -r.qty, reason, ref: orderId, note: null })), now);
  for (const r of rows) {
    await trx
      .updateTable("stock_levels")
      .set((eb) => (sold ? { on_hand: eb("on_hand", "-", r.qty), reserved: eb("reserved", "-", r.qty) } : { reserved: eb("reserved", "-", r.qty) }))
      .where("sku_id", "=", r.sku_id)
      .where("warehouse_id", "=", r.warehouse_id)
      .execute();
  }
}

/** On payment: held → committed, on_hand and reserved both drop (movement "sale"). Idempotent. */
export async function commitReservation(trx: Db, orderId: string, now: Date): Promise<void> {
  await settleHeld(trx, orderId, "committed", now);
}

/** On cancel/expiry: held → released. Idempotent; committed ones are untouched. */
export async function releaseReservation(trx: Db, orderId: string, now: Date): Promise<void> {
  await settleHeld(trx, orderId, "released", now);
}

/** Goods returned by a buyer come back on hand (movement "return"), to the warehouse they left from. */
export async function returnStock(trx: Db, input: { orderId: string; skuId: string; qty: number; reason: string }, now: Date): Promise<void> {
  if (!Number.isSafeInteger(input.qty) || input.qty <= 0) throw invalidField("qty", "must be a positive whole number");
  const sold = await trx
    .selectFrom("reservations")
    .select(["id", "warehouse_id", "qty", "returned_qty"])
    .where("order_id", "=", input.orderId)
    .where("sku_id", "=", input.skuId)
    .where("status", "=", "committed")
    .orderBy("warehouse_id")
    .forUpdate()
    .execute();
  const returnable = sold.reduce((n, r) => n + r.qty - r.returned_qty, 0);
  if (input.qty > returnable) {
    throw conflict("return_exceeds_sold", "more units returned than were sold and not yet returned", { skuId: input.skuId, requested: input.qty, returnable });
  }
  let left = input.qty;
  const movements: Movement[] = [];
  for (const r of sold) {
    const n = Math.min(left, r.qty - r.returned_qty);
    if (n <= 0) continue;
    await trx.updateTable("reservations").set({ returned_qty: r.returned_qty + n, updated_at: now }).where("id", "=", r.id).execute();
    await trx.updateTable("stock_levels").set((eb) => ({ on_hand: eb("on_hand", "+", n) })).where("sku_id", "=", input.skuId).where("warehouse_id", "=", r.warehouse_id).execute();
    movements.push({ sku_id: input.skuId, warehouse_id: r.warehouse_id, delta_on_hand: n, delta_reserved: 0, reason: "return", ref: input.orderId, note: input.reason });
    left -= n;
    if (left === 0) break;
  }
  await record(trx, movements, now);
}

/** Units that can be sold now (on hand less reserved, over every warehouse); 0 for SKUs without stock. */
export async function availableStock(db: Db, skuIds: string[]): Promise<Map<string, number>> {
  const out = new Map(skuIds.map((id) => [id, 0]));
  if (skuIds.length === 0) return out;
  const rows = await db
    .selectFrom("stock_levels")
    .select(["sku_id", sql<number>`sum(on_hand - reserved)::int`.as("available")])
    .where("sku_id", "in", skuIds)
    .groupBy("sku_id")
    .execute();
  for (const r of rows) out.set(r.sku_id, r.available);
  return out;
}

export async function defaultWarehouseId(db: Db): Promise<string> {
  return (await db.selectFrom("warehouses").select("id").where("is_default", "=", true).executeTakeFirstOrThrow()).id;
}

export interface StockLevel {
  skuId: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export async function stockLevels(db: Db, skuId: string): Promise<StockLevel[]> {
  const rows = await db.selectFrom("stock_levels").selectAll().where("sku_id", "=", skuId).orderBy("warehouse_id").execute();
  return rows.map((r) => ({ skuId: r.sku_id, warehouseId: r.warehouse_id, onHand: r.on_hand, reserved: r.reserved, available: r.on_hand - r.reserved }));
}

/**
 * Sets on-hand stock of a SKU in a warehouse (default warehouse when omitted); audited by the caller.
 * `reason` is kept in the ledger: "receipt" records goods received (入库), anything else is an adjustment
 * (盘点) noted with that reason. Setting the same number again changes nothing.
 */
export async function setStock(trx: Db, input: { skuId: string; warehouseId?: string; onHand: number; reason: string; ref?: string }, now: Date): Promise<void> {
  if (!Number.isSafeInteger(input.onHand) || input.onHand < 0) throw invalidField("onHand", "must be a whole number, 0 or more");
  const warehouseId = input.warehouseId ?? (await defaultWarehouseId(trx));
  if (!(await trx.selectFrom("warehouses").select("id").where("id", "=", warehouseId).executeTakeFirst())) throw notFound("warehouse");
  await trx.insertInto("stock_levels").values({ sku_id: input.skuId, warehouse_id: warehouseId, on_hand: 0, reserved: 0 }).onConflict((oc) => oc.doNothing()).execute();
  const level = await trx.selectFrom("stock_levels").selectAll().where("sku_id", "=", input.skuId).where("warehouse_id", "=", warehouseId).forUpdate().executeTakeFirstOrThrow();
  if (input.onHand < level.reserved) {
    throw conflict("below_reserved", `${level.reserved} units are held for unpaid orders; on-hand stock cannot go below that`, { reserved: level.reserved });
  }
  const delta = input.onHand - level.on_hand;
  if (delta === 0) return;
  await trx.updateTable("stock_levels").set({ on_hand: input.onHand }).where("sku_id", "=", input.skuId).where("warehouse_id", "=", warehouseId).execute();
  const reason: MovementReason = input.reason === "receipt" ? "receipt" : "adjustment";
  await record(trx, [{ sku_id: input.skuId, warehouse_id: warehouseId, delta_on_hand: delta, delta_reserved: 0, reason, ref: input.ref ?? null, note: input.reason }], now);
}

export interface StockMovement {
  id: string;
  skuId: string;
  warehouseId: string;
  deltaOnHand: number;
  deltaReserved: number;
  reason: MovementReason;
  ref: string | null;
  note: string | null;
  at: Date;
}

/** The ledger, newest first. */
export async function listMovements(db: Db, f: { skuId?: string; ref?: string; limit: number; after?: string }): Promise<StockMovement[]> {
  let q = db.selectFrom("stock_movements").selectAll().orderBy("id", "desc").limit(f.limit);
  if (f.skuId) q = q.where("sku_id", "=", f.skuId);
  if (f.ref) q = q.where("ref", "=", f.ref);
  if (f.after) q = q.where("id", "<", f.after);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, skuId: r.sku_id, warehouseId: r.warehouse_id, deltaOnHand: r.delta_on_hand, deltaReserved: r.delta_reserved, reason: r.reason, ref: r.ref, note: r.note, at: r.at }));
}
