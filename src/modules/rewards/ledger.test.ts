import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../testing/harness.js";
import { balance, checkBalanced, post } from "./ledger.js";
import { expectLedgerConsistent } from "./testing/ledger.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const now = () => ctx.clock.now();
const inTx = <T>(fn: (trx: TestContext["deps"]["db"]) => Promise<T>) => ctx.deps.db.transaction().execute(fn);

describe("the double-entry ledger", () => {
  it("posts an entry once per key and moves balances by its lines", async () => {
    const entry = { key: "test:fund:1", causeType: "test", causeId: "1", lines: [{ account: "platform:test", currency: "cash" as const, amount: -800 }, { account: "user:u1:available", currency: "cash" as const, amount: 800 }] };
    expect(await post(ctx.deps.db, entry, now())).toBe(true);
    expect(await post(ctx.deps.db, entry, now())).toBe(false);
    expect([await balance(ctx.deps.db, "user:u1:available", "cash"), await balance(ctx.deps.db, "platform:test", "cash"), await balance(ctx.deps.db, "user:u1:available", "points")]).toEqual([800, -800, 0]);
    await expectLedgerConsistent(ctx);
  });

  it("refuses an entry whose currencies do not each sum to zero, or with a zero or fractional line", () => {
    expect(() => checkBalanced([{ account: "a", currency: "cash", amount: 5 }, { account: "b", currency: "points", amount: -5 }])).toThrow("cash sums to 5");
    expect(() => checkBalanced([{ account: "a", currency: "cash", amount: 0 }, { account: "b", currency: "cash", amount: 0 }])).toThrow("non-zero integer");
    expect(() => checkBalanced([{ account: "a", currency: "cash", amount: 0.5 }, { account: "b", currency: "cash", amount: -0.5 }])).toThrow("non-zero integer");
  });

  it("never takes an account other than platform:* below zero, and leaves nothing of a refused entry", async () => {
    const overdraw = post(ctx.deps.db, { key: "test:overdraw", causeType: "test", causeId: "2", lines: [{ account: "user:u1:available", currency: "cash", amount: -801 }, { account: "platform:test", currency: "cash", amount: 801 }] }, now());
    await expect(overdraw).rejects.toMatchObject({ status: 409, code: "insufficient_balance" });
    expect(await ctx.deps.db.selectFrom("ledger_entries").select("id").where("key", "=", "test:overdraw").execute()).toEqual([]);
    expect(await balance(ctx.deps.db, "user:u1:available", "cash")).toBe(800);
  });

  it("lets exactly as many concurrent spends through as the balance covers", async () => {
    const spends = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        inTx((trx) => post(trx, { key: `test:spend:${i}`, causeType: "test", causeId: String(i), lines: [{ account: "user:u1:available", currency: "cash", amount: -300 }, { account: "platform:spent", currency: "cash", amount: 300 }] }, now())),
      ),
    );
    expect(spends.filter((s) => s.status === "fulfilled").length).toBe(2);
    expect(await balance(ctx.deps.db, "user:u1:available", "cash")).toBe(200);
    await expectLedgerConsistent(ctx);
  });

  it("keeps every currency at zero in total over any sequence of balanced entries", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom("points", "cash", "growth"), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 8 }), async (moves) => {
        for (const [amount, currency, who] of moves) {
          n += 1;
          await post(ctx.deps.db, { key: `prop:${n}`, causeType: "test", causeId: String(n), lines: [{ account: "platform:prop", currency: currency as "cash", amount: -amount }, { account: `user:p${who}:available`, currency: currency as "cash", amount }] }, now());
        }
        await expectLedgerConsistent(ctx);
      }),
      { numRuns: 15 },
    );
  });
});
