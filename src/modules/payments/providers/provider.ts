export type ProviderName = "test" | "wechatpay" | "alipay";
export const PROVIDER_NAMES: readonly ProviderName[] = ["test", "wechatpay", "alipay"];

/** What the buyer's client does next to pay. */
export type PaymentAction = { type: "redirect"; url: string } | { type: "jsapi"; params: Record<string, string> } | { type: "h5"; url: string };

/** A provider's async notification, exactly as it reached us. */
export interface RawNotification {
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface ParsedNotification {
  paymentId: string;
  providerTxnId: string;
  /** What the provider says was paid, in fen. */
  amount: number;
  success: boolean;
  /** The provider's id of the paying account (WeChat Pay payer.openid, Alipay buyer_id), when it says. */
  payerId?: string;
  raw: unknown;
}

export interface ProviderAck {
  status: number;
  contentType: string;
  body: string;
}

export interface StartPayment {
  paymentId: string;
  /** fen */
  amount: number;
  description: string;
  payer?: { openid?: string; ip?: string };
}

export interface RefundRequest {
  paymentId: string;
  /** Our refund number at the provider; stable per refund request, so the provider recognises a retry instead of paying twice. */
  refundId: string;
  amount: number;
  total: number;
  reason: string;
  providerTxnId: string;
}

/** A payment provider (WeChat Pay, Alipay, the built-in test provider) behind one interface. */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** Starts a payment: what the buyer's client does next. */
  createPayment(p: StartPayment): Promise<PaymentAction>;
  /** Verifies and parses an async notification from the raw HTTP request; throws NotificationRejected on a bad one. */
  parseNotification(req: RawNotification): Promise<ParsedNotification>;
  /** What to answer the provider once the notification is processed. */
  ack(ok: boolean): ProviderAck;
  /** Refunds part or all of a payment. */
  refund(r: RefundRequest): Promise<{ providerRefundId: string; status: "succeeded" | "pending" }>;
}

/** The providers this installation is configured for. */
export type PaymentProviders = Partial<Record<ProviderName, PaymentProvider>>;

/** A notification we refuse: forged, tampered, stale, or not for this merchant. */
export class NotificationRejected extends Error {}

/** A provider answered an outbound call with an error, or with a response we cannot trust. */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** Fastify lower-cases header names; providers document them capitalised. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  return headers[name.toLowerCase()];
}

export const FIVE_MINUTES_MS = 5 * 60_000;
