import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { ok, shopper, store } from "../aftersales/testing/commerce.js";
import { signBody } from "./carriers.js";

let ctx: TestContext;
let shop: Awaited<ReturnType<typeof store>>;
let buyer: Awaited<ReturnType<typeof shopper>>;

beforeAll(async () => {
  ctx = await createTestContext();
  shop = await store(ctx);
  buyer = await shopper(ctx);
});
afterAll(async () => ctx?.close());

const ship = (orderId: string, payload: Record<string, unknown>, headers: Record<string, string> = shop.merchantH) =>
  ctx.app.inject({ method: "POST", url: `/admin/orders/${orderId}/shipments`, headers, payload });
const track = (shipmentId: string, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: "POST", url: `/admin/shipments/${shipmentId}/events`, headers: shop.merchantH, payload });

describe("shipping an order in parcels", () => {
  it("is partially shipped after the first parcel and shipped once every item has left", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 2 }, { skuId: shop.fruit.skuId, qty: 1 }]);
    const mugItem = order.items.find((i) => i.skuId === shop.mug.skuId)!;
    const fruitItem = order.items.find((i) => i.skuId === shop.fruit.skuId)!;

    const first = await ship(order.id, { carrier: "SF", trackingNo: "SF1000000001", items: [{ orderItemId: mugItem.id, qty: 1 }] });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ orderId: order.id, carrier: { code: "SF", name: "顺丰速运" }, trackingNo: "SF1000000001", status: "in_transit", items: [{ orderItemId: mugItem.id, skuId: shop.mug.skuId, qty: 1 }], events: [] });
    expect((await buyer.order(order.id)).status).toBe("partially_shipped");

    const tooMany = await ship(order.id, { carrier: "ZTO", trackingNo: "ZTO200000001", items: [{ orderItemId: mugItem.id, qty: 2 }] });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().details).toEqual([{ field: "items.0.qty", message: "only 1 left to ship" }]);

    const rest = await ship(order.id, { carrier: "ZTO", trackingNo: "ZTO200000001" });
    expect(rest.statusCode).toBe(201);
    expect(rest.json().items).toEqual(
      [{ orderItemId: mugItem.id, skuId: shop.mug.skuId, qty: 1 }, { orderItemId: fruitItem.id, skuId: shop.fruit.skuId, qty: 1 }].sort((a, b) => a.orderItemId.localeCompare(b.orderItemId)),
    );
    expect((await buyer.order(order.id)).status).toBe("shipped");

    const nothingLeft = await ship(order.id, { carrier: "YTO", trackingNo: "YT3000000001" });
    expect([nothingLeft.statusCode, nothingLeft.json().code]).toEqual([409, "nothing_to_ship"]);

    const seen = await ctx.app.inject({ method: "GET", url: `/orders/${order.id}/shipments`, headers: buyer.headers });
    expect(seen.json().map((s: { trackingNo: string }) => s.trackingNo)).toEqual(["SF1000000001", "ZTO200000001"]);
    const audit = await ctx.deps.db.selectFrom("audit_log").select(["action", "entity_id"]).where("entity", "=", "shipment").orderBy("id").execute();
    expect(audit).toEqual([
      { action: "shipment.create", entity_id: first.json().id },
      { action: "shipment.create", entity_id: rest.json().id },
    ]);
  });

  it("replays a shipment sent twice with the same Idempotency-Key and refuses a tracking number already used", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const headers = { ...shop.merchantH, "idempotency-key": `ship-${order.id}` };
    const a = await ship(order.id, { carrier: "YD", trackingNo: "YD4000000001" }, headers);
    const b = await ship(order.id, { carrier: "YD", trackingNo: "YD4000000001" }, headers);
    expect([a.statusCode, b.statusCode, b.headers["idempotent-replayed"]]).toEqual([201, 201, "true"]);
    expect(b.json().id).toBe(a.json().id);

    const other = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const reused = await ship(other.id, { carrier: "YD", trackingNo: "YD4000000001" });
    expect([reused.statusCode, reused.json().code]).toEqual([409, "tracking_no_taken"]);
    expect((await buyer.order(other.id)).status).toBe("paid");
  });

  it("hides orders from another merchant's staff and other buyers", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const stranger = await signInStaff(ctx, "merchant");
    expect((await ship(order.id, { carrier: "JD", trackingNo: "JD5000000001" }, bearer(stranger.token))).statusCode).toBe(404);
    const otherBuyer = await shopper(ctx);
    expect((await ctx.app.inject({ method: "GET", url: `/orders/${order.id}/shipments`, headers: otherBuyer.headers })).statusCode).toBe(404);
  });
});

