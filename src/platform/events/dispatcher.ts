import { sql } from "kysely";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import type { DomainEvent } from "./outbox.js";

/**
 * Runs inside the event's transaction, together with the delivery records of every subscriber to that
 * event: the effects of one event commit together or not at all, and a redelivery skips the subscribers
 * already recorded, so each effect happens once.
 */
export type EventHandler = (trx: Db, event: DomainEvent<any>) => Promise<void>;

export interface Subscriber {
  /** Unique, stable name: the delivery record is keyed by it. */
  name: string;
  events: string[];
  /** A test on the event alone; false passes it by without a transaction (e.g. orders of another campaign type). */
  when?: (event: DomainEvent<any>) => boolean;
  handle: EventHandler;
}

const LEASE_MS = 30_000;
const BATCH = 100;

/**
 * Delivers outbox events at least once to in-process subscribers. Several processes may run it on one
 * database: rows are claimed with a lease (FOR UPDATE SKIP LOCKED), and each subscriber's work commits
 * with its delivery row, so a redelivery is a no-op.
 *
 * Subscribers run on `deferred`, a connection whose commits do not wait for their WAL flush; the batch
 * ends with one ordinary commit marking its events delivered, which flushes everything before it. A
 * crash in between loses only work whose events are still undelivered, so it is done again.
 */
export class EventDispatcher {
  private subscribers: Subscriber[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private delivers = true;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly deferred: Db = db,
  ) {}

  subscribe(sub: Subscriber): void {
    if (this.subscribers.some((s) => s.name === sub.name)) throw new Error(`subscriber ${sub.name} registered twice`);
    this.subscribers.push(sub);
  }

  /** Delivers one batch of pending events; returns how many were handled. */
  async dispatchBatch(limit = BATCH): Promise<number> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    const claimed = await sql<{ id: string; type: string; aggregate_id: string; payload: Record<string, unknown>; created_at: Date }>`
      update outbox_events set locked_until = ${leaseUntil}, attempts = attempts + 1
      where id in (
        select id from outbox_events
        where dispatched_at is null and (locked_until is null or locked_until < ${now})
        order by id limit ${limit} for update skip locked)
      returning id, type, aggregate_id, payload, created_at`.execute(this.db);
    const rows = [...claimed.rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    const delivered: string[] = [];
    for (const row of rows) {
      const event: DomainEvent = { id: row.id, type: row.type, aggregateId: row.aggregate_id, payload: row.payload, createdAt: row.created_at };
      try {
        const subs = this.subscribers.filter((sub) => sub.events.includes(event.type) && (!sub.when || sub.when(event)));
        if (subs.length > 0) {
          await this.deferred.transaction().execute(async (trx) => {
            const fresh = await trx
              .insertInto("event_deliveries")
              .values(subs.map((sub) => ({ event_id: event.id, subscriber: sub.name })))
              .onConflict((oc) => oc.doNothing())
              .returning("subscriber")
              .execute();
            const due = new Set(fresh.map((r) => r.subscriber));
            for (const sub of subs) if (due.has(sub.name)) await sub.handle(trx, event);
          });
        }
        delivered.push(event.id);
      } catch (err) {
        this.log.error({ err, eventId: event.id, type: event.type }, "event delivery failed; will retry");
        // Retry after a short back-off instead of the whole lease.
        await this.db
          .updateTable("outbox_events")
          .set({ last_error: String((err as Error).message ?? err), locked_until: new Date(this.clock.now().getTime() + 1000) })
          .where("id", "=", event.id)
          .execute();
      }
    }
    if (delivered.length > 0) {
      await this.db.updateTable("outbox_events").set({ dispatched_at: this.clock.now(), locked_until: null, last_error: null }).where("id", "in", delivered).execute();
    }
    return rows.length;
  }

  /** Delivers until nothing deliverable is left (tests and shutdown use it). */
  async drain(maxRounds = 50): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      if ((await this.runOnce()) === 0) return;
    }
  }

  /** Serialises batches within one process. */
  private runOnce(): Promise<number> {
    const run = (this.running ?? Promise.resolve(0)).then(() => this.dispatchBatch());
    this.running = run.catch(() => 0);
    return run;
  }

  /** This process only writes events: worker processes deliver them (LIEBIAN_ROLE=web). */
  leaveDeliveryToWorkers(): void {
    this.delivers = false;
  }

  /** Asks for a delivery soon (called after a commit that published events). */
  poke(): void {
    if (!this.delivers) return;
    setImmediate(() =>
      void this.runOnce()
        // A full batch means more are waiting: go on without waiting for the next poke.
        .then((n) => n >= BATCH && this.poke())
        .catch((err) => this.log.error({ err }, "dispatch failed")),
    );
  }

  start(intervalMs = 500): void {
    this.timer = setInterval(() => this.poke(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
