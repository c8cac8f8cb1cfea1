import crypto from "node:crypto";

/** The carriers (快递公司) a shipment can go with; the code is what staff and webhooks send. */
export const CARRIERS = {
  SF: "顺丰速运",
  ZTO: "中通快递",
  YTO: "圆通速递",
  YD: "韵达快递",
  JD: "京东物流",
  EMS: "中国邮政EMS",
} as const;
export type CarrierCode = keyof typeof CARRIERS;
export const CARRIER_CODES = Object.keys(CARRIERS) as CarrierCode[];

export type ShipmentStatus = "in_transit" | "delivered";

/** What a tracking event says happened to the parcel. */
export const TRACKING_STATUSES = {
  collected: "揽收 — the carrier picked the parcel up",
  in_transit: "运输中 — moving between sites",
  out_for_delivery: "派件中 — with the courier for delivery",
  delivered: "已签收 — signed for; the shipment is delivered",
  exception: "异常 — held, damaged or refused; staff follow up",
} as const;
export type TrackingStatus = keyof typeof TRACKING_STATUSES;

export interface TrackingUpdate {
  trackingNo: string;
  events: Array<{ at: Date; status: TrackingStatus; location: string | null; description: string }>;
}

export const SIGNATURE_HEADER = "x-liebian-signature";

/**
 * How one carrier's push notifications are checked and read. Every carrier uses the generic signed JSON
 * push for now; a carrier with its own format (顺丰's, 京东's) gets its own adapter behind this interface.
 */
export interface CarrierWebhookAdapter {
  /** Whether the raw body was signed with the carrier's secret. */
  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, secret: string): boolean;
  /** The tracking update in the body, or an error message naming what is wrong with it. */
  parse(rawBody: Buffer): TrackingUpdate | { error: string };
}

/**
 * The generic push: a JSON body `{trackingNo, events: [{at, status, location?, description}]}` with the
 * header `X-Liebian-Signature: sha256=<hex HMAC-SHA256 of the raw body under the carrier's secret>`.
 * Replays are harmless: an event already recorded is ignored.
 */
export const signedJsonAdapter: CarrierWebhookAdapter = {
  verify(rawBody, headers, secret) {
    const given = headers[SIGNATURE_HEADER];
    if (typeof given !== "string") return false;
    const hex = given.startsWith("sha256=") ? given.slice(7) : given;
    if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
    const expected = crypto.createHmac("sha256", secret).update(rawBody).digest();
    return crypto.timingSafeEqual(expected, Buffer.from(hex, "hex"));
  },
  parse(rawBody) {
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return { error: "the body is not JSON" };
    }
    const b = body as { trackingNo?: unknown; events?: unknown };
    if (typeof b.trackingNo !== "string" || b.trackingNo === "") return { error: "trackingNo: required" };
    if (!Array.isArray(b.events) || b.events.length === 0 || b.events.length > 100) return { error: "events: 1 to 100 events" };
    const events: TrackingUpdate["events"] = [];
    for (const [i, raw] of b.events.entries()) {
      const e = raw as { at?: unknown; status?: unknown; location?: unknown; description?: unknown };
      const at = typeof e.at === "string" ? new Date(e.at) : undefined;
      if (!at || Number.isNaN(at.getTime())) return { error: `events.${i}.at: an ISO date-time` };
      if (typeof e.status !== "string" || !(e.status in TRACKING_STATUSES)) return { error: `events.${i}.status: one of ${Object.keys(TRACKING_STATUSES).join(", ")}` };
      if (typeof e.description !== "string" || e.description === "" || e.description.length > 500) return { error: `events.${i}.description: 1 to 500 characters` };
      if (e.location !== undefined && e.location !== null && (typeof e.location !== "string" || e.location.length > 200)) return { error: `events.${i}.location: at most 200 characters` };
      events.push({ at, status: e.status as TrackingStatus, location: (e.location as string | null | undefined) ?? null, description: e.description });
    }
    return { trackingNo: b.trackingNo, events };
  },
};

export const CARRIER_ADAPTERS: Record<CarrierCode, CarrierWebhookAdapter> = {
  SF: signedJsonAdapter,
  ZTO: signedJsonAdapter,
  YTO: signedJsonAdapter,
  YD: signedJsonAdapter,
  JD: signedJsonAdapter,
  EMS: signedJsonAdapter,
};

/** The header value a carrier (or a test) sends with a body. */
export function signBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}
