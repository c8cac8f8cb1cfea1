import type { Db } from "../src/platform/db/database.js";
import { type AnalyticsEventInput, type BROWSER_EVENT_TYPES, recordEvents } from "../src/modules/analytics/tracking.service.js";
import type { Dice } from "./dice.js";

type BrowserEvent = (typeof BROWSER_EVENT_TYPES)[number];

/** Where a visit came from, as the store's page knows it (its link and utm parameters). */
export interface Arrival {
  channel?: string | null;
  source?: string | null;
  medium?: string | null;
  shareToken?: string | null;
  campaignId?: string | null;
  campaignType?: string | null;
  /** The fission path that brought them: share, invite, groupbuy, bargain, coupon, distribution, organic. */
  path?: string | null;
}

/** Where people come from on their own (utm_source, utm_medium); none for typing the address. */
const SOURCES: Array<[string | null, string | null, number]> = [["baidu", "cpc", 3], ["douyin", "feed_ad", 3], ["xiaohongshu", "note", 3], ["wechat", "official_account", 2], ["weibo", "social", 1], [null, null, 3]];

export function organicArrival(dice: Dice): Arrival {
  const [source, medium] = dice.weighted(SOURCES, ([, , w]) => w);
  return { path: "organic", source, medium };
}

/**
 * One visit to the H5 store: what the browser reports, in order, a few seconds to a minute apart. The
 * visitor is the device (`anonymousId`, kept in localStorage) and, once signed in, the user.
 */
export class Trail {
  private time: number;

  constructor(
    private readonly footprints: Footprints,
    private readonly dice: Dice,
    private readonly who: { userId: string | null; anonymousId: string },
    private readonly sessionId: string,
    start: Date,
    private readonly arrival: Arrival,
  ) {
    this.time = start.getTime();
  }

  private record(type: BrowserEvent, extra: { productId?: string; campaignId?: string | null; campaignType?: string | null; props?: Record<string, unknown> } = {}): this {
    this.footprints.add({
      type,
      at: new Date(this.time),
      userId: this.who.userId,
      anonymousId: this.who.anonymousId,
      sessionId: this.sessionId,
      ...this.arrival,
      ...extra,
      campaignId: extra.campaignId ?? this.arrival.campaignId ?? null,
      campaignType: extra.campaignType ?? this.arrival.campaignType ?? null,
    });
    this.time += this.dice.int(8, 75) * 1000;
    return this;
  }

  /** When the visitor's last recorded step happened. */
  get at(): Date {
    return new Date(this.time);
  }

  /** From here on the visitor is signed in (they registered or logged in during the visit). */
  signedIn(userId: string): this {
    this.who.userId = userId;
    return this;
  }

  page(page: string): this {
    return this.record("page_view", { props: { page } });
  }

  product(productId: string): this {
    return this.record("product_view", { productId, props: { page: `/products/${productId}` } });
  }

  cart(productId: string, qty = 1): this {
    return this.record("add_to_cart", { productId, props: { qty } });
  }

  click(target: string, campaign?: { id: string; type: string }): this {
    return this.record("click", { campaignId: campaign?.id, campaignType: campaign?.type, props: { target } });
  }

  share(channel: string, target: { type: string; id: string }, campaign?: { id: string; type: string }): this {
    return this.record("share", { campaignId: campaign?.id, campaignType: campaign?.type, props: { channel, targetType: target.type, targetId: target.id }, ...(target.type === "product" ? { productId: target.id } : {}) });
  }
}

/**
 * The browser side of the demo's past: page views, product views, add-to-cart, clicks and shares, kept
 * until the end of each simulated day and then handed to analytics' ingestion in one batch.
 */
export class Footprints {
  private pending: AnalyticsEventInput[] = [];
  private sessions = 0;
  recorded = 0;

  constructor(private readonly dice: Dice) {}

  add(event: AnalyticsEventInput): void {
    this.pending.push(event);
  }

  visit(who: { userId: string | null; anonymousId: string }, start: Date, arrival: Arrival = { path: "organic" }): Trail {
    this.sessions += 1;
    return new Trail(this, this.dice, { ...who }, `ses_${start.getTime().toString(36)}_${this.sessions.toString(36)}`, start, arrival);
  }

  async flush(db: Db): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.recorded += await recordEvents(db, batch);
  }
}
