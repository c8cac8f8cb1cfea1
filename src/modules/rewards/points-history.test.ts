import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInConsumer, type TestContext } from "../../testing/harness.js";
import { post, userAccount } from "./ledger.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const points = (account: string, amount: number) => [
  { account, currency: "points" as const, amount },
  { account: "platform:test", currency: "points" as const, amount: -amount },
];

describe("GET /me/points/history", () => {
  it("lists my spendable-points movements newest first, paged, and nobody else's or any other currency", async () => {
    const me = await signInConsumer(ctx);
    const other = await signInConsumer(ctx);
    const mine = userAccount(me.userId, "available");
    await post(ctx.deps.db, { key: "t:1", causeType: "reward", causeId: "rwd_1", memo: "invite reward", lines: points(mine, 300) }, ctx.clock.now());
    await post(ctx.deps.db, { key: "t:2", causeType: "lottery_draw", causeId: "ldr_1", lines: points(mine, 50) }, ctx.clock.now());
    await post(ctx.deps.db, { key: "t:3", causeType: "order", causeId: "ord_1", lines: points(mine, -200) }, ctx.clock.now());
    await post(ctx.deps.db, { key: "t:4", causeType: "reward", causeId: "rwd_2", lines: points(userAccount(me.userId, "pending"), 999) }, ctx.clock.now());
    await post(ctx.deps.db, { key: "t:5", causeType: "reward", causeId: "rwd_3", lines: points(userAccount(other.userId, "available"), 70) }, ctx.clock.now());
    await post(ctx.deps.db, { key: "t:6", causeType: "reward", causeId: "rwd_4", lines: [{ account: mine, currency: "cash", amount: 500 }, { account: "platform:test", currency: "cash", amount: -500 }] }, ctx.clock.now());

    const get = (query: string) => ctx.app.inject({ method: "GET", url: `/me/points/history${query}`, headers: { authorization: `Bearer ${me.token}` } });
    const first = await get("?limit=2");
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((i: { amount: number; causeType: string; causeId: string; memo: string | null }) => [i.amount, i.causeType, i.causeId, i.memo])).toEqual([
      [-200, "order", "ord_1", null],
      [50, "lottery_draw", "ldr_1", null],
    ]);
    expect(page1.nextCursor).toBe(page1.items[1].id);
    const page2 = (await get(`?limit=2&after=${page1.nextCursor}`)).json();
    expect([page2.items.map((i: { amount: number; memo: string | null }) => [i.amount, i.memo]), page2.nextCursor]).toEqual([[[300, "invite reward"]], null]);
    expect(page2.items[0].at).toBe(ctx.clock.now().toISOString());
  });

  it("is for signed-in shoppers only", async () => {
    expect((await ctx.app.inject({ method: "GET", url: "/me/points/history" })).statusCode).toBe(401);
  });
});
