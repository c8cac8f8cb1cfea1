/**
 * The hot side of a flash sale: each item's remaining units, each buyer's count and the attempts that
 * hold units. Redis when REDIS_URL is set (one Lua script per decision, shared by every process), an
 * in-process map otherwise; both keep the same semantics and the tests run against both.
 */
export interface ItemTerms {
  /** Units on sale in total. */
  stock: number;
  perUserLimit: number;
  /** Epoch milliseconds: the slot's window, [opensAt, closesAt). */
  opensAt: number;
  closesAt: number;
}

/** An attempt holding units; `at` is the clock's epoch milliseconds when it won them. */
export interface Hold {
  attemptId: string;
  userId: string;
  qty: number;
  at: number;
}

export type AttemptVerdict =
  | { ok: true; remaining: number }
  | { ok: false; reason: "unknown_item" | "not_open" | "ended" | "sold_out" | "limit_reached" | "duplicate" };

export interface CounterState {
  terms: ItemTerms;
  remaining: number;
  holds: Hold[];
  /** Units per buyer as the counter keeps them (derived from holds unless something went wrong). */
  perUser: Map<string, number>;
}

export interface FlashCounter {
  readonly kind: "redis" | "in-process";
  /** Sets an item's terms; remaining = stock less what is held. */
  define(itemId: string, terms: ItemTerms): Promise<void>;
  /** Loads an item the counter has lost (a flushed Redis), terms and holds at once; false if it is there. */
  restore(itemId: string, terms: ItemTerms, holds: Hold[]): Promise<boolean>;
  /**
   * The decision, atomically: slot open at `now`, the buyer within the limit, enough units left; then
   * take the units and record the attempt.
   */
  attempt(itemId: string, a: { attemptId: string; userId: string; qty: number; now: number }): Promise<AttemptVerdict>;
  /** Records a hold the counter misses (idempotent by attempt id); false if it was there. */
  hold(itemId: string, hold: Hold): Promise<boolean>;
  /** Gives an attempt's units back (idempotent by attempt id); false if it held none. */
  release(itemId: string, attemptId: string): Promise<boolean>;
  /** Recomputes remaining and per-buyer counts from the holds. */
  rebuild(itemId: string): Promise<void>;
  remaining(itemIds: string[]): Promise<Map<string, number | null>>;
  state(itemId: string): Promise<CounterState | null>;
  remove(itemId: string): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  terms: ItemTerms;
  remaining: number;
  holds: Map<string, Hold>;
  perUser: Map<string, number>;
}

/** One process: every method runs to completion without awaiting, so each decision is atomic. */
export class MemoryFlashCounter implements FlashCounter {
  readonly kind = "in-process" as const;
  private items = new Map<string, Entry>();

  private recompute(e: Entry): void {
    e.perUser.clear();
    let held = 0;
    for (const h of e.holds.values()) {
      held += h.qty;
      e.perUser.set(h.userId, (e.perUser.get(h.userId) ?? 0) + h.qty);
    }
    e.remaining = e.terms.stock - held;
  }

  async define(itemId: string, terms: ItemTerms) {
    const e = this.items.get(itemId) ?? { terms, remaining: 0, holds: new Map(), perUser: new Map() };
    e.terms = { ...terms };
    this.items.set(itemId, e);
    this.recompute(e);
  }

  async restore(itemId: string, terms: ItemTerms, holds: Hold[]) {
    if (this.items.has(itemId)) return false;
    const e: Entry = { terms: { ...terms }, remaining: 0, holds: new Map(holds.map((h) => [h.attemptId, { ...h }])), perUser: new Map() };
    this.recompute(e);
    this.items.set(itemId, e);
    return true;
  }

  async attempt(itemId: string, a: { attemptId: string; userId: string; qty: number; now: number }): Promise<AttemptVerdict> {
    const e = this.items.get(itemId);
    if (!e) return { ok: false, reason: "unknown_item" };
    if (a.now < e.terms.opensAt) return { ok: false, reason: "not_open" };
    if (a.now >= e.terms.closesAt) return { ok: false, reason: "ended" };
    if (e.remaining < a.qty) return { ok: false, reason: "sold_out" };
    if ((e.perUser.get(a.userId) ?? 0) + a.qty > e.terms.perUserLimit) return { ok: false, reason: "limit_reached" };
    if (e.holds.has(a.attemptId)) return { ok: false, reason: "duplicate" };
    e.remaining -= a.qty;
    e.perUser.set(a.userId, (e.perUser.get(a.userId) ?? 0) + a.qty);
    e.holds.set(a.attemptId, { attemptId: a.attemptId, userId: a.userId, qty: a.qty, at: a.now });
    return { ok: true, remaining: e.remaining };
  }

  async hold(itemId: string, hold: Hold) {
    const e = this.items.get(itemId);
    if (!e || e.holds.has(hold.attemptId)) return false;
    e.holds.set(hold.attemptId, { ...hold });
    e.remaining -= hold.qty;
    e.perUser.set(hold.userId, (e.perUser.get(hold.userId) ?? 0) + hold.qty);
    return true;
  }

  async release(itemId: string, attemptId: string) {
    const e = this.items.get(itemId);
    const h = e?.holds.get(attemptId);
    if (!e || !h) return false;
    e.holds.delete(attemptId);
    e.remaining += h.qty;
    const left = (e.perUser.get(h.userId) ?? 0) - h.qty;
    if (left > 0) e.perUser.set(h.userId, left);
    else e.perUser.delete(h.userId);
    return true;
  }

  async rebuild(itemId: string) {
    const e = this.items.get(itemId);
    if (e) this.recompute(e);
  }

  async remaining(itemIds: string[]) {
    return new Map(itemIds.map((id) => [id, this.items.get(id)?.remaining ?? null]));
  }

  async state(itemId: string): Promise<CounterState | null> {
    const e = this.items.get(itemId);
    if (!e) return null;
    return { terms: { ...e.terms }, remaining: e.remaining, holds: [...e.holds.values()].map((h) => ({ ...h })), perUser: new Map(e.perUser) };
  }

  async remove(itemId: string) {
    this.items.delete(itemId);
  }

  /** Keeps its state: a test "restarts" a server over the same counter, as Redis would outlive a process. */
  async close() {}
}
