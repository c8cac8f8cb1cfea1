import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../platform/clock.js";
import type { DbHandle } from "../../platform/db/database.js";
import { bearer, createTestContext, freshDatabase, signInStaff, type TestContext } from "../../testing/harness.js";
import { buyer, storeSelling } from "../../testing/store.js";
import { availableStock } from "../inventory/inventory.service.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { systemActor } from "../../platform/auth/principal.js";
import { placeOrders, releaseHold } from "./orders.service.js";

let ctx: TestContext;
let admin: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = bearer((await signInStaff(ctx, "operator")).token);
});
afterAll(async () => ctx?.close());

async function setStock(skuId: string, onHand: number) {
  const res = await ctx.app.inject({ method: "PUT", url: "/admin/stock", headers: admin, payload: { skuId, onHand, reason: "adjustment" } });
  expect(res.statusCode).toBe(200);
}

async function pay(headers: Record<string, string>, orderIds: string[]) {
  const started = await ctx.app.inject({ method: "POST", url: "/payments", headers, payload: { orderIds, provider: "test" } });
  expect(started.statusCode).toBe(201);
  const confirm = await ctx.app.inject({ method: "POST", url: `/pay/test/${started.json().paymentId}/confirm` });
  expect(confirm.statusCode).toBeLessThan(400);
  await ctx.deps.events.drain();
}

describe("checkout", () => {
  it("prices shipping per merchant: ¥10 below ¥99, free from ¥99, every adjustment listed", async () => {
    const cheap = await storeSelling(ctx, 3000);
    const dear = await storeSelling(ctx, 12000);
    const b = await buyer(ctx);
    const res = await ctx.app.inject({ method: "POST", url: "/checkout/preview", headers: b.headers, payload: { items: [{ skuId: cheap, qty: 2 }, { skuId: dear, qty: 1 }] } });
    expect(res.statusCode).toBe(200);
    const preview = res.json();
    expect(preview.parts).toHaveLength(2);
    const [small, big] = [...preview.parts].sort((x: { itemsTotal: number }, y: { itemsTotal: number }) => x.itemsTotal - y.itemsTotal);
    expect(small).toMatchObject({ itemsTotal: 6000, shippingFee: 1000, discountTotal: 0, payable: 7000, adjustments: [{ type: "shipping", amount: 1000 }] });
    expect(big).toMatchObject({ itemsTotal: 12000, shippingFee: 1000, discountTotal: 1000, payable: 12000 });
    expect(big.adjustments.map((a: { type: string }) => a.type)).toEqual(["shipping", "free_shipping"]);
    expect(preview.payable).toBe(19000);
  });

  it("splits a two-merchant checkout into two orders paid by one payment", async () => {
    const a = await storeSelling(ctx, 5000);
    const c = await storeSelling(ctx, 7000);
    const b = await buyer(ctx);
    const address = (await ctx.app.inject({ method: "GET", url: "/me/addresses", headers: b.headers })).json().items[0].id;
    const placed = await ctx.app.inject({ method: "POST", url: "/orders", headers: b.headers, payload: { items: [{ skuId: a, qty: 1 }, { skuId: c, qty: 1 }], addressId: address } });
    expect(placed.statusCode).toBe(201);
    const body = placed.json();
    expect(body.orders).toHaveLength(2);
    expect(new Set(body.orders.map((o: { merchantId: string }) => o.merchantId)).size).toBe(2);
    expect(body.payable).toBe(6000 + 8000);
    await pay(b.headers, body.orders.map((o: { id: string }) => o.id));
    for (const o of body.orders) {
      const got = (await ctx.app.inject({ method: "GET", url: `/orders/${o.id}`, headers: b.headers })).json();
      expect(got.status).toBe("paid");
      expect(got.channel).toBe("own_store");
      expect(got.timeline.map((t: { event: string }) => t.event)).toEqual(["create", "pay"]);
    }
  });

  it("checks out the selected cart lines and empties them from the cart", async () => {
    const sku = await storeSelling(ctx, 2500);
    const b = await buyer(ctx);
    expect((await ctx.app.inject({ method: "POST", url: "/cart/items", headers: b.headers, payload: { skuId: sku, qty: 3 } })).statusCode).toBe(201);
    const address = (await ctx.app.inject({ method: "GET", url: "/me/addresses", headers: b.headers })).json().items[0].id;
    const placed = await ctx.app.inject({ method: "POST", url: "/orders", headers: b.headers, payload: { fromCart: true, addressId: address } });
    expect(placed.statusCode).toBe(201);
    expect(placed.json().orders[0].items[0]).toMatchObject({ skuId: sku, qty: 3, unitPrice: 2500, lineTotal: 7500 });
    await ctx.deps.events.drain();
    expect((await ctx.app.inject({ method: "GET", url: "/cart", headers: b.headers })).json().items).toEqual([]);
  });
});

