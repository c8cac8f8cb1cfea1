import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../../platform/ids.js";
import { bearer, createTestContext, freshDatabase, type TestContext } from "../../testing/harness.js";
import type { DbHandle } from "../../platform/db/database.js";
import { fulfilAttempt } from "./attempts.service.js";
import { FLASH_MODULES, attempt, counters, crowd, flashItem, operatorHeaders, settle } from "./flashsale.fixtures.js";
import { InProcessFlashQueue } from "./queue.js";
import { NatsFlashQueue } from "./queue.nats.js";
import { RECONCILE_GRACE_MS, reconcile } from "./reconcile.js";

const masterKey = crypto.randomBytes(32);
const handles: DbHandle[] = [];
const open: TestContext[] = [];
afterAll(async () => {
  for (const c of open) await c.close().catch(() => undefined);
  for (const h of handles) await h.close();
});

async function start(opts: Parameters<typeof createTestContext>[0]) {
  const ctx = await createTestContext({ modules: FLASH_MODULES, masterKey, ...opts });
  open.push(ctx);
  return ctx;
}

async function ordersOf(ctx: TestContext, token: string) {
  return (await ctx.app.inject({ method: "GET", url: "/orders", headers: bearer(token) })).json().items as Array<{ id: string; campaign: { ref: string } }>;
}

describe.each(counters())("reconciliation on the $kind counter", ({ make }) => {
  it("repairs a crash between attempt and order: no unit lost, none sold twice", async () => {
    const handle = await freshDatabase();
    handles.push(handle);
    const { counter, reopen } = make();
    // A server whose queue consumer is dead: attempts win units and are recorded, but no order follows.
    const dead = new InProcessFlashQueue();
    const first = await start({ handle, adapters: { flashCounter: counter, flashQueue: dead } });
    await dead.stop();
    const admin = await operatorHeaders(first);
    const { itemId } = await flashItem(first, admin, { stock: 10, perUserLimit: 1 });
    const shoppers = await crowd(first, 6);
    for (const s of shoppers.slice(0, 5)) expect((await attempt(first, s, itemId)).statusCode).toBe(202);
    // And a process that died between its counter step and its insert: a hold the database never saw.
    const ghost = newId("fsa");
    expect(await counter.attempt(itemId, { attemptId: ghost, userId: shoppers[5].userId, qty: 1, now: first.clock.now().getTime() })).toEqual({ ok: true, remaining: 4 });
    await first.close();

    // Restart on the same database and counter.
    const second = await start({ handle, clock: first.clock, adapters: { flashCounter: reopen() } });
    const early = await reconcile(second.deps, second.deps.db, { repair: false, itemIds: [itemId] });
    expect(early.items[0]).toMatchObject({ consistent: true, heldInDb: 5, heldInCounter: 6, inFlight: [ghost], extraInCounter: [], requeued: [] });

    second.clock.advance(RECONCILE_GRACE_MS + 1000);
    await second.deps.jobs.drain();
    await settle(second);
    const after = await reconcile(second.deps, second.deps.db, { repair: false, itemIds: [itemId] });
    expect(after.items[0]).toMatchObject({ consistent: true, heldInDb: 5, heldInCounter: 5, remaining: 5, inFlight: [], requeued: [] });
    for (const s of shoppers.slice(0, 5)) expect(await ordersOf(second, s.token)).toHaveLength(1);
    // Redelivering every attempt again places nothing new.
    const ids = (await second.deps.db.selectFrom("flash_attempts").select("id").where("item_id", "=", itemId).execute()).map((r) => r.id);
    for (const id of ids) await fulfilAttempt(second.deps, id);
    for (const s of shoppers.slice(0, 5)) expect(await ordersOf(second, s.token)).toHaveLength(1);
    // The ghost's buyer got their count back and can buy.
    expect((await attempt(second, shoppers[5], itemId)).statusCode).toBe(202);
    await settle(second);
    expect(await ordersOf(second, shoppers[5].token)).toHaveLength(1);
    await second.deps.events.drain();
  }, 180_000);

  it("reloads an item the counter lost (a flushed Redis) from the database, on the next attempt or by reconciliation", async () => {
    const { counter } = make();
    const ctx = await start({ adapters: { flashCounter: counter } });
    const admin = await operatorHeaders(ctx);
    const { itemId, slotId } = await flashItem(ctx, admin, { stock: 5, perUserLimit: 1 });
    const [a, b, c] = await crowd(ctx, 3);
    for (const s of [a, b]) expect((await attempt(ctx, s, itemId)).statusCode).toBe(202);
    await settle(ctx);
    await counter.remove(itemId);
    expect((await ctx.app.inject({ method: "GET", url: `/flash/slots/${slotId}` })).json().items[0].remaining).toBeNull();
    const repaired = (await ctx.app.inject({ method: "POST", url: "/admin/flash/reconciliation", headers: admin, payload: {} })).json();
    expect(repaired.items.find((i: { itemId: string }) => i.itemId === itemId)).toMatchObject({ restored: true, consistent: false, heldInDb: 2 });
    expect((await ctx.app.inject({ method: "GET", url: `/flash/slots/${slotId}` })).json().items[0].remaining).toBe(3);
    // A buyer who already holds a unit is still held to the limit; a flush before an attempt restores on the spot.
    expect((await attempt(ctx, a, itemId)).json().code).toBe("limit_reached");
    await counter.remove(itemId);
    expect((await attempt(ctx, c, itemId)).statusCode).toBe(202);
    expect((await ctx.app.inject({ method: "GET", url: `/flash/slots/${slotId}` })).json().items[0].remaining).toBe(2);
    await settle(ctx);
    const check = (await ctx.app.inject({ method: "GET", url: "/admin/flash/reconciliation", headers: admin })).json();
    expect(check.items.find((i: { itemId: string }) => i.itemId === itemId)).toMatchObject({ consistent: true, heldInDb: 3, heldInCounter: 3 });
    await ctx.deps.events.drain();
  }, 180_000);
});

