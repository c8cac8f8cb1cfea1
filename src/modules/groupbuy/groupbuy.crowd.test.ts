import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { createActivity, crowdShopper, joinTeam, openPaidTeam, openTeam, operatorHeaders, type Shopper, shopper, team } from "./groupbuy.fixtures.js";

/** Runs on PGlite, and on PostgreSQL (real concurrent transactions) when TEST_DATABASE_URL is set. */
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("a crowd joining one team", () => {
  it("fills a team of 3 with exactly 2 of 100 concurrent joiners; the other 98 get team_full and can open their own", async () => {
    const skuId = await storeSelling(ctx, 5000);
    const activityId = await createActivity(ctx, await operatorHeaders(ctx), skuId, { teamSize: 3, perUserLimit: 1, skus: [{ skuId, groupPrice: 2990, leaderPrice: 1990, stock: 200 }] });
    const leader = await shopper(ctx);
    const { teamId } = await openPaidTeam(ctx, leader, activityId, skuId);
    const crowd: Shopper[] = [];
    for (let i = 0; i < 100; i++) crowd.push(await crowdShopper(ctx));

    const answers = await Promise.all(crowd.map((who) => joinTeam(ctx, who, teamId, skuId)));
    const codes = answers.map((r) => (r.statusCode === 201 ? "joined" : `${r.statusCode} ${r.json().code}`));
    expect(codes.filter((c) => c === "joined").length).toBe(2);
    expect(codes.filter((c) => c === "409 team_full").length).toBe(98);
    expect(await team(ctx, teamId)).toMatchObject({ state: "open", size: 3, seatsTaken: 3, seatsLeft: 0 });
    const seats = await ctx.deps.db.selectFrom("groupbuy_members").select(["state"]).where("team_id", "=", teamId).where("state", "in", ["reserved", "paid"]).execute();
    expect(seats.length).toBe(3);
    const skus = (await ctx.app.inject({ method: "GET", url: `/groupbuy/activities/${activityId}` })).json().skus;
    expect(skus[0].stockLeft).toBe(197);

    const loser = crowd[answers.findIndex((r) => r.statusCode === 409)];
    const own = await openTeam(ctx, loser, activityId, skuId);
    expect(own.statusCode).toBe(201);
    expect(own.json().teamId).not.toBe(teamId);
  });
});