describe("stock under concurrent checkout", () => {
  it("sells exactly the stock: 50 buyers at once for 10 units → 10 orders, 40 out_of_stock, 0 left", async () => {
    const sku = await storeSelling(ctx, 1990);
    await setStock(sku, 10);
    const buyers = await Promise.all(Array.from({ length: 50 }, () => buyer(ctx)));
    const results = await Promise.all(buyers.map((b) => b.order(sku, 1).then(() => "ok", (err: Error) => err.message)));
    const okCount = results.filter((r) => r === "ok").length;
    const outOfStock = results.filter((r) => r.includes("409") && r.includes("out_of_stock")).length;
    expect(okCount).toBe(10);
    expect(outOfStock).toBe(40);
    expect((await availableStock(ctx.deps.db, [sku])).get(sku)).toBe(0);
  });
});

describe("the order machine over HTTP", () => {
  it("refuses illegal transitions with 409 and the allowed events", async () => {
    const sku = await storeSelling(ctx, 1000);
    const b = await buyer(ctx);
    const { orderId } = await b.order(sku);
    const res = await ctx.app.inject({ method: "POST", url: `/orders/${orderId}/confirm-receipt`, headers: b.headers });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "illegal_transition", details: { from: "pending_payment", event: "confirm_receipt", allowed: ["pay", "cancel"] } });
    await pay(b.headers, [orderId]);
    const cancel = await ctx.app.inject({ method: "POST", url: `/orders/${orderId}/cancel`, headers: b.headers });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().details.from).toBe("paid");
  });

  it("commits stock on payment and releases it on cancel", async () => {
    const sku = await storeSelling(ctx, 1000);
    await setStock(sku, 5);
    const b = await buyer(ctx);
    const paid = await b.order(sku, 2);
    const cancelled = await b.order(sku, 1);
    expect((await availableStock(ctx.deps.db, [sku])).get(sku)).toBe(2);
    await pay(b.headers, [paid.orderId]);
    expect((await ctx.app.inject({ method: "POST", url: `/orders/${cancelled.orderId}/cancel`, headers: b.headers })).statusCode).toBe(200);
    expect((await availableStock(ctx.deps.db, [sku])).get(sku)).toBe(3);
    const stock = (await ctx.app.inject({ method: "GET", url: `/admin/stock?skuId=${sku}`, headers: admin })).json();
    expect(JSON.stringify(stock)).toContain('"onHand":3');
  });
});

describe("who sees an order", () => {
  it("shows a buyer's order to no other buyer (404) and masks the phone to staff", async () => {
    const sku = await storeSelling(ctx, 1000);
    const a = await buyer(ctx);
    const other = await buyer(ctx);
    const { orderId } = await a.order(sku);
    const mine = (await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: a.headers })).json();
    expect(mine.address.phone).toBe(a.phone);
    const theirs = await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: other.headers });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe("not_found");
    const byOperator = (await ctx.app.inject({ method: "GET", url: `/admin/orders/${orderId}`, headers: admin })).json();
    expect(byOperator.address.phone).toBe(`${a.phone.slice(0, 3)}****${a.phone.slice(-4)}`);
    const otherMerchant = await signInStaff(ctx, "merchant");
    expect((await ctx.app.inject({ method: "GET", url: `/admin/orders/${orderId}`, headers: bearer(otherMerchant.token) })).statusCode).toBe(404);
  });
});

