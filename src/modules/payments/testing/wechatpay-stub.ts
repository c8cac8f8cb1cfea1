import crypto from "node:crypto";
import type { Clock } from "../../../platform/clock.js";
import type { RawNotification } from "../providers/provider.js";
import { type WechatPayConfig, WechatPayProvider } from "../providers/wechatpay.js";
import { startStub, type StubRequest } from "./http-stub.js";

const rsa = () => crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const sign = (key: crypto.KeyObject, message: string) => crypto.sign("sha256", Buffer.from(message), key).toString("base64");

/**
 * WeChat Pay API v3 as a local server, with its own keys: it checks our Authorization header the way
 * api.mch.weixin.qq.com does, signs its answers with the platform key, and builds notifications in
 * WeChat's exact format (RSA-signed envelope, AES-256-GCM sealed resource).
 */
export async function startWechatPayStub(clock: Clock) {
  const merchant = rsa();
  const platform = rsa();
  const mchId = "1900000109";
  const appId = "wxd678efh567hg6787";
  const serialNo = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
  const platformSerial = "PUB_KEY_ID_0114232134912410000";
  const apiV3Key = crypto.randomBytes(16).toString("hex");
  let seq = 0;
  const state = { refundStatus: "SUCCESS" as "SUCCESS" | "PROCESSING" };

  function signedHeaders(body: string): Record<string, string> {
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const nonce = crypto.randomBytes(16).toString("hex");
    return {
      "Wechatpay-Timestamp": timestamp,
      "Wechatpay-Nonce": nonce,
      "Wechatpay-Serial": platformSerial,
      "Wechatpay-Signature": sign(platform.privateKey, `${timestamp}\n${nonce}\n${body}\n`),
    };
  }

  function authorizationError(req: StubRequest): string | undefined {
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith("WECHATPAY2-SHA256-RSA2048 ")) return "wrong scheme";
    const fields = Object.fromEntries([...auth.slice(26).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (fields.mchid !== mchId) return "wrong mchid";
    if (fields.serial_no !== serialNo) return "wrong serial_no";
    if (Math.abs(Number(fields.timestamp) * 1000 - clock.now().getTime()) > 5 * 60_000) return "stale timestamp";
    const message = `${req.method}\n${req.path}\n${fields.timestamp}\n${fields.nonce_str}\n${req.body}\n`;
    if (!crypto.verify("sha256", Buffer.from(message), merchant.publicKey, Buffer.from(fields.signature ?? "", "base64"))) return "signature does not verify";
    return undefined;
  }

  const server = await startStub((req) => {
    const problem = authorizationError(req);
    if (problem) return { status: 401, body: JSON.stringify({ code: "SIGN_ERROR", message: problem }) };
    const body = JSON.parse(req.body);
    let answer: unknown;
    if (req.path === "/v3/pay/transactions/jsapi") answer = { prepay_id: `wx${++seq}` };
    else if (req.path === "/v3/pay/transactions/h5") answer = { h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx${++seq}` };
    else if (req.path === "/v3/refund/domestic/refunds")
      answer = { refund_id: `5030${++seq}`, out_refund_no: body.out_refund_no, out_trade_no: body.out_trade_no, status: state.refundStatus, amount: { ...body.amount, payer_refund: body.amount.refund } };
    else return { status: 404, body: JSON.stringify({ code: "NOT_FOUND", message: req.path }) };
    const text = JSON.stringify(answer);
    return { status: 200, headers: signedHeaders(text), body: text };
  });

  const config: WechatPayConfig = {
    mchId,
    appId,
    serialNo,
    privateKey: merchant.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    apiV3Key,
    platformPublicKey: platform.publicKey.export({ type: "spki", format: "pem" }) as string,
    platformSerial,
    baseUrl: server.url,
    notifyUrl: "https://shop.example.com/payments/notify/wechatpay",
    clock,
  };

  /** A TRANSACTION.SUCCESS notification as WeChat Pay sends it; `signWith` forges it with another key. */
  function notification(tx: { paymentId: string; amount: number; transactionId?: string; tradeState?: string; payerOpenid?: string }, opts: { signWith?: crypto.KeyObject; at?: Date } = {}): RawNotification {
    const resource = JSON.stringify({
      mchid: mchId,
      appid: appId,
      out_trade_no: tx.paymentId,
      transaction_id: tx.transactionId ?? `4200${BigInt(`0x${crypto.createHash("sha256").update(tx.paymentId).digest("hex").slice(0, 15)}`)}`,
      trade_type: "JSAPI",
      trade_state: tx.tradeState ?? "SUCCESS",
      trade_state_desc: "支付成功",
      bank_type: "OTHERS",
      success_time: "2026-06-01T10:00:00+08:00",
      payer: { openid: tx.payerOpenid ?? "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
      amount: { total: tx.amount, payer_total: tx.amount, currency: "CNY", payer_currency: "CNY" },
    });
    const iv = crypto.randomBytes(6).toString("hex");
    const cipher = crypto.createCipheriv("aes-256-gcm", Buffer.from(apiV3Key), Buffer.from(iv));
    cipher.setAAD(Buffer.from("transaction"));
    const sealed = Buffer.concat([cipher.update(resource), cipher.final(), cipher.getAuthTag()]).toString("base64");
    const rawBody = JSON.stringify({
      id: crypto.randomUUID(),
      create_time: "2026-06-01T10:00:01+08:00",
      resource_type: "encrypt-resource",
      event_type: "TRANSACTION.SUCCESS",
      summary: "支付成功",
      resource: { original_type: "transaction", algorithm: "AEAD_AES_256_GCM", ciphertext: sealed, associated_data: "transaction", nonce: iv },
    });
    const timestamp = String(Math.floor((opts.at ?? clock.now()).getTime() / 1000));
    const nonce = crypto.randomBytes(16).toString("hex");
    return {
      headers: {
        "content-type": "application/json",
        "wechatpay-timestamp": timestamp,
        "wechatpay-nonce": nonce,
        "wechatpay-serial": platformSerial,
        "wechatpay-signature": sign(opts.signWith ?? platform.privateKey, `${timestamp}\n${nonce}\n${rawBody}\n`),
      },
      rawBody,
    };
  }

  return {
    config,
    provider: new WechatPayProvider(config),
    requests: server.requests,
    merchantPublicKey: merchant.publicKey,
    state,
    notification,
    close: server.close,
  };
}
