import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY } from "../../platform/clock.js";
import { bearer, createTestContext, signInConsumer, signInStaff, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { modules } from "../index.js";
import { register } from "../referral/testing/register.js";
import { expectLedgerConsistent } from "./testing/ledger.js";

/**
 * The fission loop end to end, through the HTTP API only: A shares a product to a friend → B clicks,
 * registers, orders, pays → A's reward appears pending, becomes available once the after-sales window
 * has closed, and is claimed into A's wallet; in a second run the friend refunds and the reward shrinks
 * with the partial refund and is cancelled by the full one.
 */
let ctx: TestContext;
let skuId: string;
let productId: string;
let ruleId: string;
const PRICE = 12800;

const staff = async () => bearer((await signInStaff(ctx, "operator")).token);
async function json(method: "GET" | "POST" | "PATCH", url: string, headers: Record<string, string>, payload?: object) {
  const res = await ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(400);
  return res.body ? res.json() : undefined;
}

beforeAll(async () => {
  // Without distribution for now: its order.paid handler reads the order outside the handler's
  // transaction, which waits forever for the embedded database's only connection.
  ctx = await createTestContext({ modules: modules.filter((m) => m.name !== "distribution") });
  skuId = await storeSelling(ctx, PRICE);
  productId = (await skusForSale(ctx.deps.db, [{ skuId, qty: 1 }])).get(skuId)!.productId;
  const rule = await json("POST", "/admin/reward-rules", await staff(), {
    name: "分享下单返现 5%",
    trigger: "share_order_paid",
    beneficiary: "sharer",
    rewardKind: "cash",
    rateBps: 500,
    budget: 100_000,
    claimDays: 7,
  });
  ruleId = rule.id;
});
afterAll(async () => ctx?.close());

type Person = Awaited<ReturnType<typeof register>>;

/** A shares the product; a friend on their own phone clicks the link, registers through it, orders `qty` and pays. */
async function friendBuysThroughShare(sharer: Person, device: string, qty: number) {
  const share = await json("POST", "/shares", sharer.headers, { targetType: "product", targetId: productId, channel: "wechat_friend" });
  const click = await ctx.app.inject({ method: "GET", url: `/s/${share.token}`, headers: { "x-device-id": device } });
  expect(click.statusCode).toBe(302);
  const friend = await register(ctx, { shareToken: share.token, deviceId: device });
  const address = await json("POST", "/me/addresses", friend.headers, { recipient: "李雷", phone: friend.phone, province: "广东省", city: "深圳市", district: "南山区", detail: "科技园 1 号" });
  const placed = await json("POST", "/orders", friend.headers, { items: [{ skuId, qty }], addressId: address.id });
  const order = placed.orders[0];
  const payment = await json("POST", "/payments", friend.headers, { orderIds: [order.id], provider: "test" });
  const confirm = await ctx.app.inject({ method: "POST", url: `/pay/test/${payment.paymentId}/confirm`, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" });
  expect(confirm.statusCode).toBe(303);
  await ctx.deps.events.drain();
  return { friend, orderId: order.id as string, payable: order.payable as number, itemId: order.items[0].id as string };
}

const rewardsOf = async (who: Person) => (await json("GET", "/me/rewards", who.headers)).items.filter((r: { ruleId: string }) => r.ruleId === ruleId);

describe("the fission loop: share → click → register → order → pay → reward", () => {
  it("holds the sharer's reward until the after-sales window closes, then pays it out", async () => {
    const a = await register(ctx, { displayName: "分享者A" });
    const { friend, orderId, payable } = await friendBuysThroughShare(a, "friend-b-phone", 1);
    // ¥128.00 of goods ships free (满99包邮): 5% of 12800 fen.
    expect(payable).toBe(12800);
    const [pending] = await rewardsOf(a);
    expect([pending.status, pending.amount, pending.orderId, pending.kind]).toEqual(["pending", 640, orderId, "cash"]);
    expect(await json("GET", "/me/wallet", a.headers)).toEqual({ available: 0, claimable: 0, pending: 640 });
    expect((await json("GET", "/leaderboards/all/sharers", {})).items).toEqual([{ rank: 1, displayName: "分享者A", score: 12800 }]);

    await json("POST", `/admin/orders/${orderId}/shipments`, await staff(), { carrier: "SF", trackingNo: "SF1234567890" });
    await json("POST", `/orders/${orderId}/confirm-receipt`, friend.headers);
    await ctx.deps.events.drain();
    ctx.clock.advance(7 * DAY - 1000);
    await ctx.deps.jobs.drain();
    await ctx.deps.events.drain();
    expect((await rewardsOf(a))[0].status).toBe("pending");

    ctx.clock.advance(1000);
    await ctx.deps.jobs.drain();
    await ctx.deps.events.drain();
    const sharer = { ...a, headers: bearer((await signInConsumer(ctx, a.phone)).token) };
    const [available] = await rewardsOf(sharer);
    expect([available.status, available.amount, available.claimDeadline]).toEqual(["available", 640, new Date(ctx.clock.now().getTime() + 7 * DAY).toISOString()]);
    const claimed = await json("POST", `/me/rewards/${available.id}/claim`, sharer.headers);
    expect(claimed.status).toBe("claimed");
    expect(await json("GET", "/me/wallet", sharer.headers)).toEqual({ available: 640, claimable: 0, pending: 0 });
    const stats = await json("GET", `/admin/reward-rules/${ruleId}/stats`, await staff());
    expect(stats).toMatchObject({ budget: 100_000, committed: 640, remaining: 99_360, issued: { count: 1, amount: 640 }, claimed: { count: 1, amount: 640 } });
    await expectLedgerConsistent(ctx);
  });

  it("shrinks the reward with a partial refund and cancels it when the friend refunds the rest", async () => {
    const a = await register(ctx, { displayName: "分享者C" });
    const { friend, orderId, payable } = await friendBuysThroughShare(a, "friend-d-phone", 3);
    expect(payable).toBe(38400);
    expect((await rewardsOf(a)).map((r: { status: string; amount: number }) => [r.status, r.amount])).toEqual([["pending", 1920]]);

    const refund = async (qty: number) => {
      const asked = await json("POST", `/orders/${orderId}/aftersales`, friend.headers, { type: "refund_only", items: [{ orderItemId: (await json("GET", `/orders/${orderId}`, friend.headers)).items[0].id, qty }], reasonCode: "other" });
      await json("POST", `/admin/aftersales/${asked.id}/approve`, await staff(), {});
      await ctx.deps.events.drain();
    };
    await refund(1);
    // 2 of 3 still paid: 5% of 25600 fen.
    expect((await rewardsOf(a)).map((r: { status: string; amount: number }) => [r.status, r.amount])).toEqual([["pending", 1280]]);
    expect(await json("GET", "/me/wallet", a.headers)).toEqual({ available: 0, claimable: 0, pending: 1280 });

    await refund(2);
    expect((await json("GET", `/orders/${orderId}`, friend.headers)).status).toBe("closed");
    expect((await rewardsOf(a)).map((r: { status: string; amount: number }) => [r.status, r.amount])).toEqual([["cancelled", 1280]]);
    expect(await json("GET", "/me/wallet", a.headers)).toEqual({ available: 0, claimable: 0, pending: 0 });
    const stats = await json("GET", `/admin/reward-rules/${ruleId}/stats`, await staff());
    expect(stats).toMatchObject({ committed: 640, remaining: 99_360, issued: { count: 2, amount: 2560 }, cancelled: { count: 1, amount: 1280 }, reducedByRefunds: 640 });
    expect((await json("GET", "/leaderboards/all/sharers", {})).items).toEqual([{ rank: 1, displayName: "分享者A", score: 12800 }]);
    await expectLedgerConsistent(ctx);
  });
});
