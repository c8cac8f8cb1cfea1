import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../testing/harness.js";
import { FLASH_MODULES, type Shopper, attempt, counters, crowd, flashItem, operatorHeaders, settle } from "./flashsale.fixtures.js";
import { reconcile } from "./reconcile.js";

/**
 * Never oversold: 2 000 distinct buyers fire at once at 100 units, on each counter this run can reach
 * (in-process always; Redis when TEST_REDIS_URL is set). One database and one crowd serve both.
 */
const CROWD = 2000;
const STOCK = 100;

let base: TestContext;
let shoppers: Shopper[] = [];
const opened: TestContext[] = [];
// Shared, so the contexts over the one database read the same sealed address phones.
const masterKey = crypto.randomBytes(32);

beforeAll(async () => {
  base = await createTestContext({ modules: FLASH_MODULES, masterKey });
  shoppers = await crowd(base, CROWD);
}, 180_000);
afterAll(async () => {
  for (const c of opened) await c.close();
  await base?.close();
});

describe.each(counters())("a crowd on the $kind counter", ({ make }) => {
  it(`sells exactly ${STOCK} units to ${CROWD} concurrent buyers and places exactly ${STOCK} orders`, async () => {
    const ctx = await createTestContext({ modules: FLASH_MODULES, handle: base.handle, clock: base.clock, masterKey, adapters: { flashCounter: make().counter } });
    opened.push(ctx);
    const admin = await operatorHeaders(ctx);
    const { itemId, slotId } = await flashItem(ctx, admin, { stock: STOCK, perUserLimit: 1 });

    const results = await Promise.all(shoppers.map((s) => attempt(ctx, s, itemId)));
    const codes = new Map<string, number>();
    for (const r of results) {
      const code = r.statusCode === 202 ? "queued" : r.json().code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(Object.fromEntries(codes)).toEqual({ queued: STOCK, sold_out: CROWD - STOCK });

    await settle(ctx, 60_000);
    const attempts = await ctx.deps.db.selectFrom("flash_attempts").select(["user_id", "status", "order_id"]).where("item_id", "=", itemId).execute();
    expect(attempts).toHaveLength(STOCK);
    expect(attempts.every((a) => a.status === "ordered" && a.order_id)).toBe(true);
    expect(new Set(attempts.map((a) => a.order_id)).size).toBe(STOCK);
    // Per-user limit held: no buyer twice.
    expect(new Set(attempts.map((a) => a.user_id)).size).toBe(STOCK);
    const view = (await ctx.app.inject({ method: "GET", url: `/admin/flash/slots/${slotId}`, headers: admin })).json();
    expect(view.items[0]).toMatchObject({ remaining: 0, units: { queued: 0, ordered: STOCK, paid: 0, released: 0, failed: 0 } });
    const check = await reconcile(ctx.deps, ctx.deps.db, { repair: false, itemIds: [itemId] });
    expect(check.items[0]).toMatchObject({ consistent: true, heldInDb: STOCK, heldInCounter: STOCK, remaining: 0 });
    await ctx.deps.events.drain();
  }, 180_000);
});
