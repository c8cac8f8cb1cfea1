import type { Deps } from "../src/deps.js";
import type { AddressInput } from "../src/modules/identity/addresses.service.js";
import type { Viewer } from "../src/modules/orders/orders.service.js";
import type { Actor } from "../src/platform/auth/principal.js";
import { MINUTE } from "../src/platform/clock.js";
import { AppError } from "../src/platform/errors.js";
import type { Agenda } from "./agenda.js";
import type { Shared } from "./arrivals.js";
import type { Footprints, Trail } from "./browsing.js";
import type { DemoCampaigns, DemoCoupon } from "./campaigns.js";
import type { DemoCatalog } from "./catalog.js";
import type { Crowd } from "./crowd.js";
import type { Dice } from "./dice.js";
import type { Past } from "./past.js";

/** Conflict, unprocessable, too many requests: how services say no to a well-formed request. */
const REFUSALS = new Set([409, 422, 429]);

/** A coupon in a shopper's pocket, as far as the shopper remembers it. */
export interface HeldCoupon {
  couponId: string;
  coupon: DemoCoupon;
  validUntil: Date;
  used: boolean;
}

/** One of the demo's consumers, with the habits that drive what they do. */
export interface Shopper {
  userId: string;
  displayName: string;
  phone: string;
  deviceId: string;
  ip: string;
  address: AddressInput;
  addressId: string | null;
  inviterId: string | null;
  /** 0 for someone nobody invited; their invitees are one deeper. */
  depth: number;
  /** A KOL (达人) shares a lot and reaches many friends: the roots of the big invite trees. */
  kol: boolean;
  /** How strongly they draw newcomers, against 1 for most people. */
  pull: number;
  promoter: "no" | "applied" | "approved";
  /** Chance of opening the store on a given day, before it fades with time. */
  appetite: number;
  /** How many friends one of their shares reaches. */
  reach: number;
  joinedAt: Date;
  inviteCode: string | null;
  coupons: HeldCoupon[];
  invitees: string[];
  /** Their latest shares, newest first: friends who sign up through one are credited to it. */
  shares: Shared[];
  paidOrders: number;
}

/** Who acts for the platform and the stores. */
export interface Staff {
  /** Customer support: reviews promoter applications, ships for the platform's stores. */
  support: Actor;
  /** Finance: pays out withdrawals. */
  finance: Actor;
  /** Who ships a store's parcels: its own staff where it has an account, else customer support. */
  shipper(merchantId: string): { actor: Actor; viewer: Viewer };
}

/**
 * The demo's world while its past is played: the shoppers so far, the catalog and campaigns they shop
 * in, the staff who serve them, and the agenda of what each of them does next.
 */
export class Town {
  readonly shoppers: Shopper[] = [];
  private readonly byId = new Map<string, Shopper>();

  constructor(
    readonly past: Past,
    readonly dice: Dice,
    readonly crowd: Crowd,
    readonly catalog: DemoCatalog,
    readonly campaigns: DemoCampaigns,
    readonly staff: Staff,
    readonly agenda: Agenda,
    readonly footprints: Footprints,
  ) {}

  get deps(): Deps {
    return this.past.deps;
  }

  now(): Date {
    return this.past.clock.now();
  }

  /** Moves time on to where the visitor's browsing got to, so what they do next comes after it. */
  async keepUp(trail: Trail): Promise<void> {
    await this.past.walkTo(trail.at);
  }

  /** Puts a task on the agenda this many minutes from now. */
  later(minutes: number, task: () => Promise<void>): void {
    this.agenda.add(this.now().getTime() + minutes * MINUTE, task);
  }

  add(s: Shopper): Shopper {
    this.shoppers.push(s);
    this.byId.set(s.userId, s);
    return s;
  }

  get(userId: string): Shopper | undefined {
    return this.byId.get(userId);
  }

  /** Friends a shopper's share reaches: their invitees and inviter first, then others they know. */
  friendsOf(s: Shopper, n: number): Shopper[] {
    const close = [...s.invitees, ...(s.inviterId ? [s.inviterId] : [])].flatMap((id) => this.byId.get(id) ?? []);
    const picked = this.dice.sample(close, Math.ceil(n * 0.6));
    const others = this.dice.sample(this.shoppers, n * 2).filter((o) => o !== s && !picked.includes(o));
    return [...picked, ...others].slice(0, n);
  }

  /**
   * Runs one thing a shopper tries. A business refusal (sold out, team full, limit reached, an order
   * that lapsed before it was paid) happens in a real store too: the shopper moves on (null). Anything
   * else, bad input included, is a fault of the demo and stops it.
   */
  async tolerate<T>(what: () => Promise<T>): Promise<T | null> {
    try {
      return await what();
    } catch (err) {
      if (err instanceof AppError && (REFUSALS.has(err.status) || err.code === "nothing_to_pay")) return null;
      throw err;
    }
  }
}