const natsUrl = process.env.TEST_NATS_URL ?? process.env.NATS_URL;

describe.skipIf(!natsUrl)("the NATS JetStream queue", () => {
  it("carries attempts to orders through a durable consumer; a restarted consumer picks up what was left, once", async () => {
    const handle = await freshDatabase();
    handles.push(handle);
    const unique = newId("t").slice(2).toLowerCase();
    const names = { stream: `LBT_FLASH_${unique}`, subject: `lbt.${unique}.flash`, durable: `lbt-${unique}` };
    const queue = new NatsFlashQueue(natsUrl!, names);
    const { counter, reopen } = counters().at(-1)!.make();
    const first = await start({ handle, adapters: { flashCounter: counter, flashQueue: queue } });
    const admin = await operatorHeaders(first);
    const { itemId } = await flashItem(first, admin, { stock: 20, perUserLimit: 1 });
    const shoppers = await crowd(first, 8);
    await Promise.all(shoppers.slice(0, 4).map((s) => attempt(first, s, itemId)));
    await settle(first);
    // The consumer dies; attempts keep arriving and wait in the stream.
    await queue.stop();
    for (const s of shoppers.slice(4)) expect((await attempt(first, s, itemId)).statusCode).toBe(202);
    const waiting = await first.deps.db.selectFrom("flash_attempts").select("id").where("status", "=", "queued").execute();
    expect(waiting).toHaveLength(4);
    // A duplicate publish (reconciliation re-queueing) must not make a second order either.
    await queue.enqueue(waiting[0].id);
    await first.close();

    const again = new NatsFlashQueue(natsUrl!, names);
    const second = await start({ handle, clock: first.clock, adapters: { flashCounter: reopen(), flashQueue: again } });
    await settle(second);
    for (const s of shoppers) expect(await ordersOf(second, s.token)).toHaveLength(1);
    await second.deps.events.drain();
    await again.destroy();
  }, 180_000);
});
