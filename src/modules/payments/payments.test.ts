import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, MINUTE } from "../../platform/clock.js";
import { bearer, createTestContext, signInConsumer, signInStaff, type TestContext } from "../../testing/harness.js";
import { TestPaymentProvider } from "./providers/test-provider.js";
import { sharePayer } from "./payments.service.js";
import { refundOrder } from "./refunds.service.js";
import { startAlipayStub } from "./testing/alipay-stub.js";
import { buyer, storeSelling } from "../../testing/store.js";
import { startWechatPayStub } from "./testing/wechatpay-stub.js";

const clock = new ManualClock(new Date("2026-06-01T02:00:00Z"));
let ctx: TestContext;
let wx: Awaited<ReturnType<typeof startWechatPayStub>>;
let ali: Awaited<ReturnType<typeof startAlipayStub>>;
let skuId: string;
let shopper: Awaited<ReturnType<typeof buyer>>;
/** Someone else's key: what a forger signs with. */
const forger = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

beforeAll(async () => {
  [wx, ali] = await Promise.all([startWechatPayStub(clock), startAlipayStub(clock)]);
  const test = new TestPaymentProvider({ publicUrl: "http://shop.test", secret: "test-pay-secret", clock });
  ctx = await createTestContext({ clock, adapters: { payments: { test, wechatpay: wx.provider, alipay: ali.provider } } });
  skuId = await storeSelling(ctx, 12_000);
  shopper = await buyer(ctx);
});
afterAll(async () => {
  await ctx?.close();
  await Promise.all([wx?.close(), ali?.close()]);
});

async function pay(orderIds: string[], provider: string, extra: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: "POST", url: "/payments", headers: shopper.headers, payload: { orderIds, provider, ...extra } });
  expect(res.statusCode).toBe(201);
  return res.json() as { paymentId: string; amount: number; provider: string; action: Record<string, unknown> };
}
const notify = (provider: string, n: { headers: Record<string, string | undefined>; rawBody: string }) =>
  ctx.app.inject({ method: "POST", url: `/payments/notify/${provider}`, headers: n.headers as Record<string, string>, payload: n.rawBody });
const payment = async (id: string) => (await ctx.app.inject({ method: "GET", url: `/payments/${id}`, headers: shopper.headers })).json();
const order = async (id: string) => (await ctx.app.inject({ method: "GET", url: `/orders/${id}`, headers: shopper.headers })).json();
const events = (type: string, aggregateId: string) => ctx.deps.db.selectFrom("outbox_events").select("payload").where("type", "=", type).where("aggregate_id", "=", aggregateId).execute();
const notifications = (paymentId: string) =>
  ctx.deps.db.selectFrom("payment_notifications").select(["verified", "outcome"]).where("payment_id", "=", paymentId).orderBy("id").execute();

