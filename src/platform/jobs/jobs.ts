import { sql } from "kysely";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { newId } from "../ids.js";

/** Runs in a transaction that also marks the job done: a job's effects commit exactly with its completion. */
export type JobHandler = (trx: Db, payload: any, now: Date) => Promise<void>;

export interface ScheduleOptions {
  type: string;
  runAt: Date;
  payload: Record<string, unknown>;
  /** At most one pending job per key (e.g. `order.auto_cancel:ord_…`); scheduling again moves it. */
  key?: string;
}

/**
 * Stores a delayed job in the caller's transaction. Jobs live in the database, so a restart loses none
 * and runs overdue ones at once.
 */
export async function schedule(trx: Db, opts: ScheduleOptions, now: Date): Promise<void> {
  const values = {
    id: newId("job"),
    type: opts.type,
    run_at: opts.runAt,
    payload: JSON.stringify(opts.payload),
    dedupe_key: opts.key ?? null,
    created_at: now,
    last_error: null,
    locked_until: null,
    finished_at: null,
  };
  if (!opts.key) {
    await trx.insertInto("jobs").values(values).execute();
    return;
  }
  await trx
    .insertInto("jobs")
    .values(values)
    .onConflict((oc) =>
      oc.column("dedupe_key").doUpdateSet({ run_at: opts.runAt, payload: values.payload, status: "pending", attempts: 0, last_error: null, finished_at: null }),
    )
    .execute();
}

/** Cancels a pending keyed job (e.g. the auto-cancel of an order that was just paid). */
export async function cancelJob(trx: Db, key: string, now: Date): Promise<void> {
  await trx.updateTable("jobs").set({ status: "cancelled", finished_at: now }).where("dedupe_key", "=", key).where("status", "=", "pending").execute();
}

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 10;

export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  register(type: string, handler: JobHandler): void {
    if (this.handlers.has(type)) throw new Error(`job type ${type} registered twice`);
    this.handlers.set(type, handler);
  }

  /** Runs every job due by the clock's now; several processes may call it at once, each job runs once. */
  async runDue(limit = 100): Promise<number> {
    const now = this.clock.now();
    const claimed = await sql<{ id: string; type: string; payload: Record<string, unknown>; attempts: number }>`
      update jobs set locked_until = ${new Date(now.getTime() + LEASE_MS)}, attempts = attempts + 1
      where id in (
        select id from jobs where status = 'pending' and run_at <= ${now}
          and (locked_until is null or locked_until < ${now})
        order by run_at limit ${limit} for update skip locked)
      returning id, type, payload, attempts`.execute(this.db);
    for (const job of claimed.rows) {
      const handler = this.handlers.get(job.type);
      try {
        if (!handler) throw new Error(`no handler for job type ${job.type}`);
        await this.db.transaction().execute(async (trx) => {
          // Re-check under lock: the job may have been cancelled since it was claimed.
          const still = await trx.selectFrom("jobs").select("status").where("id", "=", job.id).forUpdate().executeTakeFirst();
          if (still?.status !== "pending") return;
          await handler(trx, job.payload, now);
          await trx.updateTable("jobs").set({ status: "done", finished_at: this.clock.now(), locked_until: null }).where("id", "=", job.id).execute();
        });
      } catch (err) {
        this.log.error({ err, jobId: job.id, type: job.type }, "job failed");
        const failed = job.attempts >= MAX_ATTEMPTS;
        await this.db
          .updateTable("jobs")
          .set({
            status: failed ? "failed" : "pending",
            last_error: String((err as Error).message ?? err),
            // Back off exponentially, capped at an hour.
            locked_until: new Date(now.getTime() + Math.min(3_600_000, 1000 * 2 ** job.attempts)),
          })
          .where("id", "=", job.id)
          .execute();
      }
    }
    return claimed.rows.length;
  }

  /** Runs due jobs until none is left (tests call it after moving the clock). */
  async drain(maxRounds = 50): Promise<void> {
    for (let i = 0; i < maxRounds; i++) if ((await this.runOnce()) === 0) return;
  }

  private runOnce(): Promise<number> {
    const run = (this.running ?? Promise.resolve(0)).then(() => this.runDue());
    this.running = run.catch(() => 0);
    return run;
  }

  start(intervalMs = 1000): void {
    void this.runOnce().catch((err) => this.log.error({ err }, "job run failed"));
    this.timer = setInterval(() => void this.runOnce().catch((err) => this.log.error({ err }, "job run failed")), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
