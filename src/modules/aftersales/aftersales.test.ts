import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../platform/auth/principal.js";
import { DAY } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { uploadPng } from "../media/testing/upload.js";
import { releaseHold } from "../orders/orders.service.js";
import { type PlacedOrder, ok, shopper, store } from "./testing/commerce.js";

let ctx: TestContext;
let dataDir: string;
let shop: Awaited<ReturnType<typeof store>>;
let buyer: Awaited<ReturnType<typeof shopper>>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-aftersales-"));
  ctx = await createTestContext({ config: { dataDir } });
  shop = await store(ctx);
  buyer = await shopper(ctx);
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const itemOf = (order: PlacedOrder, skuId: string) => order.items.find((i) => i.skuId === skuId)!;
const ask = (orderId: string, payload: Record<string, unknown>, headers: Record<string, string> = buyer.headers) => ctx.app.inject({ method: "POST", url: `/orders/${orderId}/aftersales`, headers, payload });
const staffDoes = (id: string, action: string, payload?: Record<string, unknown>, headers: Record<string, string> = shop.merchantH) =>
  ctx.app.inject({ method: "POST", url: `/admin/aftersales/${id}/${action}`, headers, ...(payload ? { payload } : {}) });
const buyerDoes = (id: string, action: string, payload?: Record<string, unknown>) =>
  ctx.app.inject({ method: "POST", url: `/aftersales/${id}/${action}`, headers: buyer.headers, ...(payload ? { payload } : {}) });

/** Ships everything, and the buyer confirms receipt: the after-sales windows count from now. */
async function received(order: PlacedOrder): Promise<void> {
  await ok(ctx, { method: "POST", url: `/admin/orders/${order.id}/shipments`, headers: shop.merchantH, payload: { carrier: "SF", trackingNo: `SF${order.id.slice(-12)}` } });
  await ok(ctx, { method: "POST", url: `/orders/${order.id}/confirm-receipt`, headers: buyer.headers });
}

