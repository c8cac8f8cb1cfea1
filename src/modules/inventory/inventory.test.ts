import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../platform/auth/principal.js";
import { AppError } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { catalogModule } from "../catalog/index.js";
import { identityModule } from "../identity/index.js";
import { merchantsModule } from "../merchants/index.js";
import { inventoryModule } from "./index.js";
import { createCategory } from "../catalog/categories.service.js";
import { createProduct } from "../catalog/products.service.js";
import { createMerchant } from "../merchants/merchants.service.js";
import { availableStock, commitReservation, releaseReservation, reserveStock, returnStock, setStock, stockLevels } from "./inventory.service.js";
import { createWarehouse } from "./warehouses.service.js";

let ctx: TestContext;
let merchantId: string;
let categoryId: string;

async function newSku(title = "测试商品"): Promise<string> {
  return ctx.deps.db.transaction().execute(async (trx) => {
    const p = await createProduct(trx, systemActor, { merchantId, categoryId, title, role: "basic", skus: [{ code: newId("c"), price: 1000 }] }, ctx.clock.now());
    return p.skus[0].id;
  });
}

const tx = <T>(fn: (trx: typeof ctx.deps.db) => Promise<T>) => ctx.deps.db.transaction().execute(fn);
const stock = (skuId: string, onHand: number, warehouseId?: string) => tx((trx) => setStock(trx, { skuId, onHand, warehouseId, reason: "receipt" }, ctx.clock.now()));
const expiry = () => new Date(ctx.clock.now().getTime() + 15 * 60_000);
const reserve = (orderId: string, lines: { skuId: string; qty: number }[]) => tx((trx) => reserveStock(trx, orderId, lines, expiry(), ctx.clock.now()));
const level = async (skuId: string) => {
  const ls = await stockLevels(ctx.deps.db, skuId);
  return { onHand: ls.reduce((n, l) => n + l.onHand, 0), reserved: ls.reduce((n, l) => n + l.reserved, 0), available: (await availableStock(ctx.deps.db, [skuId])).get(skuId) };
};

/** The ledger sums to the stock levels, warehouse by warehouse. */
async function assertLedgerMatches(skuId: string) {
  const sums = await ctx.deps.db
    .selectFrom("stock_movements")
    .select(["warehouse_id", sql<number>`sum(delta_on_hand)::int`.as("on_hand"), sql<number>`sum(delta_reserved)::int`.as("reserved")])
    .where("sku_id", "=", skuId)
    .groupBy("warehouse_id")
    .orderBy("warehouse_id")
    .execute();
  const levels = await stockLevels(ctx.deps.db, skuId);
  expect(sums.map((s) => [s.warehouse_id, s.on_hand, s.reserved])).toEqual(levels.map((l) => [l.warehouseId, l.onHand, l.reserved]));
}

beforeAll(async () => {
  ctx = await createTestContext({ modules: [identityModule, merchantsModule, catalogModule, inventoryModule] });
  await tx(async (trx) => {
    merchantId = (await createMerchant(trx, systemActor, { name: "库存测试公司", storeName: "库存测试店" }, ctx.clock.now())).id;
    categoryId = (await createCategory(trx, systemActor, { name: "测试类目" }, ctx.clock.now())).id;
  });
});
afterAll(async () => ctx?.close());

describe("reserving stock under concurrency", () => {
  it("lets exactly 10 of 50 simultaneous one-unit orders hold a SKU with 10 in stock", async () => {
    const sku = await newSku();
    await stock(sku, 10);
    const orders = Array.from({ length: 50 }, () => newId("ord"));
    // Each order in its own transaction, all started at once: on PostgreSQL they really run in parallel.
    const results = await Promise.allSettled(orders.map((orderId) => reserve(orderId, [{ skuId: sku, qty: 1 }])));
    const ok = orders.filter((_, i) => results[i].status === "fulfilled");
    const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(ok).toHaveLength(10);
    expect(failed).toHaveLength(40);
    for (const err of failed) {
      expect(err).toBeInstanceOf(AppError);
      expect([err.status, err.code, err.details[0].skuId, err.details[0].requested, err.details[0].available]).toEqual([409, "out_of_stock", sku, 1, 0]);
    }
    expect(await level(sku)).toEqual({ onHand: 10, reserved: 10, available: 0 });

    await tx((trx) => releaseReservation(trx, ok[0], ctx.clock.now()));
    await tx((trx) => releaseReservation(trx, ok[0], ctx.clock.now()));
    expect(await level(sku)).toEqual({ onHand: 10, reserved: 9, available: 1 });

    await tx((trx) => commitReservation(trx, ok[1], ctx.clock.now()));
    await tx((trx) => commitReservation(trx, ok[1], ctx.clock.now()));
    expect(await level(sku)).toEqual({ onHand: 9, reserved: 8, available: 1 });
    // A paid order's stock is not given back by a late cancel.
    await tx((trx) => releaseReservation(trx, ok[1], ctx.clock.now()));
    expect(await level(sku)).toEqual({ onHand: 9, reserved: 8, available: 1 });

    for (const orderId of ok.slice(2)) await tx((trx) => releaseReservation(trx, orderId, ctx.clock.now()));
    expect(await level(sku)).toEqual({ onHand: 9, reserved: 0, available: 9 });
    await assertLedgerMatches(sku);
  });
});

