import crypto from "node:crypto";
import type { Clock } from "../../../platform/clock.js";
import { newId } from "../../../platform/ids.js";
import { FIVE_MINUTES_MS, header, NotificationRejected, type ParsedNotification, type PaymentAction, type PaymentProvider, type RawNotification, type RefundRequest, type StartPayment } from "./provider.js";

export interface TestProviderConfig {
  publicUrl: string;
  /** Signs the notifications the pay page triggers (LIEBIAN_TEST_PAY_SECRET, or derived from the data key). */
  secret: string | Buffer;
  clock: Clock;
}

const SIGNATURE = "X-Liebian-Signature";
const TIMESTAMP = "X-Liebian-Timestamp";

/**
 * The built-in provider for development, demos and tests: the buyer "pays" on our own page, and the
 * server sends itself a signed notification that takes the same path as a real provider's.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = "test" as const;

  constructor(private readonly cfg: TestProviderConfig) {}

  async createPayment(p: StartPayment): Promise<PaymentAction> {
    return { type: "redirect", url: `${this.cfg.publicUrl.replace(/\/$/, "")}/pay/test/${p.paymentId}` };
  }

  /** The notification the pay page's confirm button produces, signed Stripe-style over `timestamp.body`. */
  notificationFor(p: { paymentId: string; amount: number; success: boolean }): RawNotification {
    const rawBody = JSON.stringify({ paymentId: p.paymentId, providerTxnId: newId("testtxn"), amount: p.amount, status: p.success ? "SUCCESS" : "FAILED" });
    const timestamp = String(Math.floor(this.cfg.clock.now().getTime() / 1000));
    return { headers: { "content-type": "application/json", [TIMESTAMP.toLowerCase()]: timestamp, [SIGNATURE.toLowerCase()]: this.sign(timestamp, rawBody) }, rawBody };
  }

  async parseNotification(req: RawNotification): Promise<ParsedNotification> {
    const timestamp = header(req.headers, TIMESTAMP);
    const signature = header(req.headers, SIGNATURE);
    if (!timestamp || !signature) throw new NotificationRejected("notification is not signed");
    const at = Number(timestamp) * 1000;
    if (!Number.isFinite(at) || Math.abs(this.cfg.clock.now().getTime() - at) > FIVE_MINUTES_MS) throw new NotificationRejected(`timestamp ${timestamp} is more than 5 minutes off`);
    const expected = Buffer.from(this.sign(timestamp, req.rawBody), "hex");
    const given = Buffer.from(signature, "hex");
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new NotificationRejected("notification signature does not verify");
    const body = JSON.parse(req.rawBody) as { paymentId: string; providerTxnId: string; amount: number; status: string };
    return { paymentId: body.paymentId, providerTxnId: body.providerTxnId, amount: body.amount, success: body.status === "SUCCESS", raw: body };
  }

  ack(ok: boolean) {
    // Our own provider answers in our own error shape.
    const body = ok ? { received: true } : { code: "notification_rejected", message: "notification rejected" };
    return { status: ok ? 200 : 400, contentType: "application/json", body: JSON.stringify(body) };
  }

  async refund(r: RefundRequest) {
    return { providerRefundId: `test_${r.refundId}`, status: "succeeded" as const };
  }

  private sign(timestamp: string, body: string): string {
    return crypto.createHmac("sha256", this.cfg.secret).update(`${timestamp}.${body}`).digest("hex");
  }
}
