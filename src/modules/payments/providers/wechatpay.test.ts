import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../platform/clock.js";
import { startWechatPayStub } from "../testing/wechatpay-stub.js";
import { NotificationRejected, ProviderError } from "./provider.js";
import { WechatPayProvider } from "./wechatpay.js";

const clock = new ManualClock(new Date("2026-06-01T02:00:00Z"));
let wx: Awaited<ReturnType<typeof startWechatPayStub>>;
beforeAll(async () => {
  wx = await startWechatPayStub(clock);
});
afterAll(async () => wx?.close());

const PAY_ID = "pay_01JZ0000000000000000000000";

describe("WeChat Pay: starting a payment", () => {
  it("creates a JSAPI prepay order with a signed request and returns signed client params", async () => {
    const action = await wx.provider.createPayment({ paymentId: PAY_ID, amount: 1234, description: "订单", payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" } });
    const sent = wx.requests.at(-1)!;
    expect(sent.path).toBe("/v3/pay/transactions/jsapi");
    expect(JSON.parse(sent.body)).toEqual({
      appid: wx.config.appId,
      mchid: wx.config.mchId,
      description: "订单",
      out_trade_no: PAY_ID,
      notify_url: "https://shop.example.com/payments/notify/wechatpay",
      amount: { total: 1234, currency: "CNY" },
      payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
    });
    expect(action.type).toBe("jsapi");
    const p = (action as { params: Record<string, string> }).params;
    expect(p.package).toMatch(/^prepay_id=wx\d+$/);
    expect(p.signType).toBe("RSA");
    expect(p.timeStamp).toBe(String(Date.parse("2026-06-01T02:00:00Z") / 1000));
    const message = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(crypto.verify("sha256", Buffer.from(message), wx.merchantPublicKey, Buffer.from(p.paySign, "base64"))).toBe(true);
  });

  it("uses H5 when there is no openid", async () => {
    const action = await wx.provider.createPayment({ paymentId: PAY_ID, amount: 1, description: "x", payer: { ip: "203.0.113.7" } });
    expect(action).toEqual({ type: "h5", url: expect.stringMatching(/^https:\/\/wx\.tenpay\.com\//) });
    expect(JSON.parse(wx.requests.at(-1)!.body).scene_info).toEqual({ payer_client_ip: "203.0.113.7", h5_info: { type: "Wap" } });
  });

  it("fails when the server refuses our signature (merchant key mismatch)", async () => {
    const wrong = new WechatPayProvider({ ...wx.config, privateKey: crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey });
    await expect(wrong.createPayment({ paymentId: PAY_ID, amount: 1, description: "x" })).rejects.toThrow(ProviderError);
  });

  it("refuses an answer not signed by the platform key", async () => {
    const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
    const distrustful = new WechatPayProvider({ ...wx.config, platformPublicKey: other });
    await expect(distrustful.createPayment({ paymentId: PAY_ID, amount: 1, description: "x" })).rejects.toThrow("response signature does not verify");
  });
});

describe("WeChat Pay: notifications", () => {
  it("verifies, decrypts and parses a genuine notification", async () => {
    const parsed = await wx.provider.parseNotification(wx.notification({ paymentId: PAY_ID, amount: 1234, transactionId: "4200000001" }));
    expect({ ...parsed, raw: undefined }).toEqual({ paymentId: PAY_ID, providerTxnId: "4200000001", amount: 1234, success: true, payerId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", raw: undefined });
  });

  it("rejects a tampered body", async () => {
    const n = wx.notification({ paymentId: PAY_ID, amount: 1234 });
    const tampered = { ...n, rawBody: n.rawBody.replace('"summary":"支付成功"', '"summary":"x"') };
    await expect(wx.provider.parseNotification(tampered)).rejects.toThrow("notification signature does not verify");
  });

  it("rejects a notification signed with another key", async () => {
    const forger = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    await expect(wx.provider.parseNotification(wx.notification({ paymentId: PAY_ID, amount: 1 }, { signWith: forger }))).rejects.toThrow(NotificationRejected);
  });

  it("rejects a timestamp more than five minutes off, and a foreign serial", async () => {
    const stale = wx.notification({ paymentId: PAY_ID, amount: 1 }, { at: new Date(clock.now().getTime() - 5 * 60_000 - 1000) });
    await expect(wx.provider.parseNotification(stale)).rejects.toThrow("more than 5 minutes off");
    const n = wx.notification({ paymentId: PAY_ID, amount: 1 });
    await expect(wx.provider.parseNotification({ ...n, headers: { ...n.headers, "wechatpay-serial": "OTHER" } })).rejects.toThrow("unknown serial OTHER");
  });

  it("rejects a resource sealed with another APIv3 key", async () => {
    const other = new WechatPayProvider({ ...wx.config, apiV3Key: "0123456789abcdef0123456789abcdef" });
    await expect(other.parseNotification(wx.notification({ paymentId: PAY_ID, amount: 1 }))).rejects.toThrow("does not decrypt");
  });

  it("answers 204 on success and a FAIL body otherwise", () => {
    expect(wx.provider.ack(true)).toEqual({ status: 204, contentType: "application/json", body: "" });
    expect(wx.provider.ack(false)).toEqual({ status: 400, contentType: "application/json", body: '{"code":"FAIL","message":"notification rejected"}' });
  });
});

describe("WeChat Pay: refunds", () => {
  it("posts a signed domestic refund and maps SUCCESS and PROCESSING", async () => {
    const done = await wx.provider.refund({ paymentId: PAY_ID, refundId: "rfABC", amount: 500, total: 1234, reason: "不想要了", providerTxnId: "4200000001" });
    expect(done).toEqual({ providerRefundId: expect.stringMatching(/^5030\d+$/), status: "succeeded" });
    const sent = wx.requests.at(-1)!;
    expect(sent.path).toBe("/v3/refund/domestic/refunds");
    expect(JSON.parse(sent.body)).toEqual({ out_trade_no: PAY_ID, out_refund_no: "rfABC", reason: "不想要了", amount: { refund: 500, total: 1234, currency: "CNY" } });
    wx.state.refundStatus = "PROCESSING";
    const later = await wx.provider.refund({ paymentId: PAY_ID, refundId: "rfDEF", amount: 1, total: 1234, reason: "x", providerTxnId: "4200000001" });
    expect(later.status).toBe("pending");
    wx.state.refundStatus = "SUCCESS";
  });
});