describe("7-day no-reason return (七天无理由退货)", () => {
  it("goes requested → approved → awaiting_return → returned → refunded, restocks, and closes the fully refunded order", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 2 }]);
    // ¥60.00 of goods under the ¥99 free-shipping line: ¥10.00 shipping, ¥70.00 paid.
    expect(order.payable).toBe(7000);
    expect(await shop.available(shop.mug.skuId)).toBe(98);
    await received(order);

    const asked = await ask(order.id, { type: "return_refund", items: [{ orderItemId: order.items[0].id, qty: 2 }], reasonCode: "no_reason", description: "不喜欢颜色" });
    expect(asked.statusCode).toBe(201);
    const request = asked.json();
    expect([request.status, request.refundAmount, request.itemsShare, request.items]).toEqual([
      "requested",
      7000,
      7000,
      [{ orderItemId: order.items[0].id, skuId: shop.mug.skuId, title: "马克杯", qty: 2 }],
    ]);

    expect((await staffDoes(request.id, "approve", { note: "同意退货" })).json().status).toBe("approved");
    const sent = await buyerDoes(request.id, "return-shipment", { carrier: "ZTO", trackingNo: "ZTO900000001" });
    expect([sent.json().status, sent.json().returnShipment]).toEqual(["awaiting_return", { carrier: "ZTO", trackingNo: "ZTO900000001" }]);
    expect((await staffDoes(request.id, "receive-return")).json().status).toBe("returned");
    expect(await shop.available(shop.mug.skuId)).toBe(100);

    const refunded = await staffDoes(request.id, "refund", undefined, { ...shop.merchantH, "idempotency-key": `refund-${request.id}` });
    expect([refunded.statusCode, refunded.json().status]).toEqual([200, "refunded"]);
    expect(refunded.json().refundId).toMatch(/^rfd_/);
    const again = await staffDoes(request.id, "refund", undefined, { ...shop.merchantH, "idempotency-key": `refund-${request.id}` });
    expect([again.headers["idempotent-replayed"], again.json().refundId]).toEqual(["true", refunded.json().refundId]);

    const closed = await buyer.order(order.id);
    expect([closed.status, closed.refundedAmount, closed.items[0].refundedQty]).toEqual(["closed", 7000, 2]);
    const refunds = await ctx.deps.db.selectFrom("refunds").select(["amount", "key"]).where("order_id", "=", order.id).execute();
    expect(refunds).toEqual([{ amount: 7000, key: request.id }]);

    const mine = (await ctx.app.inject({ method: "GET", url: `/aftersales/${request.id}`, headers: buyer.headers })).json();
    expect(mine.history.map((h: { event: string; to: string; actorKind: string }) => [h.event, h.to, h.actorKind])).toEqual([
      ["request", "requested", "consumer"],
      ["approve", "approved", "merchant"],
      ["send_back", "awaiting_return", "consumer"],
      ["receive_return", "returned", "merchant"],
      ["refund", "refunded", "merchant"],
    ]);
    const events = await ctx.deps.db.selectFrom("outbox_events").select("type").where("aggregate_id", "=", request.id).orderBy("id").execute();
    expect(events.map((e) => e.type)).toEqual(["aftersale.requested", "aftersale.approved", "aftersale.awaiting_return", "aftersale.returned", "aftersale.refunded"]);
    const audit = await ctx.deps.db.selectFrom("audit_log").select("action").where("entity_id", "=", request.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["aftersale.approve", "aftersale.receive_return", "aftersale.refund"]);
  });

  it("refunds a single item its paid share of the order, split by line totals with the largest remainder", async () => {
    // ¥30.00 + ¥49.99 = ¥79.99 of goods + ¥10.00 shipping = ¥89.99 paid; the mug's share: 8999 × 3000 / 7999 = 3375.05 → 3375.
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }, { skuId: shop.fruit.skuId, qty: 1 }]);
    await received(order);
    const asked = await ask(order.id, { type: "return_refund", items: [{ orderItemId: itemOf(order, shop.mug.skuId).id, qty: 1 }], reasonCode: "no_reason" });
    expect([asked.statusCode, asked.json().refundAmount]).toEqual([201, 3375]);
    const tooMuch = await ask(order.id, { type: "refund_only", items: [{ orderItemId: itemOf(order, shop.fruit.skuId).id, qty: 1 }], reasonCode: "other", refundAmount: 5625 });
    expect([tooMuch.statusCode, tooMuch.json().details]).toEqual([400, [{ field: "refundAmount", message: "at most 5624 fen (paid, less what is refunded or already asked for)" }]]);
  });
});

describe("after-sale-exempt items", () => {
  it("refuses a no-reason return, and takes one with a quality reason and photos", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.fruit.skuId, qty: 1 }]);
    await received(order);
    const item = { orderItemId: order.items[0].id, qty: 1 };

    const noReason = await ask(order.id, { type: "return_refund", items: [item], reasonCode: "no_reason" });
    expect([noReason.statusCode, noReason.json().code, noReason.json().details.items]).toEqual([422, "aftersale_exempt_item", [item.orderItemId]]);
    const noPhotos = await ask(order.id, { type: "return_refund", items: [item], reasonCode: "quality_issue", description: "坏果" });
    expect([noPhotos.statusCode, noPhotos.json().code]).toEqual([422, "aftersale_exempt_item"]);

    const other = await shopper(ctx);
    const theirPhoto = await uploadPng(ctx, other.headers);
    const stolen = await ask(order.id, { type: "return_refund", items: [item], reasonCode: "quality_issue", photos: [theirPhoto.url] });
    expect([stolen.statusCode, stolen.json().details]).toEqual([400, [{ field: "photos.0", message: "not one of your uploads" }]]);

    const photo = await uploadPng(ctx, buyer.headers);
    const withPhotos = await ask(order.id, { type: "return_refund", items: [item], reasonCode: "quality_issue", description: "坏果", photos: [photo.id] });
    expect([withPhotos.statusCode, withPhotos.json().photos, withPhotos.json().reason]).toEqual([201, [photo.url], { code: "quality_issue", label: "质量问题 — defective" }]);
  });
});

