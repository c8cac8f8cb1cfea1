import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../platform/ids.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { refundOrder } from "../payments/refunds.service.js";
import { ok, shop, shopper } from "../promotions/testing/shop.js";
import { register } from "../referral/testing/register.js";

/*
 * Every metric of docs/metrics.md on one small store, built through the real paths: sign-ups with
 * invite codes and share tokens, shares, orders, payments and refunds through the API and the outbox,
 * a reward rule and a promoter's commissions, and browser events through POST /track. The expected
 * numbers are worked out by hand in the comments (times are Asia/Shanghai).
 *
 *  Mon 06-01 10:00  A signs up (organic); views the store and product P1 (browser anon-aaaa-1, signed in)
 *            11:00  A shares P1 on wechat_friend in campaign G (S1); 11:30 on qq, no campaign (S2)
 *            12:00  an anonymous browser V opens S1: page view, then views P1
 *            14:00  B signs up with S1's token (invited by A through the share)
 *            14:10  B, signed in on V's browser, adds P1 to the cart: V's earlier events become B's
 *            14:20  B orders P1 (¥100, O1, credited to S1), pays at 14:30
 *  Tue 06-02 00:30  an anonymous browser W views the store from a Baidu ad (never signs up)
 *            10:00  C signs up with A's invite code, becomes a promoter; views the store, views P2
 *  Wed 06-03 12:00  C adds P2 to the cart (25 h 54 min after viewing it), orders P2 (¥200, O2) and pays
 *  Mon 06-08 09:50  an anonymous browser views the store from a WeChat ad (utm wechat_ad)
 *            10:00  D signs up with C's invite code (bound to promoter C); signed in on that browser,
 *                   views P1 at 10:10, adds it at 10:20, orders it at 10:30 (O3) and pays at 10:31
 *            11:00  A views the store again
 *  Tue 06-09 11:00  D orders P2 (O4), pays; 12:00 B orders P1 (O5) and never pays
 *            13:00  E signs up (organic), orders P1 (O6) and pays; 15:00 O6 is refunded in full
 *  Wed 06-10 10:00  ¥50 of O4 is refunded
 * Rewards: ¥3 cash to the inviter per invited sign-up (B, C, D: ¥9), and in campaign G 5 % of a shared
 * order to its sharer (O1: ¥5 to A). Commissions: 10 % to C on D's orders (O3 ¥10; O4 ¥20, cut to ¥15
 * by the partial refund).
 */

let ctx: TestContext;
let admin: Record<string, string>;
const G = newId("gba");
const ids: Record<string, string> = {};
const P: Record<"P1" | "P2", { productId: string; skuId: string }> = {} as never;

const shanghai = (day: string, time: string) => new Date(`2026-06-${day}T${time}:00+08:00`);
const moveTo = (day: string, time: string) => ctx.clock.set(shanghai(day, time));
const RANGE = "from=2026-06-01&to=2026-06-14";

