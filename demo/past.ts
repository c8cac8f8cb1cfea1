import { assemble } from "../src/bootstrap.js";
import type { Deps } from "../src/deps.js";
import { InProcessFlashQueue } from "../src/modules/flashsale/queue.js";
import { MemoryFlashCounter } from "../src/modules/flashsale/counter.js";
import { fulfilAttempt } from "../src/modules/flashsale/attempts.service.js";
import { DevSmsProvider } from "../src/modules/identity/sms.js";
import { HOUR, ManualClock } from "../src/platform/clock.js";
import { MemoryKv } from "../src/platform/kv/memory.js";

/**
 * The application wired a second time over the same database, on a clock the demo moves: whatever the
 * demo does through it is dated by that clock, and its outbox events and jobs run as the clock passes
 * them. The server's own wiring takes over afterwards (jobs still due later, flash counters restored
 * from the database on first use).
 */
export interface Past {
  deps: Deps;
  clock: ManualClock;
  /**
   * Moves the clock forward (never back), hour by hour: the events of what was done in an hour are
   * delivered when it ends, and the jobs falling due run on the way.
   */
  walkTo(at: Date): Promise<void>;
  /** Notes that something was done at the current time (its events are delivered within the hour). */
  acted(): void;
  /** Waits until every won flash attempt has its order. */
  flashOrdersPlaced(): Promise<void>;
  close(): Promise<void>;
}

export async function wirePast(deps: Deps, start: Date): Promise<Past> {
  const clock = new ManualClock(start);
  const queue = new InProcessFlashQueue();
  const past = await assemble({
    config: deps.config,
    handle: { db: deps.db, deferredDurability: deps.db, kind: deps.dbKind, close: async () => {} },
    clock,
    kv: new MemoryKv(clock),
    cipher: deps.cipher,
    // Errors only: the demo's own refusals and rate-limit notices would drown the server's start.
    log: deps.log.child({ demo: "history" }, { level: deps.log.levelVal > deps.log.levels.values.error ? deps.log.level : "error" }),
    adapters: { sms: new DevSmsProvider(), flashCounter: new MemoryFlashCounter(), flashQueue: queue },
  });
  await queue.start((attemptId) => fulfilAttempt(past, attemptId));

  const settle = () => past.events.drain(200);
  let busy = false;
  return {
    deps: past,
    clock,
    acted: () => void (busy = true),
    async walkTo(at) {
      for (let t = clock.now().getTime(); t < at.getTime(); ) {
        t = Math.min(at.getTime(), (Math.floor(t / HOUR) + 1) * HOUR);
        // What was done before this hour ends is delivered by its end; due jobs run, and what they publish.
        if (busy) await settle();
        busy = false;
        clock.set(new Date(t));
        if ((await past.jobs.runDue()) > 0) {
          await past.jobs.drain();
          await settle();
        }
      }
    },
    flashOrdersPlaced: () => queue.idle(),
    async close() {
      await past.jobs.drain();
      await settle();
      await queue.close();
      await past.events.stop();
      await past.jobs.stop();
    },
  };
}
