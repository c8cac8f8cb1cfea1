import fs from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DAY } from "../../platform/clock.js";
import type { DomainEvent } from "../../platform/events/outbox.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { buyer, storeSelling } from "../../testing/store.js";
import { register } from "../referral/testing/register.js";
import { balance, budgetAccount, userAccount } from "./ledger.js";
import { renderRewardMachine } from "./reward-machine.js";
import { rewardSubscribers } from "./rewards.events.js";
import { expectLedgerConsistent } from "./testing/ledger.js";

let ctx: TestContext;
let adminH: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
});
// Tests move the clock by days; sessions would run out.
beforeEach(async () => {
  adminH = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
});
afterAll(async () => ctx?.close());

async function call(method: "GET" | "POST" | "PUT" | "PATCH", url: string, headers: Record<string, string>, payload?: object) {
  return ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}
async function json(method: "GET" | "POST" | "PUT" | "PATCH", url: string, headers: Record<string, string>, payload?: object) {
  const res = await call(method, url, headers, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}
const rule = (body: Record<string, unknown>) => json("POST", "/admin/reward-rules", adminH, { name: "邀请有礼", trigger: "invitee_registered", beneficiary: "inviter", ...body });
const ops = async () => bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
const stats = async (ruleId: string) => json("GET", `/admin/reward-rules/${ruleId}/stats`, await ops());
const fakeUser = () => newId("usr");
/** Takes a rule out of play so later tests' events meet only their own rules. */
async function pause(ruleId: string) {
  await ctx.deps.events.drain();
  await json("PATCH", `/admin/reward-rules/${ruleId}`, await ops(), { status: "paused" });
}

/** Publishes an event as its owner would, in its own transaction. */
async function emit(type: string, aggregateId: string, payload: Record<string, unknown>): Promise<DomainEvent> {
  const at = ctx.clock.now();
  const id = await ctx.deps.db.transaction().execute((trx) => publish(trx, type, aggregateId, payload, at));
  return { id, type, aggregateId, payload, createdAt: at };
}

/** Runs rewards' handler for an event directly, once per call, as a redelivery that skipped the dedupe record would. */
function handle(event: DomainEvent) {
  const sub = rewardSubscribers(ctx.deps).find((s) => s.events.includes(event.type))!;
  return ctx.deps.db.transaction().execute((trx) => sub.handle(trx, event));
}

const rewardsOfRule = (ruleId: string) => ctx.deps.db.selectFrom("rewards").select(["user_id", "amount", "status"]).where("rule_id", "=", ruleId).orderBy("id").execute();

describe("reward rules from events", () => {
  it("pays a cause once even when its event is replayed 10 times at once", async () => {
    const r = await rule({ rewardKind: "cash", amount: 500, budget: 10_000, claimDays: 3 });
    expect(r).toMatchObject({ id: expect.stringMatching(/^rwr_/), trigger: "invitee_registered", beneficiary: "inviter", rewardKind: "cash", amount: 500, budget: 10_000, status: "active" });
    const [inviter, invitee] = [fakeUser(), fakeUser()];
    const event = await emit("referral.bound", invitee, { inviterId: inviter, inviteeId: invitee, via: "invite_code" });
    const copies = await Promise.all(Array.from({ length: 9 }, () => emit("referral.bound", invitee, { inviterId: inviter, inviteeId: invitee, via: "invite_code" })));
    await Promise.all([event, event, ...copies].map(handle));
    await ctx.deps.events.drain();

    expect(await rewardsOfRule(r.id)).toEqual([{ user_id: inviter, amount: 500, status: "available" }]);
    expect(await balance(ctx.deps.db, userAccount(inviter, "claimable"), "cash")).toBe(500);
    expect(await balance(ctx.deps.db, budgetAccount(r.id), "cash")).toBe(9500);
    expect(await stats(r.id)).toMatchObject({ budget: 10_000, committed: 500, remaining: 9500, issued: { count: 1, amount: 500 }, claimed: { count: 0, amount: 0 } });
    await expectLedgerConsistent(ctx);
    await pause(r.id);
  });

  it("never passes a budget of N under concurrent triggers", async () => {
    const r = await rule({ rewardKind: "points", amount: 300, budget: 900 });
    const bindings = await Promise.all(Array.from({ length: 12 }, () => emit("referral.bound", "x", { inviterId: fakeUser(), inviteeId: fakeUser(), via: "invite_code" })));
    await Promise.all(bindings.map(handle));
    const paid = await rewardsOfRule(r.id);
    expect(paid.map((p) => p.amount)).toEqual([300, 300, 300]);
    expect(await stats(r.id)).toMatchObject({ committed: 900, remaining: 0, issued: { count: 3, amount: 900 }, refusedByCaps: 9 });
    expect(await balance(ctx.deps.db, budgetAccount(r.id), "points")).toBe(0);
    await ctx.deps.events.drain();
    await expectLedgerConsistent(ctx);
  });

  it("holds to the per-user-per-day cap, and opens again the next day", async () => {
    const r = await rule({ rewardKind: "points", amount: 10, budget: 1000, capPerUserPerDay: 20 });
    const inviter = fakeUser();
    await Promise.all(Array.from({ length: 4 }, async () => handle(await emit("referral.bound", "x", { inviterId: inviter, inviteeId: fakeUser(), via: "invite_code" }))));
    ctx.clock.advance(DAY);
    await handle(await emit("referral.bound", "x", { inviterId: inviter, inviteeId: fakeUser(), via: "invite_code" }));
    expect((await rewardsOfRule(r.id)).length).toBe(3);
    await pause(r.id);
  });

  it("lets the user claim once into their wallet, and expires what is left unclaimed back to the budget", async () => {
    const r = await rule({ rewardKind: "cash", amount: 800, budget: 10_000, claimDays: 3 });
    const a = await register(ctx);
    const b = await register(ctx);
    const [invitee1, invitee2] = [await register(ctx), await register(ctx)];
    await handle(await emit("referral.bound", invitee1.userId, { inviterId: a.userId, inviteeId: invitee1.userId, via: "invite_code" }));
    await handle(await emit("referral.bound", invitee2.userId, { inviterId: b.userId, inviteeId: invitee2.userId, via: "invite_code" }));
    const mine = await json("GET", "/me/rewards", a.headers);
    expect(mine.totals.available).toEqual({ points: 0, cash: 800, growth: 0, coupon: 0 });
    const rewardId = mine.items.find((i: { ruleId: string }) => i.ruleId === r.id).id;
    expect((await call("POST", `/me/rewards/${rewardId}/claim`, b.headers)).statusCode).toBe(404);
    const claimed = await json("POST", `/me/rewards/${rewardId}/claim`, a.headers);
    expect([claimed.status, claimed.amount]).toEqual(["claimed", 800]);
    expect((await json("POST", `/me/rewards/${rewardId}/claim`, a.headers)).status).toBe("claimed");
    expect(await json("GET", "/me/wallet", a.headers)).toEqual({ available: 800, claimable: 0, pending: 0 });

    ctx.clock.advance(3 * DAY);
    await ctx.deps.jobs.drain();
    expect(await json("GET", "/me/wallet", b.headers)).toEqual({ available: 0, claimable: 0, pending: 0 });
    expect(await stats(r.id)).toMatchObject({ committed: 800, remaining: 9200, issued: { count: 2, amount: 1600 }, claimed: { count: 1, amount: 800 }, expired: { count: 1, amount: 800 } });
    await ctx.deps.events.drain();
    await expectLedgerConsistent(ctx);
    await pause(r.id);
  });

  it("pays nothing for a self-referral (the same device)", async () => {
    const r = await rule({ rewardKind: "points", amount: 100, budget: 1000 });
    const a = await register(ctx, { deviceId: "same-phone-77" });
    const b = await register(ctx, { deviceId: "same-phone-77" });
    await handle(await emit("referral.bound", b.userId, { inviterId: a.userId, inviteeId: b.userId, via: "invite_code" }));
    expect(await rewardsOfRule(r.id)).toEqual([]);
    expect(await stats(r.id)).toMatchObject({ issued: { count: 0, amount: 0 }, blockedSelfReferrals: 1 });
    await pause(r.id);
  });

  it("sends a reward whose risk score reaches the threshold to manual review, and pays it only when approved", async () => {
    const reviewer = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
    expect((await json("PUT", "/admin/risk/settings/large_cash_fen", reviewer, { value: 5000 })).value).toBe(5000);
    await json("PUT", "/admin/risk/settings/review_threshold", reviewer, { value: 20 });
    const r = await rule({ rewardKind: "cash", amount: 6000, budget: 60_000 });
    const [a, b] = [await register(ctx), await register(ctx)];
    const [x, y] = [await register(ctx), await register(ctx)];
    await handle(await emit("referral.bound", x.userId, { inviterId: a.userId, inviteeId: x.userId, via: "invite_code" }));
    await handle(await emit("referral.bound", y.userId, { inviterId: b.userId, inviteeId: y.userId, via: "invite_code" }));
    expect((await rewardsOfRule(r.id)).map((p) => p.status)).toEqual(["flagged", "flagged"]);
    expect(await json("GET", "/me/wallet", a.headers)).toEqual({ available: 0, claimable: 0, pending: 6000 });

    const queue = await json("GET", "/admin/risk/reviews?status=pending&subjectType=reward", reviewer);
    expect(queue.items.map((i: { score: number; reasons: string[] }) => [i.score, i.reasons])).toEqual([[20, ["large_cash"]], [20, ["large_cash"]]]);
    const [first, second] = queue.items;
    expect((await call("POST", `/admin/risk/reviews/${second.id}/reject`, reviewer, {})).json().details).toEqual([{ field: "note", message: "say why the subject is rejected" }]);
    expect((await json("POST", `/admin/risk/reviews/${first.id}/approve`, reviewer, {})).status).toBe("approved");
    expect((await call("POST", `/admin/risk/reviews/${first.id}/reject`, reviewer, { note: "late" })).json().code).toBe("review_decided");
    await json("POST", `/admin/risk/reviews/${second.id}/reject`, reviewer, { note: "刷单" });
    await ctx.deps.events.drain();

    expect(await json("GET", "/me/wallet", a.headers)).toEqual({ available: 0, claimable: 6000, pending: 0 });
    expect(await json("GET", "/me/wallet", b.headers)).toEqual({ available: 0, claimable: 0, pending: 0 });
    expect(await stats(r.id)).toMatchObject({ committed: 6000, remaining: 54_000, flaggedForReview: 2, rejected: { count: 1, amount: 6000 } });
    const audit = await ctx.deps.db.selectFrom("audit_log").select("action").where("entity", "=", "risk_review").orderBy("id").execute();
    expect(audit.map((x) => x.action)).toEqual(["risk.review.approve", "risk.review.reject"]);
    await json("PUT", "/admin/risk/settings/review_threshold", reviewer, { value: 60 });
    await pause(r.id);
    await expectLedgerConsistent(ctx);
  });

  it("refuses rules that make no sense for their trigger, naming the field", async () => {
    const bad = await call("POST", "/admin/reward-rules", adminH, { name: "x", trigger: "invitee_registered", beneficiary: "sharer", rewardKind: "cash", amount: 1, budget: 1 });
    expect([bad.statusCode, bad.json().details]).toEqual([400, [{ field: "beneficiary", message: "invitee_registered pays one of: inviter, invitee" }]]);
    const rate = await call("POST", "/admin/reward-rules", adminH, { name: "x", trigger: "invitee_registered", beneficiary: "inviter", rewardKind: "cash", rateBps: 100, budget: 1 });
    expect(rate.json().details).toEqual([{ field: "rateBps", message: "invitee_registered has no order to take a share of" }]);
    const consumer = await register(ctx);
    expect((await call("POST", "/admin/reward-rules", consumer.headers, { name: "x" })).statusCode).toBe(403);
  });
});

describe("points at checkout and member levels", () => {
  it("redeems points for at most half the payable, debits them with the order, and gives them back on cancel", async () => {
    const r = await rule({ rewardKind: "points", amount: 5000, budget: 5000, autoClaim: true, beneficiary: "invitee" });
    const skuId = await storeSelling(ctx, 4000);
    const b = await buyer(ctx);
    await handle(await emit("referral.bound", b.userId, { inviterId: fakeUser(), inviteeId: b.userId, via: "invite_code" }));
    expect(await json("GET", "/me/points", b.headers)).toEqual({ available: 5000, claimable: 0, pending: 0, pointsPerYuan: 100, maxShareOfOrderBps: 5000 });

    const preview = await json("POST", "/checkout/preview", b.headers, { items: [{ skuId, qty: 1 }], points: 3000 });
    // ¥40.00 + ¥10.00 shipping = ¥50.00; points pay at most half: 2500 points = ¥25.00.
    expect(preview.parts[0].adjustments).toEqual([{ type: "shipping", label: "运费", amount: 1000 }, { type: "points", label: "积分抵扣 2500 积分", amount: -2500, source: "2500" }]);
    expect(preview.parts[0].payable).toBe(2500);
    const tooMany = await call("POST", "/checkout/preview", b.headers, { items: [{ skuId, qty: 1 }], points: 5001 });
    expect([tooMany.statusCode, tooMany.json().code]).toEqual([422, "insufficient_points"]);

    const placed = await json("POST", "/orders", b.headers, { items: [{ skuId, qty: 1 }], addressId: (await json("GET", "/me/addresses", b.headers)).items[0].id, points: 3000 });
    expect(placed.orders[0].payable).toBe(2500);
    expect((await json("GET", "/me/points", b.headers)).available).toBe(2500);
    await json("POST", `/orders/${placed.orders[0].id}/cancel`, b.headers);
    await ctx.deps.events.drain();
    expect((await json("GET", "/me/points", b.headers)).available).toBe(5000);
    await pause(r.id);
    await expectLedgerConsistent(ctx);
  });

  it("raises the level with growth value: member prices from silver, free shipping from gold", async () => {
    const silverRule = await rule({ rewardKind: "growth", amount: 1000, budget: 100_000, autoClaim: true, beneficiary: "invitee" });
    const skuId = await storeSelling(ctx, 3000);
    await json("POST", "/admin/price-lists", bearer((await signInStaff(ctx, "operator")).token), { name: "会员价", kind: "member", items: [{ skuId, price: 2700 }] });
    const b = await buyer(ctx);
    const lines = { items: [{ skuId, qty: 2 }] };
    expect((await json("GET", "/me/level", b.headers)).level.code).toBe("regular");
    expect((await json("POST", "/checkout/preview", b.headers, lines)).parts[0].payable).toBe(7000);

    const bound = { inviterId: fakeUser(), inviteeId: b.userId, via: "invite_code" };
    await handle(await emit("referral.bound", b.userId, bound));
    expect(await json("GET", "/me/level", b.headers)).toEqual({ level: { code: "silver", name: "白银会员", threshold: 1000, memberPrice: true, freeShipping: false }, growth: 1000, next: { code: "gold", name: "黄金会员", threshold: 5000, memberPrice: true, freeShipping: true } });
    const silver = await json("POST", "/checkout/preview", b.headers, lines);
    expect([silver.parts[0].adjustments.slice(1), silver.parts[0].payable]).toEqual([[{ type: "member_price", label: "白银会员价", amount: -600 }], 6400]);

    // A second rule on the same path pays its own growth; the first one's key is spent.
    const goldRule = await rule({ rewardKind: "growth", amount: 4000, budget: 100_000, autoClaim: true, beneficiary: "invitee" });
    await handle(await emit("referral.bound", b.userId, bound));
    expect((await json("GET", "/me/level", b.headers)).growth).toBe(5000);
    const gold = await json("POST", "/checkout/preview", b.headers, lines);
    expect([gold.parts[0].adjustments.slice(1), gold.parts[0].payable]).toEqual([[{ type: "member_price", label: "黄金会员价", amount: -600 }, { type: "free_shipping", label: "黄金会员包邮", amount: -1000 }], 5400]);
    for (const r of [silverRule, goldRule]) await pause(r.id);
  });
});

describe("leaderboards", () => {
  it("ranks inviters per campaign by bound invitees, live", async () => {
    const [a, b] = [await register(ctx, { displayName: "阿强" }), await register(ctx, { displayName: "小白" })];
    for (const inviter of [a, b, b]) {
      const invitee = fakeUser();
      await emit("user.attributed", invitee, { userId: invitee, sharerId: inviter.userId, campaignId: "spring", shareId: "shr_x", channel: "wechat_friend", targetType: "product", targetId: "prd_x" });
      await emit("referral.bound", invitee, { inviterId: inviter.userId, inviteeId: invitee, via: "share" });
    }
    await ctx.deps.events.drain();
    const top = await json("GET", "/leaderboards/spring/inviters", {});
    expect(top.items).toEqual([{ rank: 1, displayName: "小白", score: 2 }, { rank: 2, displayName: "阿强", score: 1 }]);
    expect((await json("GET", "/leaderboards/autumn/inviters", {})).items).toEqual([]);
  });
});

describe("the reward machine", () => {
  it("is written in the README exactly as the code has it", () => {
    expect(fs.readFileSync(new URL("./README.md", import.meta.url), "utf8")).toContain(renderRewardMachine());
  });
});