describe("tracking and delivery", () => {
  it("delivers the order when the last parcel's delivered event arrives", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 2 }]);
    const one = (await ship(order.id, { carrier: "EMS", trackingNo: "EM6000000001", items: [{ skuId: shop.mug.skuId, qty: 1 }] })).json();
    const two = (await ship(order.id, { carrier: "EMS", trackingNo: "EM6000000002" })).json();

    const moving = await track(one.id, { at: "2026-06-01T03:00:00.000Z", status: "collected", location: "杭州", description: "已揽收" });
    expect(moving.json().events).toEqual([{ at: "2026-06-01T03:00:00.000Z", status: "collected", location: "杭州", description: "已揽收" }]);
    const firstIn = await track(one.id, { status: "delivered", location: "上海", description: "已签收，本人签收" });
    expect([firstIn.json().status, firstIn.json().deliveredAt]).toEqual(["delivered", ctx.clock.now().toISOString()]);
    expect((await buyer.order(order.id)).status).toBe("shipped");

    await track(two.id, { status: "delivered", description: "已签收，快递柜" });
    const delivered = await buyer.order(order.id);
    expect([delivered.status, delivered.deliveredAt]).toEqual(["delivered", ctx.clock.now().toISOString()]);
  });

  it("takes signed carrier pushes, ignores replays and refuses a bad signature with 401", async () => {
    const secret = "sf-push-secret-0123456789";
    const set = await ctx.app.inject({ method: "PUT", url: "/admin/shipping/carriers/SF/webhook-secret", headers: shop.adminH, payload: { secret } });
    expect(set.statusCode).toBe(204);
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const shipment = (await ship(order.id, { carrier: "SF", trackingNo: "SF7000000001" })).json();

    const body = JSON.stringify({
      trackingNo: "SF7000000001",
      events: [
        { at: "2026-06-01T04:00:00Z", status: "in_transit", location: "杭州转运中心", description: "快件已发车" },
        { at: "2026-06-02T09:30:00Z", status: "delivered", location: "上海浦东", description: "已签收" },
      ],
    });
    const push = (payload: string, signature: string) =>
      ctx.app.inject({ method: "POST", url: "/shipping/webhooks/SF", headers: { "content-type": "application/json", "x-liebian-signature": signature }, payload });

    const forged = await push(body, signBody(body, "not-the-secret-000000"));
    expect([forged.statusCode, forged.json().code]).toEqual([401, "unauthorized"]);
    const tampered = await push(body.replace("SF7000000001", "SF7000000002"), signBody(body, secret));
    expect(tampered.statusCode).toBe(401);
    expect((await buyer.order(order.id)).status).toBe("shipped");

    const accepted = await push(body, signBody(body, secret));
    expect([accepted.statusCode, accepted.json()]).toEqual([200, { shipmentId: shipment.id, recorded: 2 }]);
    const replayed = await push(body, signBody(body, secret));
    expect(replayed.json()).toEqual({ shipmentId: shipment.id, recorded: 0 });

    const [seen] = (await ctx.app.inject({ method: "GET", url: `/admin/orders/${order.id}/shipments`, headers: shop.merchantH })).json();
    expect([seen.status, seen.deliveredAt, seen.events.map((e: { status: string }) => e.status)]).toEqual(["delivered", "2026-06-02T09:30:00.000Z", ["in_transit", "delivered"]]);
    expect((await buyer.order(order.id)).status).toBe("delivered");
  });
});

describe("automatic receipt", () => {
  it("completes a shipped order once the auto-confirm days have passed", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    await ship(order.id, { carrier: "JD", trackingNo: "JD8000000001" });
    ctx.clock.advance(ctx.deps.config.autoConfirmReceiptDays * DAY - MINUTE);
    await ctx.deps.jobs.drain();
    expect((await buyer.order(order.id)).status).toBe("shipped");
    ctx.clock.advance(2 * MINUTE);
    await ctx.deps.jobs.drain();
    const completed = await buyer.order(order.id);
    expect([completed.status, completed.completedAt]).toEqual(["completed", ctx.clock.now().toISOString()]);
  });
});