describe("refund only (仅退款)", () => {
  it("refunds an unshipped order as soon as it is approved, restocks it and closes the order", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 3 }]);
    const before = await shop.available(shop.mug.skuId);
    const request = (await ask(order.id, { type: "refund_only", items: [{ orderItemId: order.items[0].id, qty: 3 }], reasonCode: "other", description: "拍错了" })).json();
    const approved = await staffDoes(request.id, "approve", undefined, shop.adminH);
    // ¥90.00 of goods + ¥10.00 shipping: all of it comes back.
    expect([approved.json().status, approved.json().refundAmount]).toEqual(["refunded", 10000]);
    expect(await shop.available(shop.mug.skuId)).toBe(before + 3);
    expect((await buyer.order(order.id)).status).toBe("closed");
  });
});

describe("the request state machine", () => {
  it("answers an illegal move with 409 illegal_transition and changes nothing", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    await received(order);
    const request = (await ask(order.id, { type: "return_refund", items: [{ orderItemId: order.items[0].id, qty: 1 }], reasonCode: "no_reason" })).json();
    await staffDoes(request.id, "approve");
    const early = await staffDoes(request.id, "refund");
    expect([early.statusCode, early.json().code, early.json().details]).toEqual([409, "illegal_transition", { from: "approved", event: "refund", type: "return_refund", allowed: ["cancel", "send_back"] }]);
    expect(await ctx.deps.db.selectFrom("refunds").select("id").where("key", "=", request.id).execute()).toEqual([]);
    await buyerDoes(request.id, "return-shipment", { carrier: "SF", trackingNo: "SF900000002" });
    const cancel = await buyerDoes(request.id, "cancel");
    expect([cancel.statusCode, cancel.json().code]).toEqual([409, "illegal_transition"]);
  });

  it("keeps one open request per item; a withdrawn one frees the item", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 2 }]);
    await received(order);
    const line = { orderItemId: order.items[0].id, qty: 1 };
    const first = (await ask(order.id, { type: "exchange", items: [line], reasonCode: "quality_issue" })).json();
    const second = await ask(order.id, { type: "repair", items: [line], reasonCode: "quality_issue" });
    expect([second.statusCode, second.json().code]).toEqual([409, "aftersale_already_open"]);
    expect((await buyerDoes(first.id, "cancel")).json().status).toBe("cancelled");
    expect((await ask(order.id, { type: "repair", items: [line], reasonCode: "quality_issue" })).statusCode).toBe(201);
  });

  it("opens one request of five fired at once for the same item, and pays one refund of three fired at once", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const line = { orderItemId: order.items[0].id, qty: 1 };
    const asked = await Promise.all(Array.from({ length: 5 }, () => ask(order.id, { type: "refund_only", items: [line], reasonCode: "other" })));
    expect(asked.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const request = asked.find((r) => r.statusCode === 201)!.json();
    await ok(ctx, { method: "POST", url: `/admin/orders/${order.id}/shipments`, headers: shop.merchantH, payload: { carrier: "SF", trackingNo: `SF${order.id.slice(-12)}` } });
    await staffDoes(request.id, "approve");
    const refunds = await Promise.all([0, 1, 2].map(() => staffDoes(request.id, "refund")));
    expect(refunds.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await ctx.deps.db.selectFrom("refunds").select("amount").where("key", "=", request.id).execute()).toEqual([{ amount: order.payable }]);
    expect((await buyer.order(order.id)).refundedAmount).toBe(order.payable);
  });

  it("exchanges: the merchant reships once the goods are back, and stock is not touched", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    await received(order);
    const request = (await ask(order.id, { type: "exchange", items: [{ orderItemId: order.items[0].id, qty: 1 }], reasonCode: "damaged" })).json();
    await staffDoes(request.id, "approve");
    await buyerDoes(request.id, "return-shipment", { carrier: "YTO", trackingNo: "YT900000003" });
    const stock = await shop.available(shop.mug.skuId);
    await staffDoes(request.id, "receive-return");
    const reshipped = await staffDoes(request.id, "reship", { carrier: "SF", trackingNo: "SF900000004" });
    expect([reshipped.json().status, reshipped.json().reshipment]).toEqual(["reshipped", { carrier: "SF", trackingNo: "SF900000004" }]);
    expect(await shop.available(shop.mug.skuId)).toBe(stock);
  });
});

