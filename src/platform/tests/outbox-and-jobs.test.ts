import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Module } from "../../module.js";
import { identityModule } from "../../modules/identity/index.js";
import { createTestContext, freshDatabase, type TestContext } from "../../testing/harness.js";
import { ManualClock } from "../clock.js";
import { EventDispatcher } from "../events/dispatcher.js";
import { publish } from "../events/outbox.js";
import { JobRunner, cancelJob, schedule } from "../jobs/jobs.js";
import type { DbHandle } from "../db/database.js";
import { pino } from "pino";

/** A module that exists only here: it counts what its subscriber and job saw, in its own table. */
const probeModule: Module = {
  name: "probe",
  subscribers: () => [
    {
      name: "probe.count",
      events: ["probe.happened"],
      handle: async (trx, event) => {
        await sql`insert into probe_effects (source, ref) values ('event', ${event.aggregateId})`.execute(trx);
      },
    },
  ],
  jobs: () => ({
    "probe.run": async (trx, payload: { ref: string }) => {
      await sql`insert into probe_effects (source, ref) values ('job', ${payload.ref})`.execute(trx);
    },
  }),
};

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ modules: [identityModule, probeModule] });
  await sql`create table probe_effects (source text not null, ref text not null)`.execute(ctx.deps.db);
});
afterAll(async () => ctx?.close());

