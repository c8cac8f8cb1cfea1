import crypto, { type KeyObject } from "node:crypto";
import type { Clock } from "../../../platform/clock.js";
import { nonce, privateKeyOf, publicKeyOf, signSha256, verifySha256 } from "./keys.js";
import {
  FIVE_MINUTES_MS,
  header,
  NotificationRejected,
  type ParsedNotification,
  type PaymentAction,
  type PaymentProvider,
  ProviderError,
  type RawNotification,
  type RefundRequest,
  type StartPayment,
} from "./provider.js";

export interface WechatPayConfig {
  mchId: string;
  appId: string;
  /** Serial number of our merchant API certificate. */
  serialNo: string;
  privateKey: string | KeyObject;
  /** The 32-character APIv3 key that seals notification resources. */
  apiV3Key: string;
  /** WeChat Pay's platform certificate or public key, and its serial (Wechatpay-Serial). */
  platformPublicKey: string | KeyObject;
  platformSerial: string;
  baseUrl: string;
  notifyUrl: string;
  clock: Clock;
}

interface Transaction {
  appid?: string;
  mchid?: string;
  out_trade_no: string;
  transaction_id: string;
  trade_state: string;
  amount: { total: number; payer_total?: number; currency: string };
  payer?: { openid?: string };
}

/** WeChat Pay API v3 (微信支付): JSAPI inside WeChat, H5 in other mobile browsers. */
export class WechatPayProvider implements PaymentProvider {
  readonly name = "wechatpay" as const;
  private readonly privateKey: KeyObject;
  private readonly platformKey: KeyObject;

  constructor(private readonly cfg: WechatPayConfig) {
    if (Buffer.byteLength(cfg.apiV3Key, "utf8") !== 32) throw new Error("WECHATPAY_APIV3_KEY must be 32 bytes");
    this.privateKey = privateKeyOf(cfg.privateKey);
    this.platformKey = publicKeyOf(cfg.platformPublicKey);
  }

  async createPayment(p: StartPayment): Promise<PaymentAction> {
    const base = {
      appid: this.cfg.appId,
      mchid: this.cfg.mchId,
      // WeChat limits the description to 127 characters.
      description: [...p.description].slice(0, 127).join(""),
      out_trade_no: p.paymentId,
      notify_url: this.cfg.notifyUrl,
      amount: { total: p.amount, currency: "CNY" },
    };
    if (p.payer?.openid) {
      const res = await this.call<{ prepay_id: string }>("POST", "/v3/pay/transactions/jsapi", { ...base, payer: { openid: p.payer.openid } });
      return { type: "jsapi", params: this.jsapiParams(res.prepay_id) };
    }
    const res = await this.call<{ h5_url: string }>("POST", "/v3/pay/transactions/h5", {
      ...base,
      scene_info: { payer_client_ip: p.payer?.ip ?? "127.0.0.1", h5_info: { type: "Wap" } },
    });
    return { type: "h5", url: res.h5_url };
  }

  async parseNotification(req: RawNotification): Promise<ParsedNotification> {
    this.verifySigned(req.headers, req.rawBody, "notification");
    let envelope: { event_type?: string; resource?: { algorithm?: string; ciphertext?: string; nonce?: string; associated_data?: string } };
    try {
      envelope = JSON.parse(req.rawBody);
    } catch {
      throw new NotificationRejected("body is not JSON");
    }
    const r = envelope.resource;
    if (!r || r.algorithm !== "AEAD_AES_256_GCM" || !r.ciphertext || !r.nonce) throw new NotificationRejected("no AEAD_AES_256_GCM resource");
    const tx = JSON.parse(this.decrypt(r.ciphertext, r.nonce, r.associated_data ?? "")) as Transaction;
    if (tx.mchid !== undefined && tx.mchid !== this.cfg.mchId) throw new NotificationRejected(`notification for merchant ${tx.mchid}`);
    if (tx.amount?.currency !== "CNY" || !Number.isSafeInteger(tx.amount.total)) throw new NotificationRejected("amount is not integer fen in CNY");
    return { paymentId: tx.out_trade_no, providerTxnId: tx.transaction_id, amount: tx.amount.total, success: tx.trade_state === "SUCCESS", payerId: tx.payer?.openid || undefined, raw: tx };
  }

