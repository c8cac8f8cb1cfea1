import type { Deps } from "../../deps.js";
import { DAY, MINUTE } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { schedule } from "../../platform/jobs/jobs.js";
import { HOLDING } from "./attempt-machine.js";
import type { Hold } from "./counter.js";
import { termsOf } from "./slots.service.js";

export const JOB_RECONCILE = "flashsale.reconcile";
/** How often reconciliation runs (also once whenever a server starts). */
export const RECONCILE_EVERY_MS = MINUTE;
/**
 * A hold the database does not know yet may be an attempt between its counter step and its insert;
 * only a hold older than this is taken for the trace of a crash. Likewise a queued attempt older than
 * this has lost its queue message.
 */
export const RECONCILE_GRACE_MS = 30_000;

export interface ItemReconciliation {
  itemId: string;
  stock: number;
  /** Units held by attempts in the database (queued, ordered, paid) and in the counter. */
  heldInDb: number;
  heldInCounter: number;
  remaining: number | null;
  /** The counter had lost the item (a flushed Redis) and it was loaded again from the database. */
  restored: boolean;
  /** Holds in the database the counter lacked; holds in the counter the database does not have (released, failed or never recorded). */
  missingInCounter: string[];
  extraInCounter: string[];
  /** Counter holds younger than the grace period, not judged yet. */
  inFlight: string[];
  termsDiffer: boolean;
  /** Remaining or per-buyer counts disagreeing with the counter's own holds. */
  countsDiffer: boolean;
  /** Queued attempts whose order never came (their message was lost), queued again. */
  requeued: string[];
  consistent: boolean;
}

export interface Reconciliation {
  checkedAt: Date;
  repaired: boolean;
  consistent: boolean;
  items: ItemReconciliation[];
}

function sameTerms(a: { stock: number; perUserLimit: number; opensAt: number; closesAt: number }, b: typeof a): boolean {
  return a.stock === b.stock && a.perUserLimit === b.perUserLimit && a.opensAt === b.opensAt && a.closesAt === b.closesAt;
}

/**
 * Proves the counter agrees with the database, item by item, and (with `repair`) makes it agree. The
 * database is the truth: an attempt holds units while queued, ordered or paid. The counter is read
 * first and the database second, and every repair is idempotent per attempt id, so running this
 * beside live traffic cannot take a unit twice or free one that is held.
 */
export async function reconcile(deps: Deps, db: Db, opts: { repair: boolean; itemIds?: string[] }): Promise<Reconciliation> {
  const now = deps.clock.now();
  const counter = deps.adapters.flashCounter;
  let q = db
    .selectFrom("flash_items")
    .innerJoin("flash_slots", "flash_slots.id", "flash_items.slot_id")
    .select(["flash_items.id", "flash_items.stock", "flash_items.per_user_limit", "flash_slots.opens_at", "flash_slots.closes_at"])
    .orderBy("flash_items.id");
  q = opts.itemIds
    ? q.where("flash_items.id", "in", opts.itemIds.length ? opts.itemIds : [""])
    : q.where((eb) =>
        eb.or([
          eb("flash_slots.closes_at", ">", new Date(now.getTime() - DAY)),
          eb.exists(eb.selectFrom("flash_attempts").select("flash_attempts.id").whereRef("flash_attempts.item_id", "=", "flash_items.id").where("flash_attempts.status", "=", "queued")),
        ]),
      );
  const items = await q.execute();
  const out: ItemReconciliation[] = [];
  for (const item of items) {
    const terms = termsOf(item, item);
    const state = await counter.state(item.id);
    const rows = await db.selectFrom("flash_attempts").select(["id", "user_id", "qty", "status", "created_at"]).where("item_id", "=", item.id).where("status", "in", HOLDING).execute();
    const dbHolds: Hold[] = rows.map((r) => ({ attemptId: r.id, userId: r.user_id, qty: r.qty, at: r.created_at.getTime() }));
    const stale = rows.filter((r) => r.status === "queued" && now.getTime() - r.created_at.getTime() > RECONCILE_GRACE_MS).map((r) => r.id);
    const report: ItemReconciliation = {
      itemId: item.id,
      stock: item.stock,
      heldInDb: dbHolds.reduce((n, h) => n + h.qty, 0),
      heldInCounter: 0,
      remaining: null,
      restored: false,
      missingInCounter: [],
      extraInCounter: [],
      inFlight: [],
      termsDiffer: false,
      countsDiffer: false,
      requeued: [],
      consistent: true,
    };
    if (!state) {
      report.restored = opts.repair && (await counter.restore(item.id, terms, dbHolds));
      report.missingInCounter = dbHolds.map((h) => h.attemptId);
      report.consistent = false;
    } else {
      const inCounter = new Map(state.holds.map((h) => [h.attemptId, h]));
      const inDb = new Set(dbHolds.map((h) => h.attemptId));
      report.heldInCounter = state.holds.reduce((n, h) => n + h.qty, 0);
      report.remaining = state.remaining;
      report.missingInCounter = dbHolds.filter((h) => !inCounter.has(h.attemptId)).map((h) => h.attemptId);
      for (const h of state.holds) {
        if (inDb.has(h.attemptId)) continue;
        if (now.getTime() - h.at > RECONCILE_GRACE_MS) report.extraInCounter.push(h.attemptId);
        else report.inFlight.push(h.attemptId);
      }
      report.termsDiffer = !sameTerms(state.terms, terms);
      const perUser = new Map<string, number>();
      for (const h of state.holds) perUser.set(h.userId, (perUser.get(h.userId) ?? 0) + h.qty);
      report.countsDiffer =
        state.remaining !== state.terms.stock - report.heldInCounter ||
        perUser.size !== state.perUser.size ||
        [...perUser].some(([u, n]) => state.perUser.get(u) !== n);
      report.consistent = !report.termsDiffer && !report.countsDiffer && report.missingInCounter.length === 0 && report.extraInCounter.length === 0;
      if (opts.repair && !report.consistent) {
        if (report.termsDiffer) await counter.define(item.id, terms);
        for (const h of dbHolds) if (!inCounter.has(h.attemptId)) await counter.hold(item.id, h);
        for (const id of report.extraInCounter) await counter.release(item.id, id);
        if (report.countsDiffer) await counter.rebuild(item.id);
      }
    }
    if (opts.repair) {
      for (const id of stale) await deps.adapters.flashQueue.enqueue(id);
      report.requeued = stale;
    }
    out.push(report);
  }
  return { checkedAt: now, repaired: opts.repair, consistent: out.every((r) => r.consistent), items: out };
}

/** The next periodic run, on a boundary every process agrees on, so that N processes schedule one job. */
export async function scheduleReconcile(trx: Db, now: Date, at?: Date): Promise<void> {
  const runAt = at ?? new Date((Math.floor(now.getTime() / RECONCILE_EVERY_MS) + 1) * RECONCILE_EVERY_MS);
  await schedule(trx, { type: JOB_RECONCILE, runAt, payload: {}, key: `${JOB_RECONCILE}@${runAt.toISOString()}` }, now);
}