describe("who sees what", () => {
  it("answers 404 for another buyer's order or request, and for another merchant's staff", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const request = (await ask(order.id, { type: "refund_only", items: [{ orderItemId: order.items[0].id, qty: 1 }], reasonCode: "other" })).json();
    const other = await shopper(ctx);
    expect((await ask(order.id, { type: "refund_only", items: [{ orderItemId: order.items[0].id, qty: 1 }], reasonCode: "other" }, other.headers)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: "GET", url: `/aftersales/${request.id}`, headers: other.headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: "GET", url: "/aftersales", headers: other.headers })).json().items).toEqual([]);
    const stranger = await signInStaff(ctx, "merchant");
    expect((await staffDoes(request.id, "approve", undefined, bearer(stranger.token))).statusCode).toBe(404);
    const list = (await ctx.app.inject({ method: "GET", url: `/admin/aftersales?orderId=${order.id}`, headers: shop.merchantH })).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([request.id]);
  });
});

describe("an order on a fulfilment hold", () => {
  it("takes no request of any type while the hold lasts (422 order_on_hold, naming it), and the usual ones once it is released", async () => {
    const hold = "waiting for the campaign; refunded automatically if it falls through";
    const order = await buyer.heldPaidOrder([{ skuId: shop.mug.skuId, qty: 1 }], hold);
    const line = { orderItemId: order.items[0].id, qty: 1 };
    for (const type of ["refund_only", "return_refund", "exchange", "repair"]) {
      const refused = await ask(order.id, { type, items: [line], reasonCode: "other" });
      expect([refused.statusCode, refused.json().code, refused.json().details], type).toEqual([422, "order_on_hold", { hold }]);
      expect(refused.json().message).toContain(hold);
    }
    expect(await ctx.deps.db.selectFrom("aftersale_requests").select("id").where("order_id", "=", order.id).execute()).toEqual([]);

    await ctx.deps.db.transaction().execute((trx) => releaseHold(ctx.deps, trx, order.id, systemActor));
    const early = await ask(order.id, { type: "return_refund", items: [line], reasonCode: "no_reason" });
    expect([early.statusCode, early.json().code]).toEqual([422, "order_not_received"]);
    const asked = await ask(order.id, { type: "refund_only", items: [line], reasonCode: "other" });
    expect([asked.statusCode, asked.json().status, asked.json().refundAmount], asked.body).toEqual([201, "requested", order.payable]);
  });
});

// Last: moving the clock 8 days ends the staff sessions the tests above use.
describe("time limits", () => {
  it("refuses a return 8 days after receipt with aftersale_window_closed, but still takes an exchange", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    await received(order);
    const receivedAt = ctx.clock.now();
    ctx.clock.advance(8 * DAY);
    const late = await ask(order.id, { type: "return_refund", items: [{ orderItemId: order.items[0].id, qty: 1 }], reasonCode: "no_reason" });
    expect([late.statusCode, late.json().code, late.json().details]).toEqual([
      422,
      "aftersale_window_closed",
      { type: "return_refund", deadline: new Date(receivedAt.getTime() + 7 * DAY).toISOString() },
    ]);
    const exchange = await ask(order.id, { type: "exchange", items: [{ orderItemId: order.items[0].id, qty: 1 }], reasonCode: "quality_issue" });
    expect([exchange.statusCode, exchange.json().refundAmount]).toEqual([201, 0]);
  });

  it("takes no return before the goods are received", async () => {
    const order = await buyer.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const early = await ask(order.id, { type: "return_refund", items: [{ orderItemId: order.items[0].id, qty: 1 }], reasonCode: "no_reason" });
    expect([early.statusCode, early.json().code]).toEqual([422, "order_not_received"]);
  });
});