  ack(ok: boolean) {
    return ok
      ? { status: 204, contentType: "application/json", body: "" }
      : { status: 400, contentType: "application/json", body: JSON.stringify({ code: "FAIL", message: "notification rejected" }) };
  }

  async refund(r: RefundRequest) {
    const res = await this.call<{ refund_id: string; status: string }>("POST", "/v3/refund/domestic/refunds", {
      out_trade_no: r.paymentId,
      out_refund_no: r.refundId,
      reason: [...r.reason].slice(0, 80).join(""),
      amount: { refund: r.amount, total: r.total, currency: "CNY" },
    });
    if (res.status === "SUCCESS") return { providerRefundId: res.refund_id, status: "succeeded" as const };
    if (res.status === "PROCESSING") return { providerRefundId: res.refund_id, status: "pending" as const };
    throw new ProviderError(this.name, `refund ${res.status}`, res);
  }

  /** Parameters for WeixinJSBridge `getBrandWCPayRequest`, signed with our merchant key. */
  private jsapiParams(prepayId: string): Record<string, string> {
    const timeStamp = String(Math.floor(this.cfg.clock.now().getTime() / 1000));
    const nonceStr = nonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = signSha256(this.privateKey, `${this.cfg.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
    return { appId: this.cfg.appId, timeStamp, nonceStr, package: pkg, signType: "RSA", paySign };
  }

  /** Checks a message signed by WeChat Pay (notifications and API responses alike). */
  private verifySigned(headers: Record<string, string | undefined>, body: string, what: string): void {
    const signature = header(headers, "Wechatpay-Signature");
    const timestamp = header(headers, "Wechatpay-Timestamp");
    const nonceStr = header(headers, "Wechatpay-Nonce");
    const serial = header(headers, "Wechatpay-Serial");
    if (!signature || !timestamp || !nonceStr || !serial) throw new NotificationRejected(`${what} is not signed`);
    if (serial !== this.cfg.platformSerial) throw new NotificationRejected(`${what} signed with unknown serial ${serial}`);
    const at = Number(timestamp) * 1000;
    if (!Number.isFinite(at) || Math.abs(this.cfg.clock.now().getTime() - at) > FIVE_MINUTES_MS) {
      throw new NotificationRejected(`${what} timestamp ${timestamp} is more than 5 minutes off`);
    }
    if (!verifySha256(this.platformKey, `${timestamp}\n${nonceStr}\n${body}\n`, signature)) throw new NotificationRejected(`${what} signature does not verify`);
  }

  private decrypt(ciphertext: string, iv: string, aad: string): string {
    try {
      const data = Buffer.from(ciphertext, "base64");
      const decipher = crypto.createDecipheriv("aes-256-gcm", Buffer.from(this.cfg.apiV3Key, "utf8"), Buffer.from(iv, "utf8"));
      decipher.setAuthTag(data.subarray(data.length - 16));
      decipher.setAAD(Buffer.from(aad, "utf8"));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
    } catch {
      throw new NotificationRejected("resource does not decrypt with the APIv3 key");
    }
  }

  private async call<T>(method: "POST" | "GET", path: string, body: unknown): Promise<T> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const timestamp = String(Math.floor(this.cfg.clock.now().getTime() / 1000));
    const nonceStr = nonce();
    const signature = signSha256(this.privateKey, `${method}\n${path}\n${timestamp}\n${nonceStr}\n${text}\n`);
    const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${this.cfg.mchId}",nonce_str="${nonceStr}",signature="${signature}",timestamp="${timestamp}",serial_no="${this.cfg.serialNo}"`;
    const res = await fetch(new URL(path, this.cfg.baseUrl), {
      method,
      headers: { authorization, accept: "application/json", "content-type": "application/json", "user-agent": "liebian" },
      body: method === "GET" ? undefined : text,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await res.text();
    if (!res.ok) {
      let details: unknown = answer;
      try {
        details = JSON.parse(answer);
      } catch {
        // not JSON: keep the text
      }
      throw new ProviderError(this.name, `${method} ${path} answered ${res.status}`, details);
    }
    try {
      this.verifySigned(Object.fromEntries(res.headers), answer, "response");
    } catch (err) {
      throw new ProviderError(this.name, (err as Error).message);
    }
    return JSON.parse(answer) as T;
  }
}
