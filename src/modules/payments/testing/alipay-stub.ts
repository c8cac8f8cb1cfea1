import crypto from "node:crypto";
import type { Clock } from "../../../platform/clock.js";
import { type AlipayConfig, AlipayProvider } from "../providers/alipay.js";
import type { RawNotification } from "../providers/provider.js";
import { startStub } from "./http-stub.js";

const rsa = () => crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });

/** Alipay's own rule, written out again here so a mistake in the provider cannot hide in the stub. */
function content(params: Record<string, string>, drop: string[]): string {
  return Object.keys(params)
    .filter((k) => !drop.includes(k) && params[k] !== "")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

/**
 * The Alipay open gateway as a local server, with its own keys: it verifies our RSA2 request signature
 * with the app's public key, answers alipay.trade.refund signed with Alipay's key, and builds
 * asynchronous notifications (form-encoded, RSA2-signed) the way Alipay does.
 */
export async function startAlipayStub(clock: Clock) {
  const app = rsa();
  const alipay = rsa();
  const appId = "2021000000000001";

  const verifyFromApp = (params: Record<string, string>) =>
    crypto.verify("sha256", Buffer.from(content(params, ["sign"])), app.publicKey, Buffer.from(params.sign ?? "", "base64"));

  const server = await startStub((req) => {
    const params = Object.fromEntries(new URLSearchParams(req.body));
    if (params.app_id !== appId || !verifyFromApp(params)) {
      // Alipay leaves this error unsigned.
      return { status: 200, body: JSON.stringify({ alipay_trade_refund_response: { code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-signature", sub_msg: "验签出错" } }) };
    }
    const biz = JSON.parse(params.biz_content);
    const response = JSON.stringify({
      code: "10000",
      msg: "Success",
      buyer_logon_id: "159****5620",
      fund_change: "Y",
      gmt_refund_pay: "2026-06-01 10:10:00",
      out_trade_no: biz.out_trade_no,
      refund_fee: biz.refund_amount,
      trade_no: "2026060122001400000000000001",
    });
    const sign = crypto.sign("sha256", Buffer.from(response), alipay.privateKey).toString("base64");
    return { status: 200, body: `{"alipay_trade_refund_response":${response},"sign":"${sign}"}` };
  });

  const config: AlipayConfig = {
    appId,
    // Alipay's console hands out bare base64 keys; the provider takes them as they come.
    privateKey: (app.privateKey.export({ type: "pkcs8", format: "der" }) as Buffer).toString("base64"),
    alipayPublicKey: (alipay.publicKey.export({ type: "spki", format: "der" }) as Buffer).toString("base64"),
    gateway: `${server.url}/gateway.do`,
    notifyUrl: "https://shop.example.com/payments/notify/alipay",
    clock,
  };

  /** A trade notification as Alipay posts it; `signWith` forges it with another key. */
  function notification(p: { paymentId: string; totalAmount: string; tradeStatus?: string; appId?: string }, opts: { signWith?: crypto.KeyObject } = {}): RawNotification {
    const params: Record<string, string> = {
      gmt_create: "2026-06-01 10:00:00",
      charset: "utf-8",
      seller_email: "shop@example.com",
      subject: "订单",
      buyer_id: "2088102122524333",
      invoice_amount: p.totalAmount,
      notify_id: crypto.randomUUID().replace(/-/g, ""),
      fund_bill_list: '[{"amount":"' + p.totalAmount + '","fundChannel":"ALIPAYACCOUNT"}]',
      notify_type: "trade_status_sync",
      trade_status: p.tradeStatus ?? "TRADE_SUCCESS",
      receipt_amount: p.totalAmount,
      app_id: p.appId ?? appId,
      buyer_pay_amount: p.totalAmount,
      seller_id: "2088102119685838",
      gmt_payment: "2026-06-01 10:00:05",
      notify_time: "2026-06-01 10:00:06",
      version: "1.0",
      out_trade_no: p.paymentId,
      total_amount: p.totalAmount,
      trade_no: `20260601220014${BigInt(`0x${crypto.createHash("sha256").update(p.paymentId).digest("hex").slice(0, 12)}`)}`,
      auth_app_id: p.appId ?? appId,
      point_amount: "0.00",
    };
    const sign = crypto.sign("sha256", Buffer.from(content(params, ["sign", "sign_type"])), opts.signWith ?? alipay.privateKey).toString("base64");
    return { headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, rawBody: new URLSearchParams({ ...params, sign_type: "RSA2", sign }).toString() };
  }

  return { config, provider: new AlipayProvider(config), requests: server.requests, verifyFromApp, appPublicKey: app.publicKey, notification, close: server.close };
}