describe("staff order search", () => {
  it("finds orders by order number, buyer phone, recipient or item title, and only in the merchant's own store", async () => {
    const sku = await storeSelling(ctx, 1000);
    const a = await buyer(ctx);
    const b = await buyer(ctx);
    const first = await a.order(sku);
    const second = await a.order(sku);
    const third = await b.order(sku);
    const search = async (q: string, headers = admin) => {
      const res = await ctx.app.inject({ method: "GET", url: `/admin/orders?q=${encodeURIComponent(q)}`, headers });
      expect(res.statusCode).toBe(200);
      return res.json().items.map((o: { id: string }) => o.id);
    };
    expect(await search(a.phone)).toEqual([second.orderId, first.orderId]);
    expect(await search("13000000000")).toEqual([]);
    expect(await search(third.orderId.toLowerCase())).toEqual([third.orderId]);
    expect(await search(third.orderId.slice(0, -2))).toEqual([third.orderId]);

    const order = (await ctx.app.inject({ method: "GET", url: `/admin/orders/${third.orderId}`, headers: admin })).json();
    const named = await ctx.app.inject({ method: "POST", url: "/me/addresses", headers: b.headers, payload: { recipient: "欧阳娜娜", phone: b.phone, province: "上海市", city: "上海市", district: "徐汇区", detail: "漕溪北路 1 号" } });
    await ctx.app.inject({ method: "PATCH", url: `/admin/products/${order.items[0].productId}`, headers: admin, payload: { title: "山楂条 100%_纯手工" } });
    const placed = await ctx.app.inject({ method: "POST", url: "/orders", headers: b.headers, payload: { items: [{ skuId: sku, qty: 1 }], addressId: named.json().id } });
    const fourth = placed.json().orders[0].id;
    expect(await search("欧阳娜")).toEqual([fourth]);
    expect(await search("100%_纯")).toEqual([fourth]);
    expect(await search("0__纯")).toEqual([]);
    const listed = (await ctx.app.inject({ method: "GET", url: `/admin/orders?q=${fourth}`, headers: admin })).json().items[0];
    expect(listed).toMatchObject({ id: fourth, recipient: "欧阳娜娜", items: [{ title: "山楂条 100%_纯手工", qty: 1 }] });

    const ownStaff = bearer((await signInStaff(ctx, "merchant", { merchantId: order.merchantId })).token);
    const otherStaff = bearer((await signInStaff(ctx, "merchant")).token);
    expect(await search(a.phone, ownStaff)).toEqual([second.orderId, first.orderId]);
    expect(await search(a.phone, otherStaff)).toEqual([]);
  });
});

describe("Idempotency-Key on POST /orders", () => {
  it("returns the first response for the same key and body, 422 for another body", async () => {
    const sku = await storeSelling(ctx, 1000);
    const b = await buyer(ctx);
    const addressId = (await ctx.app.inject({ method: "GET", url: "/me/addresses", headers: b.headers })).json().items[0].id;
    const headers = { ...b.headers, "idempotency-key": "checkout-1" };
    const send = (qty: number) => ctx.app.inject({ method: "POST", url: "/orders", headers, payload: { items: [{ skuId: sku, qty }], addressId } });
    const [first, second] = await Promise.all([send(1), send(1)].map((p) => p.then((r) => r)));
    const statuses = [first.statusCode, second.statusCode].sort();
    // Fired together, one places the order and the other is told it is in progress or replays it.
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    const again = await send(1);
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().checkoutId).toBe((first.statusCode === 201 ? first : second).json().checkoutId);
    const list = (await ctx.app.inject({ method: "GET", url: "/orders", headers: b.headers })).json();
    expect(list.items).toHaveLength(1);
    const changed = await send(2);
    expect(changed.statusCode).toBe(422);
    expect(changed.json().code).toBe("idempotency_key_reused");
  });
});

describe("auto-cancel of unpaid orders", () => {
  it("cancels after 15 minutes and releases the stock", async () => {
    const sku = await storeSelling(ctx, 1000);
    await setStock(sku, 3);
    const b = await buyer(ctx);
    const { orderId } = await b.order(sku, 3);
    ctx.clock.advance(14 * 60_000);
    await ctx.deps.jobs.drain();
    expect((await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: b.headers })).json().status).toBe("pending_payment");
    ctx.clock.advance(60_000);
    await ctx.deps.jobs.drain();
    const order = (await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: b.headers })).json();
    expect(order.status).toBe("cancelled");
    expect(order.timeline.at(-1)).toMatchObject({ event: "cancel", actorKind: "system", note: "payment timeout" });
    expect((await availableStock(ctx.deps.db, [sku])).get(sku)).toBe(3);
  });

  it("does not cancel an order paid in time", async () => {
    const sku = await storeSelling(ctx, 1000);
    const b = await buyer(ctx);
    const { orderId } = await b.order(sku);
    await pay(b.headers, [orderId]);
    ctx.clock.advance(60 * 60_000);
    await ctx.deps.jobs.drain();
    expect((await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: b.headers })).json().status).toBe("paid");
  });
});