describe("the test provider's pay page", () => {
  it("pays an order end to end: redirect, page, confirm, signed notification, order paid", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "test");
    expect(started).toEqual({ paymentId: expect.stringMatching(/^pay_/), amount: o.payable, provider: "test", action: { type: "redirect", url: `http://shop.test/pay/test/${started.paymentId}` } });

    const page = await ctx.app.inject({ method: "GET", url: `/pay/test/${started.paymentId}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body).toContain(`¥${Math.floor(o.payable / 100)}.${String(o.payable % 100).padStart(2, "0")}`);
    expect(page.body).toContain("确认支付 / Pay");
    expect(page.body).toContain("取消");
    expect(page.body).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);

    const confirm = await ctx.app.inject({ method: "POST", url: `/pay/test/${started.paymentId}/confirm`, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" });
    expect(confirm.statusCode).toBe(303);
    expect(confirm.headers.location).toBe(`/pay/test/${started.paymentId}`);

    const paid = await payment(started.paymentId);
    expect(paid).toMatchObject({ status: "succeeded", amount: o.payable, provider: "test", orders: [{ orderId: o.orderId, amount: o.payable }], paidAt: clock.now().toISOString() });
    expect((await order(o.orderId)).status).toBe("paid");
    expect(await notifications(started.paymentId)).toEqual([{ verified: true, outcome: "paid" }]);
    expect((await events("payment.succeeded", started.paymentId)).map((e) => e.payload)).toEqual([
      { paymentId: started.paymentId, userId: shopper.userId, orderIds: [o.orderId], amount: o.payable, provider: "test", providerTxnId: paid.providerTxnId },
    ]);
    const after = await ctx.app.inject({ method: "GET", url: `/pay/test/${started.paymentId}` });
    expect(after.body).toContain("支付成功 / Paid");
    expect(after.body).not.toContain("确认支付");
  });

  it("refuses a notification to the test endpoint that the server did not sign", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "test");
    const forged = new TestPaymentProvider({ publicUrl: "http://x", secret: "guessed", clock }).notificationFor({ paymentId: started.paymentId, amount: o.payable, success: true });
    const res = await notify("test", forged);
    expect(res.statusCode).toBe(400);
    expect((await payment(started.paymentId)).status).toBe("created");
  });
});

describe("starting a payment", () => {
  it("reuses the unpaid payment for the same orders and shows it only to its owner", async () => {
    const o = await shopper.order(skuId);
    const first = await pay([o.orderId], "alipay");
    const again = await pay([o.orderId], "alipay");
    expect(again.paymentId).toBe(first.paymentId);
    const stranger = await signInConsumer(ctx);
    expect((await ctx.app.inject({ method: "GET", url: `/payments/${first.paymentId}`, headers: bearer(stranger.token) })).statusCode).toBe(404);
    const theirs = await ctx.app.inject({ method: "POST", url: "/payments", headers: bearer(stranger.token), payload: { orderIds: [o.orderId], provider: "test" } });
    expect(theirs.statusCode).toBe(404);
  });

  it("names the field for bad input", async () => {
    const res = await ctx.app.inject({ method: "POST", url: "/payments", headers: shopper.headers, payload: { orderIds: ["ord_x"], provider: "paypal" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field).sort()).toEqual(["orderIds.0", "provider"]);
    expect(res.json().message).toBe("orderIds.0: must match pattern \"^ord_[0-9A-HJKMNP-TV-Z]{26}$\"");
  });
});

describe("WeChat Pay notifications", () => {
  it("pays on a genuine notification, and a replay (also five at once) pays nothing more", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "wechatpay", { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" });
    expect(started.action).toMatchObject({ type: "jsapi", params: { appId: wx.config.appId, signType: "RSA" } });
    const n = wx.notification({ paymentId: started.paymentId, amount: o.payable, transactionId: "4200000001202606010001" });

    const first = await notify("wechatpay", n);
    expect(first.statusCode).toBe(204);
    expect(first.body).toBe("");
    const replays = await Promise.all([notify("wechatpay", n), ...Array.from({ length: 5 }, () => notify("wechatpay", n))]);
    expect(replays.map((r) => r.statusCode)).toEqual([204, 204, 204, 204, 204, 204]);

    expect(await payment(started.paymentId)).toMatchObject({ status: "succeeded", providerTxnId: "4200000001202606010001" });
    const paidOrder = await order(o.orderId);
    expect(paidOrder).toMatchObject({ status: "paid", paymentId: started.paymentId });
    expect(paidOrder.timeline.filter((e: { event: string }) => e.event === "pay")).toHaveLength(1);
    expect(await events("payment.succeeded", started.paymentId)).toHaveLength(1);
    const seen = await notifications(started.paymentId);
    expect(seen.map((s) => s.outcome)).toEqual(["paid", "replayed", "replayed", "replayed", "replayed", "replayed", "replayed"]);
  });

  it("records who paid (payer.openid, as a keyed hash) so that two users paying from one account are known", async () => {
    const paidBy = async (who: Awaited<ReturnType<typeof buyer>>, openid: string) => {
      const o = await who.order(skuId);
      const res = await ctx.app.inject({ method: "POST", url: "/payments", headers: who.headers, payload: { orderIds: [o.orderId], provider: "wechatpay", openid } });
      expect((await notify("wechatpay", wx.notification({ paymentId: res.json().paymentId, amount: o.payable, payerOpenid: openid }))).statusCode).toBe(204);
      return res.json().paymentId as string;
    };
    const [a, b, c] = [await buyer(ctx), await buyer(ctx), await buyer(ctx)];
    const paymentId = await paidBy(a, "oPayer_shared_wallet_0001");
    await paidBy(b, "oPayer_shared_wallet_0001");
    await paidBy(c, "oPayer_someone_else_0002");
    const stored = await ctx.deps.db.selectFrom("payments").select("payer_hash").where("id", "=", paymentId).executeTakeFirstOrThrow();
    expect(stored.payer_hash).toBe(ctx.deps.cipher.hash("wechatpay:oPayer_shared_wallet_0001"));
    expect([await sharePayer(ctx.deps.db, a.userId, b.userId), await sharePayer(ctx.deps.db, b.userId, a.userId), await sharePayer(ctx.deps.db, a.userId, c.userId)]).toEqual([true, true, false]);
    // The test provider names no payer: nothing is shared through it.
    expect(await sharePayer(ctx.deps.db, shopper.userId, a.userId)).toBe(false);
  });

  it("rejects a tampered body or another key with 4xx, logs it, and pays nothing", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "wechatpay");
    expect(started.action).toMatchObject({ type: "h5" });
    const genuine = wx.notification({ paymentId: started.paymentId, amount: o.payable });
    const tampered = { ...genuine, rawBody: genuine.rawBody.replace('"summary":"支付成功"', '"summary":"支付成功 "') };
    const before = await ctx.deps.db.selectFrom("payment_notifications").select("id").where("verified", "=", false).execute();
    for (const bad of [tampered, wx.notification({ paymentId: started.paymentId, amount: o.payable }, { signWith: forger })]) {
      const res = await notify("wechatpay", bad);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: "FAIL", message: "notification rejected" });
    }
    const rejected = await ctx.deps.db
      .selectFrom("payment_notifications")
      .select(["provider", "outcome", "reason", "payment_id", "body"])
      .where("verified", "=", false)
      .orderBy("id")
      .execute();
    expect(rejected.slice(before.length)).toEqual([
      { provider: "wechatpay", outcome: "rejected", reason: "notification signature does not verify", payment_id: null, body: tampered.rawBody },
      { provider: "wechatpay", outcome: "rejected", reason: "notification signature does not verify", payment_id: null, body: expect.any(String) },
    ]);
    expect((await payment(started.paymentId)).status).toBe("created");
    expect((await order(o.orderId)).status).toBe("pending_payment");
  });

  it("flags a different amount and leaves the orders unpaid", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "wechatpay");
    const res = await notify("wechatpay", wx.notification({ paymentId: started.paymentId, amount: o.payable - 1 }));
    expect(res.statusCode).toBe(204);
    expect((await payment(started.paymentId)).status).toBe("amount_mismatch");
    expect((await order(o.orderId)).status).toBe("pending_payment");
    expect((await events("payment.amount_mismatch", started.paymentId)).map((e) => e.payload)).toEqual([
      { paymentId: started.paymentId, userId: shopper.userId, expected: o.payable, received: o.payable - 1, provider: "wechatpay", providerTxnId: (await payment(started.paymentId)).providerTxnId },
    ]);
    expect(await events("payment.succeeded", started.paymentId)).toEqual([]);
  });
});

describe("Alipay notifications", () => {
  it("pays on a genuine notification and refuses a forged one", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "alipay");
    const url = new URL(started.action.url as string);
    expect(JSON.parse(url.searchParams.get("biz_content")!).total_amount).toBe(`${Math.floor(o.payable / 100)}.${String(o.payable % 100).padStart(2, "0")}`);
    const yuan = JSON.parse(url.searchParams.get("biz_content")!).total_amount as string;

    const forged = await notify("alipay", ali.notification({ paymentId: started.paymentId, totalAmount: yuan }, { signWith: forger }));
    expect([forged.statusCode, forged.headers["content-type"], forged.body]).toEqual([400, "text/plain", "failure"]);
    expect((await payment(started.paymentId)).status).toBe("created");

    const genuine = await notify("alipay", ali.notification({ paymentId: started.paymentId, totalAmount: yuan }));
    expect([genuine.statusCode, genuine.body]).toEqual([200, "success"]);
    expect((await payment(started.paymentId)).status).toBe("succeeded");
    expect((await order(o.orderId)).status).toBe("paid");
  });
});

describe("refunds", () => {
  it("refunds through WeChat Pay once per key, within what was paid, and lists it for finance", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "wechatpay");
    expect((await notify("wechatpay", wx.notification({ paymentId: started.paymentId, amount: o.payable }))).statusCode).toBe(204);
    const calls = wx.requests.length;

    const refund = (amount: number, key: string) => ctx.deps.db.transaction().execute((trx) => refundOrder(ctx.deps, trx, { orderId: o.orderId, amount, reason: "不想要了", key }));
    const done = await refund(3000, "as_1");
    expect(done).toEqual({ refundId: expect.stringMatching(/^rfd_/), status: "succeeded" });
    const sent = wx.requests.slice(calls);
    expect(sent.map((r) => [r.path, r.headers.authorization?.startsWith("WECHATPAY2-SHA256-RSA2048 ")])).toEqual([["/v3/refund/domestic/refunds", true]]);
    expect(JSON.parse(sent[0].body)).toEqual({ out_trade_no: started.paymentId, out_refund_no: expect.stringMatching(/^rf[\w-]{30}$/), reason: "不想要了", amount: { refund: 3000, total: o.payable, currency: "CNY" } });

    expect(await refund(3000, "as_1")).toEqual(done);
    expect(wx.requests.length).toBe(calls + 1);
    await expect(refund(o.payable - 3000 + 1, "as_2")).rejects.toMatchObject({ status: 422, code: "refund_exceeds_paid" });
    expect((await refund(o.payable - 3000, "as_3")).status).toBe("succeeded");
    expect((await events("refund.succeeded", done.refundId)).map((e) => e.payload)).toEqual([{ refundId: done.refundId, orderId: o.orderId, paymentId: started.paymentId, amount: 3000 }]);

    const finance = await signInStaff(ctx, "operator", { permissions: ["finance"] });
    const listed = await ctx.app.inject({ method: "GET", url: `/admin/refunds?orderId=${o.orderId}`, headers: bearer(finance.token) });
    expect(listed.json().items.map((r: { amount: number; status: string }) => [r.amount, r.status])).toEqual([[o.payable - 3000, "succeeded"], [3000, "succeeded"]]);
  });

  it("refunds through Alipay with a signed request", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "alipay");
    await notify("alipay", ali.notification({ paymentId: started.paymentId, totalAmount: `${Math.floor(o.payable / 100)}.${String(o.payable % 100).padStart(2, "0")}` }));
    const done = await ctx.deps.db.transaction().execute((trx) => refundOrder(ctx.deps, trx, { orderId: o.orderId, amount: 1001, reason: "破损", key: "as_ali" }));
    expect(done.status).toBe("succeeded");
    const params = Object.fromEntries(new URLSearchParams(ali.requests.at(-1)!.body));
    expect(ali.verifyFromApp(params)).toBe(true);
    expect(JSON.parse(params.biz_content)).toMatchObject({ out_trade_no: started.paymentId, refund_amount: "10.01" });
  });
});

describe("cancelled orders", () => {
  it("closes the payment when its order is cancelled unpaid, and flags money that arrives later", async () => {
    const o = await shopper.order(skuId);
    const started = await pay([o.orderId], "wechatpay");
    clock.advance(ctx.deps.config.orderPaymentTimeoutMinutes * MINUTE + 1000);
    await ctx.deps.jobs.drain();
    await ctx.deps.events.drain();
    expect((await order(o.orderId)).status).toBe("cancelled");
    expect((await payment(started.paymentId)).status).toBe("closed");

    const late = await notify("wechatpay", wx.notification({ paymentId: started.paymentId, amount: o.payable }));
    expect(late.statusCode).toBe(204);
    expect((await payment(started.paymentId)).status).toBe("closed");
    expect((await order(o.orderId)).status).toBe("cancelled");
    expect((await events("payment.unapplied", started.paymentId)).map((e) => (e.payload as { reason: string }).reason)).toEqual(["a payment that is closed cannot succeed"]);
  });
});