const effects = async (source: string, ref: string) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from probe_effects where source = ${source} and ref = ${ref}`.execute(ctx.deps.db)).rows[0].n);

describe("outbox", () => {
  it("publishes nothing when the transaction rolls back", async () => {
    await ctx.deps.db
      .transaction()
      .execute(async (trx) => {
        await publish(trx, "probe.happened", "rolled-back", {}, ctx.clock.now());
        throw new Error("abort");
      })
      .catch(() => undefined);
    await ctx.deps.events.drain();
    expect(await effects("event", "rolled-back")).toBe(0);
  });

  it("delivers each event once even when several dispatchers race for it", async () => {
    await ctx.deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 20; i++) await publish(trx, "probe.happened", `race-${i}`, {}, ctx.clock.now());
    });
    const log = pino({ level: "silent" });
    const others = [0, 1, 2].map(() => new EventDispatcher(ctx.deps.db, ctx.clock, log));
    for (const d of others) d.subscribe(probeModule.subscribers!(ctx.deps)[0]);
    await Promise.all([ctx.deps.events.drain(), ...others.map((d) => d.drain())]);
    for (let i = 0; i < 20; i++) expect(await effects("event", `race-${i}`)).toBe(1);
  });

  it("redelivers after a failed handler, without repeating the effect", async () => {
    const log = pino({ level: "silent" });
    const flaky = new EventDispatcher(ctx.deps.db, ctx.clock, log);
    let calls = 0;
    flaky.subscribe({
      name: "probe.flaky",
      events: ["probe.flaky"],
      handle: async (trx, event) => {
        calls += 1;
        await sql`insert into probe_effects (source, ref) values ('flaky', ${event.aggregateId})`.execute(trx);
        if (calls === 1) throw new Error("first try fails");
      },
    });
    await ctx.deps.db.transaction().execute((trx) => publish(trx, "probe.flaky", "f1", {}, ctx.clock.now()));
    await flaky.drain();
    expect(await effects("flaky", "f1")).toBe(0);
    ctx.clock.advance(2000);
    await flaky.drain();
    expect(calls).toBe(2);
    expect(await effects("flaky", "f1")).toBe(1);
  });

  it("leaves delivery to worker processes when told: a poke in a web process delivers nothing", async () => {
    const log = pino({ level: "silent" });
    const [web, worker] = [new EventDispatcher(ctx.deps.db, ctx.clock, log), new EventDispatcher(ctx.deps.db, ctx.clock, log)];
    let seen = 0;
    const counter = { name: "probe.roles", events: ["probe.roles"], handle: async () => void (seen += 1) };
    web.subscribe(counter);
    worker.subscribe(counter);
    web.leaveDeliveryToWorkers();
    await ctx.deps.db.transaction().execute((trx) => publish(trx, "probe.roles", "r1", {}, ctx.clock.now()));
    web.poke();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toBe(0);
    await worker.drain();
    expect(seen).toBe(1);
  });

  it("commits an event's subscribers together: one failing undoes the others until the retry", async () => {
    const log = pino({ level: "silent" });
    const dispatcher = new EventDispatcher(ctx.deps.db, ctx.clock, log);
    let failures = 1;
    const calls = { steady: 0, shaky: 0 };
    for (const name of ["steady", "shaky"] as const) {
      dispatcher.subscribe({
        name: `probe.${name}`,
        events: ["probe.pair"],
        handle: async (trx, event) => {
          calls[name] += 1;
          await sql`insert into probe_effects (source, ref) values (${name}, ${event.aggregateId})`.execute(trx);
          if (name === "shaky" && failures-- > 0) throw new Error("first try fails");
        },
      });
    }
    dispatcher.subscribe({ name: "probe.picky", events: ["probe.pair"], when: () => false, handle: async () => void (calls.steady += 100) });
    await ctx.deps.db.transaction().execute((trx) => publish(trx, "probe.pair", "p1", {}, ctx.clock.now()));
    await dispatcher.drain();
    expect([await effects("steady", "p1"), await effects("shaky", "p1")]).toEqual([0, 0]);
    ctx.clock.advance(2000);
    await dispatcher.drain();
    expect([await effects("steady", "p1"), await effects("shaky", "p1")]).toEqual([1, 1]);
    expect(calls).toEqual({ steady: 2, shaky: 2 });
    // Delivered: another round finds nothing to do.
    ctx.clock.advance(60_000);
    await dispatcher.drain();
    expect(calls).toEqual({ steady: 2, shaky: 2 });
  });
});

describe("durable jobs", () => {
  it("runs a job only once it is due", async () => {
    await ctx.deps.db.transaction().execute((trx) => schedule(trx, { type: "probe.run", runAt: new Date(ctx.clock.now().getTime() + 60_000), payload: { ref: "due" } }, ctx.clock.now()));
    await ctx.deps.jobs.drain();
    expect(await effects("job", "due")).toBe(0);
    ctx.clock.advance(60_000);
    await ctx.deps.jobs.drain();
    expect(await effects("job", "due")).toBe(1);
  });

  it("does not run a cancelled job", async () => {
    const now = ctx.clock.now();
    await ctx.deps.db.transaction().execute(async (trx) => {
      await schedule(trx, { type: "probe.run", runAt: now, payload: { ref: "cancelled" }, key: "probe:cancelled" }, now);
      await cancelJob(trx, "probe:cancelled", now);
    });
    await ctx.deps.jobs.drain();
    expect(await effects("job", "cancelled")).toBe(0);
  });

  it("runs each due job once when several runners share the database", async () => {
    const now = ctx.clock.now();
    await ctx.deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 15; i++) await schedule(trx, { type: "probe.run", runAt: now, payload: { ref: `shared-${i}` } }, now);
    });
    const log = pino({ level: "silent" });
    const runners = [0, 1, 2].map(() => new JobRunner(ctx.deps.db, ctx.clock, log));
    for (const r of runners) r.register("probe.run", probeModule.jobs!(ctx.deps)["probe.run"]);
    await Promise.all([ctx.deps.jobs.drain(), ...runners.map((r) => r.drain())]);
    for (let i = 0; i < 15; i++) expect(await effects("job", `shared-${i}`)).toBe(1);
  });
});

describe("jobs across a restart", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshDatabase();
  });
  afterAll(async () => handle?.close());

  it("keeps scheduled jobs in the database and runs overdue ones after a restart", async () => {
    const clock = new ManualClock(new Date("2026-06-01T00:00:00Z"));
    const first = await createTestContext({ handle, clock, modules: [identityModule, probeModule] });
    await sql`create table probe_effects (source text not null, ref text not null)`.execute(first.deps.db);
    await first.deps.db.transaction().execute((trx) => schedule(trx, { type: "probe.run", runAt: new Date(clock.now().getTime() + 3_600_000), payload: { ref: "restart" } }, clock.now()));
    await first.close();

    clock.advance(2 * 3_600_000);
    const second = await createTestContext({ handle, clock, modules: [identityModule, probeModule] });
    await second.deps.jobs.drain();
    const n = (await sql<{ n: number }>`select count(*)::int as n from probe_effects where ref = 'restart'`.execute(second.deps.db)).rows[0].n;
    expect(n).toBe(1);
    await second.close();
  });
});