describe("campaign orders", () => {
  it("keeps a held order from shipping until its campaign releases it, and honours its own payment timeout", async () => {
    const sku = await storeSelling(ctx, 1000);
    const b = await buyer(ctx);
    const addressId = (await ctx.app.inject({ method: "GET", url: "/me/addresses", headers: b.headers })).json().items[0].id;
    const placed = await placeOrders(ctx.deps, { userId: b.userId, lines: [{ skuId: sku, qty: 1 }], addressId, campaign: { type: "live_stream", ref: "lsr_test" }, hold: "waiting for the campaign", paymentTimeoutMinutes: 5 });
    const [orderId] = placed.orderIds;
    const order = (await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: b.headers })).json();
    expect(order).toMatchObject({ campaign: { type: "live_stream", ref: "lsr_test" }, fulfilmentHold: "waiting for the campaign" });
    expect(new Date(order.expiresAt).getTime() - new Date(order.createdAt).getTime()).toBe(5 * 60_000);
    await pay(b.headers, [orderId]);
    const ship = () => ctx.app.inject({ method: "POST", url: `/admin/orders/${orderId}/shipments`, headers: admin, payload: { carrier: "SF", trackingNo: `SFHOLD${orderId.slice(-6)}` } });
    const refused = await ship();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("order_on_hold");
    await ctx.deps.db.transaction().execute((trx) => releaseHold(ctx.deps, trx, orderId, systemActor));
    expect((await ship()).statusCode).toBe(201);
  });
});

describe("bundles", () => {
  it("holds stock on a bundle's components and restocks exactly those when it is refunded", async () => {
    const part = await storeSelling(ctx, 2000);
    const sku = (await skusForSale(ctx.deps.db, [{ skuId: part, qty: 1 }])).get(part)!;
    const created = await ctx.app.inject({
      method: "POST",
      url: "/admin/products",
      headers: admin,
      payload: { merchantId: sku.merchantId, categoryId: sku.categoryId, kind: "bundle", title: "两件装", role: "value_added", skus: [{ code: `BNDL${part.slice(-6)}`, price: 3500, components: [{ skuId: part, qty: 2 }] }] },
    });
    expect(created.statusCode).toBe(201);
    const bundleSku = created.json().skus[0].id;
    await ctx.app.inject({ method: "PUT", url: `/admin/products/${created.json().id}/status`, headers: admin, payload: { status: "on_sale" } });
    const before = (await availableStock(ctx.deps.db, [part])).get(part)!;
    const b = await buyer(ctx);
    const { orderId } = await b.order(bundleSku, 1);
    expect((await availableStock(ctx.deps.db, [part])).get(part)).toBe(before - 2);
    await pay(b.headers, [orderId]);
    const item = (await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: b.headers })).json().items[0];
    const request = await ctx.app.inject({ method: "POST", url: `/orders/${orderId}/aftersales`, headers: b.headers, payload: { type: "refund_only", items: [{ orderItemId: item.id, qty: 1 }], reasonCode: "other", description: "拍错了", photos: [] } });
    expect(request.statusCode).toBe(201);
    const approved = await ctx.app.inject({ method: "POST", url: `/admin/aftersales/${request.json().id}/approve`, headers: admin, payload: {} });
    expect(approved.json().status).toBe("refunded");
    expect((await availableStock(ctx.deps.db, [part])).get(part)).toBe(before);
  });
});

describe("auto-cancel across a restart", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshDatabase();
  });
  afterAll(async () => handle?.close());

  it("still cancels an order whose timeout passed while the server was down", async () => {
    const clock = new ManualClock(new Date("2026-06-01T02:00:00Z"));
    const masterKey = crypto.randomBytes(32);
    const first = await createTestContext({ handle, clock, masterKey });
    const sku = await storeSelling(first, 1000);
    const b = await buyer(first);
    const { orderId } = await b.order(sku, 2);
    await first.close();

    clock.advance(2 * 60 * 60_000);
    const second = await createTestContext({ handle, clock, masterKey });
    await second.deps.jobs.drain();
    const order = (await second.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: b.headers })).json();
    expect(order.status).toBe("cancelled");
    expect((await availableStock(second.deps.db, [sku])).get(sku)).toBe(1000);
    await second.close();
  });
});
