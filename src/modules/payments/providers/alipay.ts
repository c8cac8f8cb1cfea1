import type { KeyObject } from "node:crypto";
import { type Clock, formatInDisplayZone } from "../../../platform/clock.js";
import { fenToYuanString, yuanStringToFen } from "../../../platform/money.js";
import { privateKeyOf, publicKeyOf, signSha256, verifySha256 } from "./keys.js";
import { NotificationRejected, type ParsedNotification, type PaymentAction, type PaymentProvider, ProviderError, type RawNotification, type RefundRequest, type StartPayment } from "./provider.js";

export interface AlipayConfig {
  appId: string;
  privateKey: string | KeyObject;
  /** Alipay's public key (支付宝公钥), not our app's. */
  alipayPublicKey: string | KeyObject;
  gateway: string;
  notifyUrl: string;
  clock: Clock;
}

/** What Alipay signs: every non-empty parameter except the excluded ones, sorted by key, `k=v` joined by `&`. */
export function alipaySignContent(params: Record<string, string | undefined>, exclude: string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== "")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

const SUCCESS_STATES = new Set(["TRADE_SUCCESS", "TRADE_FINISHED"]);

/** Alipay (支付宝) with RSA2 signatures: mobile-web pay (alipay.trade.wap.pay) and refunds. */
export class AlipayProvider implements PaymentProvider {
  readonly name = "alipay" as const;
  private readonly privateKey: KeyObject;
  private readonly alipayKey: KeyObject;

  constructor(private readonly cfg: AlipayConfig) {
    this.privateKey = privateKeyOf(cfg.privateKey);
    this.alipayKey = publicKeyOf(cfg.alipayPublicKey);
  }

  async createPayment(p: StartPayment): Promise<PaymentAction> {
    const params = this.signedParams("alipay.trade.wap.pay", {
      out_trade_no: p.paymentId,
      total_amount: fenToYuanString(p.amount),
      subject: [...p.description].slice(0, 256).join(""),
      product_code: "QUICK_WAP_WAY",
    });
    const query = Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join("&");
    return { type: "redirect", url: `${this.cfg.gateway}?${query}` };
  }

  async parseNotification(req: RawNotification): Promise<ParsedNotification> {
    const params = Object.fromEntries(new URLSearchParams(req.rawBody)) as Record<string, string | undefined>;
    const sign = params.sign;
    if (!sign) throw new NotificationRejected("notification is not signed");
    if (params.sign_type !== undefined && params.sign_type !== "RSA2") throw new NotificationRejected(`sign_type ${params.sign_type} is not RSA2`);
    if (!verifySha256(this.alipayKey, alipaySignContent(params, ["sign", "sign_type"]), sign)) throw new NotificationRejected("notification signature does not verify");
    if (params.app_id !== this.cfg.appId) throw new NotificationRejected(`notification for app ${params.app_id}`);
    const { out_trade_no, trade_no, total_amount, trade_status } = params;
    if (!out_trade_no || !trade_no || !total_amount || !trade_status) throw new NotificationRejected("notification lacks out_trade_no, trade_no, total_amount or trade_status");
    let amount: number;
    try {
      amount = yuanStringToFen(total_amount);
    } catch {
      throw new NotificationRejected(`total_amount ${total_amount} is not a yuan amount`);
    }
    return { paymentId: out_trade_no, providerTxnId: trade_no, amount, success: SUCCESS_STATES.has(trade_status), payerId: params.buyer_id || params.buyer_open_id || undefined, raw: params };
  }

  ack(ok: boolean) {
    return ok ? { status: 200, contentType: "text/plain", body: "success" } : { status: 400, contentType: "text/plain", body: "failure" };
  }

  async refund(r: RefundRequest) {
    const params = this.signedParams("alipay.trade.refund", {
      out_trade_no: r.paymentId,
      refund_amount: fenToYuanString(r.amount),
      refund_reason: r.reason,
      out_request_no: r.refundId,
    });
    const res = await fetch(this.cfg.gateway, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", accept: "application/json" },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new ProviderError(this.name, `alipay.trade.refund answered HTTP ${res.status}`, text);
    const answer = this.verifiedResponse(text, "alipay_trade_refund_response") as { code?: string; msg?: string; sub_code?: string; sub_msg?: string; trade_no?: string };
    if (answer.code !== "10000") throw new ProviderError(this.name, `refund refused: ${answer.sub_code ?? answer.code} ${answer.sub_msg ?? answer.msg ?? ""}`.trim(), answer);
    // Alipay settles refunds synchronously; fund_change "N" means an earlier call with this out_request_no already refunded.
    return { providerRefundId: `${answer.trade_no ?? r.paymentId}:${r.refundId}`, status: "succeeded" as const };
  }

  private signedParams(method: string, biz: Record<string, string>): Record<string, string> {
    const params: Record<string, string> = {
      app_id: this.cfg.appId,
      method,
      format: "JSON",
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: formatInDisplayZone(this.cfg.clock.now()),
      version: "1.0",
      notify_url: this.cfg.notifyUrl,
      biz_content: JSON.stringify(biz),
    };
    return { ...params, sign: signSha256(this.privateKey, alipaySignContent(params, ["sign"])) };
  }

  /**
   * Alipay signs the response object exactly as it appears in the body text, so the signed bytes are cut
   * out of the raw text rather than re-serialised.
   */
  private verifiedResponse(text: string, key: string): unknown {
    let body: Record<string, unknown> & { sign?: string };
    try {
      body = JSON.parse(text);
    } catch {
      throw new ProviderError(this.name, "response is not JSON", text);
    }
    if (typeof body.sign !== "string") {
      // The gateway leaves errors about our own request (bad signature, unknown app) unsigned.
      const inner = body[key] as { code?: string; sub_code?: string; sub_msg?: string; msg?: string } | undefined;
      throw new ProviderError(this.name, inner?.code ? `refused: ${inner.sub_code ?? inner.code} ${inner.sub_msg ?? inner.msg ?? ""}`.trim() : "response is not signed", body);
    }
    const start = text.indexOf(`"${key}"`);
    const end = text.lastIndexOf(`,"sign"`);
    if (start < 0 || end < start) throw new ProviderError(this.name, "response is not signed", body);
    const signed = text.slice(text.indexOf(":", start + key.length + 2) + 1, end).trim();
    if (!verifySha256(this.alipayKey, signed, body.sign)) throw new ProviderError(this.name, "response signature does not verify", body);
    return body[key];
  }
}
