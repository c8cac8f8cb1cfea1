import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../platform/clock.js";
import { startAlipayStub } from "../testing/alipay-stub.js";
import { AlipayProvider } from "./alipay.js";
import { NotificationRejected } from "./provider.js";

const clock = new ManualClock(new Date("2026-06-01T02:00:00Z"));
let ali: Awaited<ReturnType<typeof startAlipayStub>>;
beforeAll(async () => {
  ali = await startAlipayStub(clock);
});
afterAll(async () => ali?.close());

const PAY_ID = "pay_01JZ0000000000000000000000";

describe("Alipay: starting a payment", () => {
  it("returns a gateway URL for alipay.trade.wap.pay signed with the app key", async () => {
    const action = await ali.provider.createPayment({ paymentId: PAY_ID, amount: 1205, description: "订单 & 礼品" });
    expect(action.type).toBe("redirect");
    const url = new URL((action as { url: string }).url);
    expect(`${url.origin}${url.pathname}`).toBe(ali.config.gateway);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      app_id: ali.config.appId,
      method: "alipay.trade.wap.pay",
      format: "JSON",
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: "2026-06-01 10:00:00",
      version: "1.0",
      notify_url: "https://shop.example.com/payments/notify/alipay",
    });
    expect(JSON.parse(params.biz_content)).toEqual({ out_trade_no: PAY_ID, total_amount: "12.05", subject: "订单 & 礼品", product_code: "QUICK_WAP_WAY" });
    expect(ali.verifyFromApp(params)).toBe(true);
    expect(ali.verifyFromApp({ ...params, biz_content: params.biz_content.replace("12.05", "0.01") })).toBe(false);
  });
});

describe("Alipay: notifications", () => {
  it("accepts a genuine TRADE_SUCCESS and converts yuan to fen exactly", async () => {
    const parsed = await ali.provider.parseNotification(ali.notification({ paymentId: PAY_ID, totalAmount: "88.88" }));
    expect({ ...parsed, raw: undefined }).toEqual({ paymentId: PAY_ID, providerTxnId: expect.stringMatching(/^20260601220014\d+$/), amount: 8888, success: true, payerId: "2088102122524333", raw: undefined });
  });

  it("treats TRADE_FINISHED as paid and WAIT_BUYER_PAY as not", async () => {
    expect((await ali.provider.parseNotification(ali.notification({ paymentId: PAY_ID, totalAmount: "0.10", tradeStatus: "TRADE_FINISHED" }))).success).toBe(true);
    expect((await ali.provider.parseNotification(ali.notification({ paymentId: PAY_ID, totalAmount: "0.10", tradeStatus: "WAIT_BUYER_PAY" }))).success).toBe(false);
  });

  it("rejects a forged signature, a tampered amount and another app's notification", async () => {
    const forger = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    await expect(ali.provider.parseNotification(ali.notification({ paymentId: PAY_ID, totalAmount: "1.00" }, { signWith: forger }))).rejects.toThrow("signature does not verify");
    const n = ali.notification({ paymentId: PAY_ID, totalAmount: "1.00" });
    await expect(ali.provider.parseNotification({ ...n, rawBody: n.rawBody.replace("total_amount=1.00", "total_amount=100.00") })).rejects.toThrow(NotificationRejected);
    await expect(ali.provider.parseNotification(ali.notification({ paymentId: PAY_ID, totalAmount: "1.00", appId: "2021999999999999" }))).rejects.toThrow("notification for app 2021999999999999");
  });

  it("answers success / failure as plain text", () => {
    expect(ali.provider.ack(true)).toEqual({ status: 200, contentType: "text/plain", body: "success" });
    expect(ali.provider.ack(false)).toEqual({ status: 400, contentType: "text/plain", body: "failure" });
  });
});

describe("Alipay: refunds", () => {
  it("posts a signed alipay.trade.refund and verifies the signed answer", async () => {
    const done = await ali.provider.refund({ paymentId: PAY_ID, refundId: "rfABC", amount: 501, total: 1205, reason: "破损", providerTxnId: "x" });
    expect(done).toEqual({ providerRefundId: "2026060122001400000000000001:rfABC", status: "succeeded" });
    const params = Object.fromEntries(new URLSearchParams(ali.requests.at(-1)!.body));
    expect(params.method).toBe("alipay.trade.refund");
    expect(JSON.parse(params.biz_content)).toEqual({ out_trade_no: PAY_ID, refund_amount: "5.01", refund_reason: "破损", out_request_no: "rfABC" });
    expect(ali.verifyFromApp(params)).toBe(true);
  });

  it("fails when the gateway refuses our signature", async () => {
    const wrong = new AlipayProvider({ ...ali.config, privateKey: crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey });
    await expect(wrong.refund({ paymentId: PAY_ID, refundId: "rfX", amount: 1, total: 1, reason: "x", providerTxnId: "x" })).rejects.toThrow("refused: isv.invalid-signature 验签出错");
  });

  it("refuses an answer not signed by Alipay", async () => {
    const distrustful = new AlipayProvider({ ...ali.config, alipayPublicKey: crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey });
    await expect(distrustful.refund({ paymentId: PAY_ID, refundId: "rfY", amount: 1, total: 1, reason: "x", providerTxnId: "x" })).rejects.toThrow("response signature does not verify");
  });
});