describe("reservations", () => {
  it("holds all lines or none, reporting every short line", async () => {
    const [a, b, c] = [await newSku(), await newSku(), await newSku()];
    await stock(a, 5);
    await stock(b, 2);
    const err = await reserve(newId("ord"), [{ skuId: a, qty: 3 }, { skuId: b, qty: 2 }, { skuId: b, qty: 1 }, { skuId: c, qty: 1 }]).catch((e) => e);
    expect(err.code).toBe("out_of_stock");
    expect(err.details.sort((x: { skuId: string }, y: { skuId: string }) => (x.skuId < y.skuId ? -1 : 1))).toEqual([
      { skuId: b, requested: 3, available: 2 },
      { skuId: c, requested: 1, available: 0 },
    ]);
    expect(await level(a)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect(await level(b)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    // Even a caller that catches the error and commits keeps nothing held.
    await tx(async (trx) => {
      await reserveStock(trx, newId("ord"), [{ skuId: a, qty: 1 }, { skuId: c, qty: 1 }], expiry(), ctx.clock.now()).catch(() => undefined);
    });
    expect(await level(a)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it("splits a line across warehouses when no single one has enough, default first", async () => {
    const sku = await newSku();
    const east = await tx((trx) => createWarehouse(trx, systemActor, { name: "华东仓" }, ctx.clock.now()));
    await stock(sku, 3);
    await stock(sku, 4, east.id);
    const order = newId("ord");
    await reserve(order, [{ skuId: sku, qty: 6 }]);
    const held = await ctx.deps.db.selectFrom("reservations").select(["warehouse_id", "qty", "status"]).where("order_id", "=", order).orderBy("warehouse_id").execute();
    expect(held).toEqual([
      { warehouse_id: "wh_00000000000000000000000000", qty: 3, status: "held" },
      { warehouse_id: east.id, qty: 3, status: "held" },
    ]);
    await tx((trx) => commitReservation(trx, order, ctx.clock.now()));
    expect((await stockLevels(ctx.deps.db, sku)).map((l) => [l.onHand, l.reserved])).toEqual([[0, 0], [1, 0]]);

    // Returns go back to the warehouses the goods left from, never more than were sold.
    await tx((trx) => returnStock(trx, { orderId: order, skuId: sku, qty: 4, reason: "七天无理由退货" }, ctx.clock.now()));
    expect((await stockLevels(ctx.deps.db, sku)).map((l) => [l.onHand, l.reserved])).toEqual([[3, 0], [2, 0]]);
    const tooMany = await tx((trx) => returnStock(trx, { orderId: order, skuId: sku, qty: 3, reason: "x" }, ctx.clock.now())).catch((e) => e);
    expect([tooMany.code, tooMany.details]).toEqual(["return_exceeds_sold", { skuId: sku, requested: 3, returnable: 2 }]);
    const moves = await ctx.deps.db.selectFrom("stock_movements").select(["reason", "delta_on_hand", "delta_reserved", "note"]).where("ref", "=", order).orderBy("id").execute();
    expect(moves).toEqual([
      { reason: "reservation", delta_on_hand: 0, delta_reserved: 3, note: null },
      { reason: "reservation", delta_on_hand: 0, delta_reserved: 3, note: null },
      { reason: "sale", delta_on_hand: -3, delta_reserved: -3, note: null },
      { reason: "sale", delta_on_hand: -3, delta_reserved: -3, note: null },
      { reason: "return", delta_on_hand: 3, delta_reserved: 0, note: "七天无理由退货" },
      { reason: "return", delta_on_hand: 1, delta_reserved: 0, note: "七天无理由退货" },
    ]);
    await assertLedgerMatches(sku);
  });

  it("refuses a second reservation for the same order", async () => {
    const sku = await newSku();
    await stock(sku, 5);
    const order = newId("ord");
    await reserve(order, [{ skuId: sku, qty: 1 }]);
    expect((await reserve(order, [{ skuId: sku, qty: 1 }]).catch((e) => e)).code).toBe("stock_already_reserved");
    expect(await level(sku)).toEqual({ onHand: 5, reserved: 1, available: 4 });
  });
});

describe("never negative", () => {
  it("will not set on-hand stock below what unpaid orders hold, nor store a negative or oversold level", async () => {
    const sku = await newSku();
    await stock(sku, 4);
    await reserve(newId("ord"), [{ skuId: sku, qty: 3 }]);
    const below = await stock(sku, 2).catch((e) => e);
    expect([below.code, below.details]).toEqual(["below_reserved", { reserved: 3 }]);
    expect((await stock(sku, -1).catch((e) => e)).code).toBe("validation_failed");
    const direct = (set: { on_hand?: number; reserved?: number }) => ctx.deps.db.updateTable("stock_levels").set(set).where("sku_id", "=", sku).execute();
    await expect(direct({ on_hand: -1 })).rejects.toThrow(/check/);
    await expect(direct({ reserved: 5 })).rejects.toThrow(/check/);
    expect(await level(sku)).toEqual({ onHand: 4, reserved: 3, available: 1 });
    await assertLedgerMatches(sku);
  });
});

describe("stock administration over HTTP", () => {
  it("sets stock idempotently and audited; merchant staff see their own SKUs only", async () => {
    const sku = await newSku();
    const op = await signInStaff(ctx, "operator", { permissions: ["catalog", "audit"] });
    const put = (token: string, key: string, onHand: number) =>
      ctx.app.inject({ method: "PUT", url: "/admin/stock", headers: { ...bearer(token), "idempotency-key": key }, payload: { skuId: sku, onHand, reason: "receipt", ref: "入库单-001" } });
    const first = await put(op.token, "k1", 12);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ skuId: sku, available: 12, levels: [{ warehouseId: "wh_00000000000000000000000000", onHand: 12, reserved: 0, available: 12 }] });
    const replay = await put(op.token, "k1", 12);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect((await put(op.token, "k2", 12)).json().available).toBe(12);
    const moves = (await ctx.app.inject({ method: "GET", url: `/admin/stock/movements?skuId=${sku}`, headers: bearer(op.token) })).json().items;
    expect(moves.map((m: { reason: string; deltaOnHand: number; ref: string }) => [m.reason, m.deltaOnHand, m.ref])).toEqual([["receipt", 12, "入库单-001"]]);
    const log = (await ctx.app.inject({ method: "GET", url: `/admin/audit-log?entityId=${sku}`, headers: bearer(op.token) })).json().items;
    expect(log.map((e: { action: string }) => e.action)).toEqual(["stock.set", "stock.set"]);

    const own = await signInStaff(ctx, "merchant", { merchantId });
    expect((await ctx.app.inject({ method: "GET", url: `/admin/stock?skuId=${sku}`, headers: bearer(own.token) })).json().available).toBe(12);
    const otherShop = await tx((trx) => createMerchant(trx, systemActor, { name: "别家公司", storeName: "别家店" }, ctx.clock.now()));
    const other = await signInStaff(ctx, "merchant", { merchantId: otherShop.id });
    expect((await ctx.app.inject({ method: "GET", url: `/admin/stock?skuId=${sku}`, headers: bearer(other.token) })).statusCode).toBe(404);
    expect((await put(other.token, "k3", 0)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: "GET", url: "/admin/stock/movements", headers: bearer(other.token) })).json().details[0].field).toBe("skuId");
    expect((await ctx.app.inject({ method: "POST", url: "/admin/warehouses", headers: bearer(own.token), payload: { name: "自建仓" } })).statusCode).toBe(403);
    const bad = await ctx.app.inject({ method: "PUT", url: "/admin/stock", headers: bearer(op.token), payload: { skuId: sku, onHand: 1.5 } });
    expect(bad.json().details[0].field).toBe("onHand");
  });
});
