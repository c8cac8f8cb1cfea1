import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../platform/ids.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { saveAddress } from "../identity/addresses.service.js";
import { attempt, crowd, flashItem, operatorHeaders, settle, type Shopper } from "../flashsale/flashsale.fixtures.js";
import { register } from "../referral/testing/register.js";
import { shanghaiDay } from "./calendar.js";
import { creditOrder, orderFacts } from "./facts.js";
import { recordEvents } from "./tracking.service.js";
import { createActivity, operatorHeaders as groupbuyOperator, openPaidTeam, shopper } from "../groupbuy/groupbuy.fixtures.js";
import { storeSelling } from "../../testing/store.js";

/*
 * Orders placed through a campaign module count under that campaign in the campaigns report, by the
 * campaign's own id (a flash sale's slot), whether or not a share brought the buyer.
 */

let ctx: TestContext;
let analyst: Record<string, string>;
let operator: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  analyst = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
  operator = await operatorHeaders(ctx);
});
afterAll(async () => ctx?.close());

const get = (url: string, headers: Record<string, string>) => ctx.app.inject({ method: "GET", url, headers });

async function campaignRows(): Promise<Array<Record<string, unknown>>> {
  const day = shanghaiDay(ctx.clock.now());
  const res = await get(`/admin/analytics/campaigns?from=${day}&to=${day}`, analyst);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().rows;
}

/** Wins one unit, waits for the order, and answers its id. */
async function flashOrder(who: Shopper, itemId: string): Promise<string> {
  const won = await attempt(ctx, who, itemId);
  expect(won.statusCode, won.body).toBe(202);
  await settle(ctx);
  await ctx.deps.events.drain();
  const polled = (await get(`/flash/attempts/${won.json().attemptId}`, bearer(who.token))).json();
  expect(polled.status).toBe("ordered");
  return polled.orderId;
}

async function pay(who: Shopper, orderId: string): Promise<void> {
  const started = await ctx.app.inject({ method: "POST", url: "/payments", headers: bearer(who.token), payload: { orderIds: [orderId], provider: "test" } });
  expect(started.statusCode, started.body).toBe(201);
  expect((await ctx.app.inject({ method: "POST", url: `/pay/test/${started.json().paymentId}/confirm` })).statusCode).toBeLessThan(400);
  await ctx.deps.events.drain();
}

describe("flash-sale orders in the campaigns report", () => {
  it("counts paid flash orders under their slot", async () => {
    const { slotId, itemId } = await flashItem(ctx, operator, { price: 19900, flashPrice: 9900, stock: 5, perUserLimit: 1 });
    const [first, second, unpaid] = await crowd(ctx, 3);
    const orders = [await flashOrder(first, itemId), await flashOrder(second, itemId), await flashOrder(unpaid, itemId)];
    for (const [i, who] of [first, second, unpaid].entries()) expect((await get(`/orders/${orders[i]}`, bearer(who.token))).json()).toMatchObject({ payable: 9900, campaign: { type: "flashsale" } });
    await pay(first, orders[0]);
    await pay(second, orders[1]);

    const rows = await campaignRows();
    // Two paid orders at ¥99; the third was never paid.
    expect(rows).toEqual([{ campaignId: slotId, campaignType: "flashsale", name: "20:00 场", orders: 2, gmv: 19800, newUsers: 0, rewardCost: 0, commissionCost: 0, cost: 0, roi: null }]);
    const overview = (await get(`/admin/analytics/overview?campaignId=${slotId}&from=${shanghaiDay(ctx.clock.now())}&to=${shanghaiDay(ctx.clock.now())}`, analyst)).json();
    expect([overview.totals.orders, overview.totals.gmv]).toEqual([2, 19800]);
  });

  it("keeps a flash order under its slot when a share of another campaign brought the buyer", async () => {
    const { slotId, itemId } = await flashItem(ctx, operator, { price: 19900, flashPrice: 8800, stock: 5, perUserLimit: 1 });
    const other = newId("gba");
    const sharer = await register(ctx, { displayName: "分享者" });
    const share = await ctx.app.inject({
      method: "POST",
      url: "/shares",
      headers: sharer.headers,
      payload: { targetType: "campaign", targetId: slotId, channel: "wechat_friend", campaignId: other },
    });
    expect(share.statusCode, share.body).toBe(201);
    const buyer = await register(ctx, { shareToken: share.json().token, displayName: "被邀请者" });
    const address = await saveAddress(ctx.deps, buyer.userId, { recipient: "被邀请者", phone: "13800138000", province: "上海市", city: "上海市", district: "浦东新区", detail: "世纪大道 1 号" });
    const who: Shopper = { userId: buyer.userId, token: buyer.token, addressId: address.id, ip: "10.88.0.1", deviceId: "dev-shared-buyer" };
    await pay(who, await flashOrder(who, itemId));

    const rows = new Map((await campaignRows()).map((r) => [r.campaignId, r]));
    expect(rows.get(slotId)).toEqual({ campaignId: slotId, campaignType: "flashsale", name: "20:00 场", orders: 1, gmv: 8800, newUsers: 0, rewardCost: 0, commissionCost: 0, cost: 0, roi: null });
    // The share still brought the sign-up; the order is the slot's.
    expect(rows.get(other)).toMatchObject({ orders: 0, gmv: 0, newUsers: 1 });
    const day = shanghaiDay(ctx.clock.now());
    const sharers = (await get(`/admin/analytics/leaderboard?by=sharer&metric=gmv&from=${day}&to=${day}`, analyst)).json();
    expect(sharers.rows).toEqual([{ userId: sharer.userId, displayName: "分享者", value: 8800, orders: 1, gmv: 8800, registrations: 1 }]);
  });

  it("keeps an order's own campaign when a share is credited to it later", async () => {
    const orderId = newId("ord");
    const slotId = newId("fss");
    const at = ctx.clock.now();
    await recordEvents(ctx.deps.db, [{ type: "order", at, userId: newId("usr"), orderId, amount: 500, campaignId: slotId, campaignType: "flashsale" }]);
    await creditOrder(ctx.deps.db, orderId, { sharerId: newId("usr"), channel: "qq", campaignId: newId("gba") });
    expect(await orderFacts(ctx.deps.db, orderId)).toMatchObject({ campaignId: slotId, channel: "qq" });
  });
});

describe("group-buy orders in the campaigns report", () => {
  it("count under their activity, not the seat the order names", async () => {
    const admin = await groupbuyOperator(ctx);
    const skuId = await storeSelling(ctx, 5000);
    const activityId = await createActivity(ctx, admin, skuId);
    const leader = await shopper(ctx, "团长");
    const { orderId } = await openPaidTeam(ctx, leader, activityId, skuId);
    const order = (await get(`/orders/${orderId}`, leader.headers)).json();
    expect(order).toMatchObject({ status: "paid", campaign: { type: "groupbuy" } });
    expect(order.campaign.ref).not.toBe(activityId);

    const rows = new Map((await campaignRows()).map((r) => [r.campaignId, r]));
    expect(rows.get(activityId)).toEqual({ campaignId: activityId, campaignType: "groupbuy", name: "三人团 · 测试商品", orders: 1, gmv: order.payable, newUsers: 0, rewardCost: 0, commissionCost: 0, cost: 0, roi: null });
    expect(rows.has(order.campaign.ref)).toBe(false);
  });
});