async function track(events: Record<string, unknown>[], headers: Record<string, string> = {}) {
  const at = ctx.clock.now().toISOString();
  const res = await ctx.app.inject({ method: "POST", url: "/track", headers, payload: { events: events.map((e) => ({ at, ...e })) } });
  expect(res.statusCode, res.body).toBe(202);
  return res.json();
}
const report = async (path: string) => {
  const res = await ctx.app.inject({ method: "GET", url: `/admin/analytics/${path}`, headers: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const drain = () => ctx.deps.events.drain();
const inviteCode = async (headers: Record<string, string>) => (await ok(ctx, { method: "GET", url: "/me/invite", headers })).code as string;
const refund = (orderId: string, amount: number, key: string) =>
  ctx.deps.db.transaction().execute((trx) => refundOrder(ctx.deps, trx, { orderId, amount, reason: "不想要了", key }));

beforeAll(async () => {
  ctx = await createTestContext();
  moveTo("01", "09:00");
  const store = await shop(ctx);
  P.P1 = await store.product("苹果礼盒", 10000);
  P.P2 = await store.product("橙子礼盒", 20000);
  const rule = (key: string, payload: Record<string, unknown>) =>
    ok(ctx, { method: "POST", url: "/admin/reward-rules", headers: { ...store.adminH, "idempotency-key": key }, payload: { rewardKind: "cash", budget: 100000, ...payload } });
  await rule("rule-invite", { name: "邀请有礼", trigger: "invitee_registered", beneficiary: "inviter", amount: 300 });
  await rule("rule-share", { name: "分享得佣", campaignId: G, trigger: "share_order_paid", beneficiary: "sharer", rateBps: 500 });

  moveTo("01", "10:00");
  const a = await register(ctx, { displayName: "阿甲" });
  ids.A = a.userId;
  moveTo("01", "10:05");
  await track([{ type: "page_view", anonymousId: "anon-aaaa-1", sessionId: "session-a1" }], a.headers);
  moveTo("01", "10:06");
  await track([{ type: "product_view", anonymousId: "anon-aaaa-1", sessionId: "session-a1", productId: P.P1.productId }], a.headers);
  moveTo("01", "11:00");
  const s1 = await ok(ctx, { method: "POST", url: "/shares", headers: a.headers, payload: { targetType: "product", targetId: P.P1.productId, channel: "wechat_friend", campaignId: G } });
  moveTo("01", "11:30");
  await ok(ctx, { method: "POST", url: "/shares", headers: a.headers, payload: { targetType: "product", targetId: P.P1.productId, channel: "qq" } });
  await drain();

  moveTo("01", "12:00");
  await track([{ type: "page_view", anonymousId: "anon-vvvv-1", sessionId: "session-v1", shareToken: s1.token }]);
  moveTo("01", "12:01");
  await track([{ type: "product_view", anonymousId: "anon-vvvv-1", sessionId: "session-v1", shareToken: s1.token, productId: P.P1.productId }]);
  moveTo("01", "14:00");
  const b = await register(ctx, { shareToken: s1.token, displayName: "阿乙" });
  ids.B = b.userId;
  moveTo("01", "14:10");
  await track([{ type: "add_to_cart", anonymousId: "anon-vvvv-1", sessionId: "session-v1", shareToken: s1.token, productId: P.P1.productId }], b.headers);
  const buyerB = await shopper(ctx, b);
  moveTo("01", "14:20");
  const o1 = (await buyerB.place([{ skuId: P.P1.skuId, qty: 1 }])).json().orders[0];
  moveTo("01", "14:30");
  await buyerB.pay([o1.id]);

  moveTo("02", "00:30");
  await track([{ type: "page_view", anonymousId: "anon-wwww-1", sessionId: "session-w1", source: "baidu", medium: "cpc" }]);
  moveTo("02", "10:00");
  const c = await register(ctx, { inviteCode: await inviteCode(a.headers), displayName: "阿丙" });
  ids.C = c.userId;
  await ok(ctx, { method: "POST", url: "/distribution/apply", headers: c.headers, payload: { acceptTerms: true } });
  moveTo("02", "10:05");
  await track([{ type: "page_view", anonymousId: "anon-cccc-1", sessionId: "session-c1" }], c.headers);
  moveTo("02", "10:06");
  await track([{ type: "product_view", anonymousId: "anon-cccc-1", sessionId: "session-c1", productId: P.P2.productId }], c.headers);
  moveTo("03", "12:00");
  await track([{ type: "add_to_cart", anonymousId: "anon-cccc-1", sessionId: "session-c2", productId: P.P2.productId }], c.headers);
  const buyerC = await shopper(ctx, c);
  moveTo("03", "12:05");
  const o2 = (await buyerC.place([{ skuId: P.P2.skuId, qty: 1 }])).json().orders[0];
  moveTo("03", "12:06");
  await buyerC.pay([o2.id]);

  moveTo("08", "09:50");
  await track([{ type: "page_view", anonymousId: "anon-dddd-1", sessionId: "session-d1", source: "wechat_ad", medium: "social" }]);
  moveTo("08", "10:00");
  const d = await register(ctx, { inviteCode: await inviteCode(c.headers), displayName: "阿丁" });
  ids.D = d.userId;
  moveTo("08", "10:10");
  await track([{ type: "product_view", anonymousId: "anon-dddd-1", sessionId: "session-d1", productId: P.P1.productId }], d.headers);
  moveTo("08", "10:20");
  await track([{ type: "add_to_cart", anonymousId: "anon-dddd-1", sessionId: "session-d1", productId: P.P1.productId }], d.headers);
  const buyerD = await shopper(ctx, d);
  moveTo("08", "10:30");
  const o3 = (await buyerD.place([{ skuId: P.P1.skuId, qty: 1 }])).json().orders[0];
  moveTo("08", "10:31");
  await buyerD.pay([o3.id]);
  moveTo("08", "11:00");
  await track([{ type: "page_view", anonymousId: "anon-aaaa-1", sessionId: "session-a2" }], a.headers);

  moveTo("09", "11:00");
  const o4 = (await buyerD.place([{ skuId: P.P2.skuId, qty: 1 }])).json().orders[0];
  await buyerD.pay([o4.id]);
  moveTo("09", "12:00");
  await buyerB.place([{ skuId: P.P1.skuId, qty: 1 }]);
  moveTo("09", "13:00");
  const e = await register(ctx, { displayName: "阿戊" });
  ids.E = e.userId;
  const buyerE = await shopper(ctx, e);
  const o6 = (await buyerE.place([{ skuId: P.P1.skuId, qty: 1 }])).json().orders[0];
  await buyerE.pay([o6.id]);
  moveTo("09", "15:00");
  await refund(o6.id, 10000, "refund-o6");
  moveTo("10", "10:00");
  await refund(o4.id, 5000, "refund-o4");
  await drain();
  moveTo("15", "09:00");
  admin = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
}, 120_000);
afterAll(async () => ctx?.close());

describe("traffic, sales and cost (overview)", () => {
  it("counts PV, UV, new users, paid orders, GMV net of refunds, AOV, conversion, repurchase and cost per week", async () => {
    const o = await report(`overview?grain=week&${RANGE}`);
    expect(o.series).toEqual([
      // PV: A, V, W, C. UV: A, B (V's browser), W, C. Orders O1 ¥100 + O2 ¥200 by B and C.
      { bucket: "2026-06-01", pv: 4, uv: 4, newUsers: 3, orders: 2, gmv: 30000, payingUsers: 2, conversion: 0.5 },
      // PV: D's browser before sign-up, A. UV: D, A, B (O5 placed), E. O3 ¥100 + O4 ¥200 − ¥50; O6 refunded in full.
      { bucket: "2026-06-08", pv: 2, uv: 4, newUsers: 2, orders: 2, gmv: 25000, payingUsers: 1, conversion: 0.25 },
    ]);
    expect(o.totals).toEqual({
      pv: 6,
      uv: 6,
      newUsers: 5,
      orders: 4,
      gmv: 55000,
      aov: 13750,
      payingUsers: 3,
      conversion: 0.5,
      // D paid twice; B's second order was never paid.
      repurchaseRate: 0.3333,
      rewardCost: 1400,
      commissionCost: 2500,
      kFactor: 0.6,
    });
    // D arrived from a WeChat ad before signing up; B through A's share; C by invite code.
    expect(o.newUsersBySource).toEqual([
      { source: "direct", users: 2 },
      { source: "invite", users: 1 },
      { source: "wechat_ad", users: 1 },
      { source: "wechat_friend", users: 1 },
    ]);
  });

  it("buckets by the Asia/Shanghai day: W's 00:30 visit counts on June 2", async () => {
    const o = await report("overview?grain=day&from=2026-06-01&to=2026-06-03");
    expect(o.series.map((p: { bucket: string; pv: number; uv: number }) => [p.bucket, p.pv, p.uv])).toEqual([
      ["2026-06-01", 2, 2],
      ["2026-06-02", 2, 2],
      ["2026-06-03", 0, 1],
    ]);
  });

  it("filters by channel, fission path and product", async () => {
    // wechat_friend: V's visit (now B's) and A's share S1; B's sign-up and O1.
    const friend = await report(`overview?grain=month&channel=wechat_friend&${RANGE}`);
    expect(friend.totals).toMatchObject({ pv: 1, uv: 2, newUsers: 1, orders: 1, gmv: 10000, payingUsers: 1, conversion: 0.5, rewardCost: 500, commissionCost: 0 });
    // D's orders carry promoter C's commission.
    const distribution = await report(`overview?path=distribution&${RANGE}`);
    expect(distribution.totals).toMatchObject({ orders: 2, gmv: 25000, rewardCost: 0, commissionCost: 2500 });
    const invite = await report(`overview?path=invite&${RANGE}`);
    expect(invite.totals).toMatchObject({ newUsers: 2, orders: 1, gmv: 20000, rewardCost: 900, commissionCost: 0 });
    const p2 = await report(`overview?productId=${P.P2.productId}&${RANGE}`);
    expect(p2.totals).toMatchObject({ pv: 0, orders: 2, gmv: 35000, payingUsers: 2 });
    const byPromoter = await report(`overview?promoterId=${ids.C}&${RANGE}`);
    expect(byPromoter.totals).toMatchObject({ newUsers: 1, orders: 2, gmv: 25000, rewardCost: 300, commissionCost: 2500 });
  });
});

describe("funnel", () => {
  it("follows each person through ordered steps within the window from their first step", async () => {
    // product_view: A, B (as V), C, D. Within 24 h: B and D add to cart, order and pay; C adds after 25.9 h.
    expect(await report(`funnel?steps=product_view,add_to_cart,order,payment&windowHours=24&${RANGE}`)).toEqual({
      steps: [
        { step: "product_view", users: 4, fromPrevious: 1, fromFirst: 1 },
        { step: "add_to_cart", users: 2, fromPrevious: 0.5, fromFirst: 0.5 },
        { step: "order", users: 2, fromPrevious: 1, fromFirst: 0.5 },
        { step: "payment", users: 2, fromPrevious: 1, fromFirst: 0.5 },
      ],
    });
    const wide = await report(`funnel?steps=product_view,add_to_cart,order,payment&windowHours=48&${RANGE}`);
    expect(wide.steps.map((s: { users: number }) => s.users)).toEqual([4, 3, 3, 3]);
    // Order matters: nobody paid before viewing a product.
    const backwards = await report(`funnel?steps=payment,product_view&windowHours=24&${RANGE}`);
    expect(backwards.steps.map((s: { users: number }) => s.users)).toEqual([4, 0]);
  });

  it("refuses unknown steps, naming the field", async () => {
    const res = await ctx.app.inject({ method: "GET", url: `/admin/analytics/funnel?steps=product_view,teleport`, headers: admin });
    expect([res.statusCode, res.json().details[0].field]).toEqual([400, "query.steps"]);
  });
});

describe("virality", () => {
  it("computes K-factor and the median viral cycle time", async () => {
    // 5 registered users active; 2 shares; B, C, D invited. Cycles: A→B 4 h, A→C 24 h, C→D 144 h.
    expect(await report(`kfactor?${RANGE}`)).toEqual({
      users: 5,
      invitationsSent: 2,
      invitesPerUser: 0.4,
      invitedRegistrations: 3,
      invitationConversion: 1.5,
      kFactor: 0.6,
      viralCycleHours: 24,
    });
  });

  it("draws the invite tree under a user, and finds the biggest tree's root", async () => {
    const expected = {
      nodes: [
        { userId: ids.A, displayName: "阿甲", depth: 0, inviterId: null, revenue: 0, invitees: 2 },
        { userId: ids.B, displayName: "阿乙", depth: 1, inviterId: ids.A, revenue: 10000, invitees: 0 },
        { userId: ids.C, displayName: "阿丙", depth: 1, inviterId: ids.A, revenue: 20000, invitees: 1 },
        { userId: ids.D, displayName: "阿丁", depth: 2, inviterId: ids.C, revenue: 25000, invitees: 0 },
      ],
      truncated: false,
    };
    expect(await report(`invite-tree?rootUserId=${ids.A}&depth=4&${RANGE}`)).toEqual(expected);
    expect(await report(`invite-tree?${RANGE}`)).toEqual(expected);
    expect((await report(`invite-tree?rootUserId=${ids.A}&depth=1&${RANGE}`)).nodes.map((n: { userId: string }) => n.userId)).toEqual([ids.A, ids.B, ids.C]);
  });
});

describe("retention", () => {
  it("groups users by registration week and counts who is active in each later week", async () => {
    // Week of 06-01: A, B, C; in the next week A (a visit) and B (an order) came back. Week of 06-08: D, E.
    expect(await report(`cohorts?${RANGE}`)).toEqual({
      cohorts: [
        { cohort: "2026-06-01", size: 3, retained: [3, 2], rates: [1, 0.6667], partial: false },
        { cohort: "2026-06-08", size: 2, retained: [2], rates: [1], partial: false },
      ],
    });
    const eight = await report("cohorts?weeks=3&to=2026-06-14");
    expect(eight.cohorts.map((c: { cohort: string; size: number }) => [c.cohort, c.size])).toEqual([
      ["2026-05-25", 0],
      ["2026-06-01", 3],
      ["2026-06-08", 2],
    ]);
  });

  it("counts the week of a mid-week `to` only up to `to`, and marks it partial", async () => {
    // Up to Monday 06-08: of A, B, C only A (a visit at 11:00) is back; B's order is on 06-09, after it.
    // The week of 06-08 so far: D (E signs up on 06-09).
    expect(await report("cohorts?from=2026-06-01&to=2026-06-08")).toEqual({
      cohorts: [
        { cohort: "2026-06-01", size: 3, retained: [3, 1], rates: [1, 0.3333], partial: true },
        { cohort: "2026-06-08", size: 1, retained: [1], rates: [1], partial: true },
      ],
    });
    // Up to Tuesday 06-09: B's order counts, E's sign-up too; the week is still not over.
    expect(await report("cohorts?weeks=2&to=2026-06-09")).toEqual({
      cohorts: [
        { cohort: "2026-06-01", size: 3, retained: [3, 2], rates: [1, 0.6667], partial: true },
        { cohort: "2026-06-08", size: 2, retained: [2], rates: [1], partial: true },
      ],
    });
    const csv = await ctx.app.inject({ method: "GET", url: "/admin/analytics/cohorts?from=2026-06-01&to=2026-06-08&format=csv", headers: admin });
    expect(csv.body).toBe("\uFEFFcohort,size,week_0,week_1,rate_0,rate_1,partial\r\n2026-06-01,3,3,1,1,0.3333,true\r\n2026-06-08,1,1,,1,,true\r\n");
  });
});

describe("returns on growth spend", () => {
  it("reports campaigns with cost and ROI", async () => {
    expect(await report(`campaigns?${RANGE}`)).toEqual({
      rows: [{ campaignId: G, campaignType: "groupbuy", name: G, orders: 1, gmv: 10000, newUsers: 1, rewardCost: 500, commissionCost: 0, cost: 500, roi: 20 }],
    });
  });

  it("reports channels from shares to GMV", async () => {
    expect(await report(`channels?${RANGE}`)).toEqual({
      rows: [
        // Sessions a1, w1, c1, d1, a2; invite rewards carry no channel; 45000 / (900 + 2500).
        { channel: "direct", shares: 0, visits: 5, registrations: 4, orders: 3, gmv: 45000, rewardCost: 900, commissionCost: 2500, roi: 13.24 },
        { channel: "wechat_friend", shares: 1, visits: 1, registrations: 1, orders: 1, gmv: 10000, rewardCost: 500, commissionCost: 0, roi: 20 },
        { channel: "qq", shares: 1, visits: 0, registrations: 0, orders: 0, gmv: 0, rewardCost: 0, commissionCost: 0, roi: null },
      ],
    });
  });

  it("ranks sharers and promoters", async () => {
    expect(await report(`leaderboard?by=sharer&metric=gmv&${RANGE}`)).toEqual({
      rows: [{ userId: ids.A, displayName: "阿甲", value: 10000, orders: 1, gmv: 10000, registrations: 1 }],
    });
    expect(await report(`leaderboard?by=promoter&metric=registrations&${RANGE}`)).toEqual({
      rows: [
        { userId: ids.A, displayName: "阿甲", value: 2, orders: 0, gmv: 0, registrations: 2 },
        { userId: ids.C, displayName: "阿丙", value: 1, orders: 2, gmv: 25000, registrations: 1 },
      ],
    });
  });
});
