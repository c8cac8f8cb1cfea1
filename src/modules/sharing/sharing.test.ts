import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { register } from "../referral/testing/register.js";
import { CLICK_LIMITS, orderAttribution, registrationAttribution } from "./sharing.service.js";

let ctx: TestContext;
let adminH: Record<string, string>;
let skuId: string;
let productId: string;
const PRICE = 12800;

beforeAll(async () => {
  ctx = await createTestContext();
  adminH = bearer((await signInStaff(ctx, "operator")).token);
  skuId = await storeSelling(ctx, PRICE);
  productId = (await skusForSale(ctx.deps.db, [{ skuId, qty: 1 }])).get(skuId)!.productId;
});
afterAll(async () => ctx?.close());

type Person = Awaited<ReturnType<typeof register>>;

async function call(method: "GET" | "POST" | "PUT", url: string, headers: Record<string, string> = {}, payload?: object) {
  return ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}
async function json(method: "GET" | "POST" | "PUT", url: string, headers: Record<string, string>, payload?: object) {
  const res = await call(method, url, headers, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}
const share = (who: Person, channel: string, campaignId?: string) => json("POST", "/shares", who.headers, { targetType: "product", targetId: productId, channel, ...(campaignId ? { campaignId } : {}) });
const click = (token: string, headers: Record<string, string>) => call("GET", `/s/${token}`, headers);

let seq = 0;
/** Places an order for `qty` and, when asked, pays it with the test provider; events delivered. */
async function order(who: Person, qty = 1, pay = true): Promise<{ orderId: string; payable: number; itemId: string }> {
  seq += 1;
  const address = await json("POST", "/me/addresses", who.headers, { recipient: "王五", phone: who.phone, province: "上海市", city: "上海市", district: "黄浦区", detail: `南京东路 ${seq} 号` });
  const placed = await json("POST", "/orders", who.headers, { items: [{ skuId, qty }], addressId: address.id });
  const o = placed.orders[0];
  if (pay) {
    const payment = await json("POST", "/payments", who.headers, { orderIds: [o.id], provider: "test" });
    const confirm = await ctx.app.inject({ method: "POST", url: `/pay/test/${payment.paymentId}/confirm`, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" });
    expect(confirm.statusCode).toBe(303);
  }
  await ctx.deps.events.drain();
  return { orderId: o.id, payable: o.payable, itemId: o.items[0].id };
}

describe("share → visit → registration → order", () => {
  let alice: Person;
  let token: string;
  let shareId: string;
  let bob: Person;
  let bobOrder: { orderId: string; payable: number; itemId: string };

  it("creates a share token and link for a product", async () => {
    alice = await register(ctx, { displayName: "Alice" });
    const created = await share(alice, "wechat_friend");
    ({ token, shareId } = created);
    expect(created).toEqual({
      shareId: expect.stringMatching(/^shr_/),
      token: expect.stringMatching(/^[\w-]{12}$/),
      url: `${ctx.deps.config.publicUrl}/s/${created.token}`,
      sharerId: alice.userId,
      channel: "wechat_friend",
      campaignId: null,
      targetType: "product",
      targetId: productId,
      createdAt: ctx.clock.now().toISOString(),
    });
    const missing = await call("POST", "/shares", alice.headers, { targetType: "product", targetId: `prd_${"0".repeat(26)}`, channel: "qq" });
    expect(missing.statusCode).toBe(404);
  });

  it("tells the landing page who shared what, without counting a visit", async () => {
    const intro = await call("GET", `/shares/${token}`);
    expect([intro.statusCode, intro.json()]).toEqual([200, { token, sharerName: "Alice", targetType: "product", targetId: productId, campaignId: null, channel: "wechat_friend" }]);
    expect((await call("GET", "/shares/no-such-token")).statusCode).toBe(404);
    expect((await call("GET", "/shares/bad%20token")).statusCode).toBe(400);
    expect(await ctx.deps.db.selectFrom("share_visits").select("id").execute()).toEqual([]);
  });

  it("redirects a click to the product and counts one visit per visitor per dedupe window", async () => {
    const first = await click(token, { "x-device-id": "bob-phone-01" });
    expect([first.statusCode, first.headers.location]).toEqual([302, `/#/products/${productId}?share=${token}`]);
    ctx.clock.advance(HOUR);
    await click(token, { "x-device-id": "bob-phone-01" });
    const browser = await click(token, {});
    const cookie = String(browser.headers["set-cookie"]).split(";")[0];
    expect(cookie).toMatch(/^lb_vid=vid_/);
    await click(token, { cookie });
    await click(token, alice.headers);
    expect((await call("GET", "/s/unknown-token", {})).statusCode).toBe(404);
    await ctx.deps.events.drain();
    const stats = await json("GET", "/me/shares/stats", alice.headers);
    expect(stats.total).toEqual({ shares: 1, visits: 2, clicks: 4, uniqueVisitors: 2, registrations: 0, orders: 0, paidOrders: 0, gmv: 0 });
    const visited = await ctx.deps.db.selectFrom("outbox_events").select("payload").where("type", "=", "share.visited").execute();
    expect(visited.map((e) => e.payload)).toEqual([
      { shareId, sharerId: alice.userId, visitorId: "dev:bob-phone-01" },
      { shareId, sharerId: alice.userId, visitorId: `dev:${cookie.slice("lb_vid=".length)}` },
    ]);
  });

  it("attributes the registration of the device that clicked, and then its order", async () => {
    bob = await register(ctx, { deviceId: "bob-phone-01", displayName: "Bob" });
    const expected = { shareId, sharerId: alice.userId, channel: "wechat_friend", campaignId: null, targetType: "product", targetId: productId };
    expect(await registrationAttribution(ctx.deps.db, bob.userId)).toEqual(expected);
    bobOrder = await order(bob, 2);
    expect(bobOrder.payable).toBe(2 * PRICE);
    expect(await orderAttribution(ctx.deps.db, bobOrder.orderId)).toEqual(expected);
    const events = await ctx.deps.db.selectFrom("outbox_events").select(["type", "payload"]).where("type", "in", ["user.attributed", "order.attributed"]).orderBy("id").execute();
    expect(events).toEqual([
      { type: "user.attributed", payload: { userId: bob.userId, ...expected } },
      { type: "order.attributed", payload: { orderId: bobOrder.orderId, userId: bob.userId, payable: 2 * PRICE, ...expected } },
    ]);
  });

  it("shows the chain behind the order to operators", async () => {
    const chain = await json("GET", `/admin/orders/${bobOrder.orderId}/attribution`, adminH);
    expect(chain).toMatchObject({
      orderId: bobOrder.orderId,
      rule: "last_touch",
      share: { id: shareId, token, channel: "wechat_friend", targetType: "product", targetId: productId },
      sharer: { userId: alice.userId, displayName: "Alice" },
      registration: { userId: bob.userId, displayName: "Bob", attribution: { shareId, sharerId: alice.userId } },
      order: { id: bobOrder.orderId, payable: 2 * PRICE, status: "paid", refundedAmount: 0 },
    });
    expect(chain.visits).toEqual([{ id: expect.stringMatching(/^svt_/), firstAt: "2026-06-01T02:00:00.000Z", lastAt: "2026-06-01T03:00:00.000Z", clicks: 2, deviceId: "bob-phone-01", credited: true }]);
    const none = await call("GET", `/admin/orders/ord_${"0".repeat(26)}/attribution`, adminH);
    expect(none.statusCode).toBe(404);
  });

  it("counts GMV of paid orders net of refunds", async () => {
    const asked = await json("POST", `/orders/${bobOrder.orderId}/aftersales`, bob.headers, { type: "refund_only", items: [{ orderItemId: bobOrder.itemId, qty: 1 }], reasonCode: "other" });
    await json("POST", `/admin/aftersales/${asked.id}/approve`, adminH, {});
    await ctx.deps.events.drain();
    const unpaid = await order(bob, 1, false);
    expect(await orderAttribution(ctx.deps.db, unpaid.orderId)).toMatchObject({ shareId });
    const stats = await json("GET", "/me/shares/stats", alice.headers);
    expect(stats.total).toEqual({ shares: 1, visits: 2, clicks: 4, uniqueVisitors: 2, registrations: 1, orders: 2, paidOrders: 1, gmv: PRICE });
    expect(stats.rows).toEqual([{ key: "wechat_friend", ...stats.total }]);
  });

  it("attributes nothing to a sharer's own order", async () => {
    const own = await order(alice);
    expect(await orderAttribution(ctx.deps.db, own.orderId)).toBe(null);
  });
});

describe("attribution rule and window", () => {
  let first: Person;
  let second: Person;
  let firstToken: string;
  let secondToken: string;
  const campaignId = `cmp_${"1".repeat(26)}`;

  it("credits the last touch by default and the first touch when operators choose it", async () => {
    first = await register(ctx, { displayName: "First" });
    second = await register(ctx, { displayName: "Second" });
    firstToken = (await share(first, "wechat_moments", campaignId)).token;
    secondToken = (await share(second, "douyin", campaignId)).token;
    const carol = await register(ctx, { displayName: "Carol" });
    await click(firstToken, carol.headers);
    ctx.clock.advance(HOUR);
    await click(secondToken, carol.headers);
    const last = await order(carol);
    expect((await orderAttribution(ctx.deps.db, last.orderId))?.sharerId).toBe(second.userId);

    expect(await json("PUT", "/admin/sharing/settings", adminH, { rule: "first_touch" })).toEqual({ windowDays: 7, rule: "first_touch", visitDedupeHours: 24 });
    const firstTouch = await order(carol);
    expect((await orderAttribution(ctx.deps.db, firstTouch.orderId))?.sharerId).toBe(first.userId);
    await json("PUT", "/admin/sharing/settings", adminH, { rule: "last_touch" });
    expect(await json("GET", "/admin/sharing/settings", adminH)).toEqual({ windowDays: 7, rule: "last_touch", visitDedupeHours: 24 });
  });

  it("lets a touch lapse after the window", async () => {
    await click(firstToken, { "x-device-id": "dan-phone-001" });
    ctx.clock.advance(6 * DAY);
    const dan = await register(ctx, { deviceId: "dan-phone-001" });
    expect((await registrationAttribution(ctx.deps.db, dan.userId))?.sharerId).toBe(first.userId);
    ctx.clock.advance(2 * DAY);
    const late = await order(dan);
    expect(await orderAttribution(ctx.deps.db, late.orderId)).toBe(null);

    await click(secondToken, { "x-device-id": "eve-phone-001" });
    ctx.clock.advance(8 * DAY);
    const eve = await register(ctx, { deviceId: "eve-phone-001" });
    expect(await registrationAttribution(ctx.deps.db, eve.userId)).toBe(null);
    const viaToken = await register(ctx, { shareToken: secondToken });
    expect((await registrationAttribution(ctx.deps.db, viaToken.userId))?.sharerId).toBe(second.userId);
  });

  it("reports the funnel per channel, campaign and sharer with exact figures", async () => {
    // The clock moved past the first operator session.
    adminH = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
    const byChannel = await json("GET", `/admin/shares/stats?campaignId=${campaignId}&groupBy=channel`, adminH);
    expect(byChannel.total).toEqual({ shares: 2, visits: 4, clicks: 4, uniqueVisitors: 3, registrations: 2, orders: 2, paidOrders: 2, gmv: 2 * PRICE });
    expect(byChannel.rows).toEqual([
      { key: "douyin", shares: 1, visits: 2, clicks: 2, uniqueVisitors: 2, registrations: 1, orders: 1, paidOrders: 1, gmv: PRICE },
      { key: "wechat_moments", shares: 1, visits: 2, clicks: 2, uniqueVisitors: 2, registrations: 1, orders: 1, paidOrders: 1, gmv: PRICE },
    ]);
    const bySharer = await json("GET", `/admin/shares/stats?groupBy=sharer&channel=douyin`, adminH);
    expect(bySharer.rows).toEqual([{ ...byChannel.rows[0], key: second.userId }]);
    const byCampaign = await json("GET", "/admin/shares/stats?groupBy=campaign", adminH);
    expect(byCampaign.rows.map((r: { key: string | null; shares: number; gmv: number }) => [r.key, r.shares, r.gmv])).toEqual([
      [campaignId, 2, 2 * PRICE],
      [null, 1, PRICE],
    ]);
    const forbidden = await call("GET", "/admin/shares/stats", first.headers);
    expect(forbidden.statusCode).toBe(403);
  });
});

describe("concurrent clicks", () => {
  it("counts simultaneous clicks of one visitor as one visit", async () => {
    const zoe = await register(ctx);
    const { token } = await share(zoe, "link");
    const clicks = await Promise.all(Array.from({ length: 8 }, () => click(token, { "x-device-id": "zz-device-01" })));
    expect(clicks.map((c) => c.statusCode)).toEqual(Array(8).fill(302));
    const stats = await json("GET", "/me/shares/stats", zoe.headers);
    expect([stats.total.visits, stats.total.clicks, stats.total.uniqueVisitors]).toEqual([1, 8, 1]);
  });
});

// Last: it moves the clock an hour.
describe("click limits", () => {
  const from = (device: string, ip: string) => ctx.app.inject({ method: "GET", url: `/s/${limitToken}`, headers: { "x-device-id": device }, remoteAddress: ip });
  let sharer: Person;
  let limitToken: string;

  it("redirects every click but stops counting a device's clicks past 30 an hour", async () => {
    sharer = await register(ctx);
    limitToken = (await share(sharer, "link")).token;
    const codes = [];
    for (let i = 0; i < CLICK_LIMITS.perDeviceHour + 2; i++) codes.push((await from("busy-device-01", "10.30.0.1")).statusCode);
    expect(codes).toEqual(Array(32).fill(302));
    const stats = await json("GET", "/me/shares/stats", sharer.headers);
    expect([stats.total.visits, stats.total.clicks]).toEqual([1, 30]);
  });

  it("records no visit and credits no sign-up for a click from an IP past 300 an hour", async () => {
    // Ten colleagues behind one office address, thirty clicks each: the address's limit exactly.
    await Promise.all(
      Array.from({ length: 10 }, async (_, d) => {
        for (let i = 0; i < 30; i++) await from(`office-device-${d}`, "10.30.0.2");
      }),
    );
    const late = await from("late-device-01", "10.30.0.2");
    expect([late.statusCode, late.headers.location]).toEqual([302, `/#/products/${productId}?share=${limitToken}`]);
    await ctx.deps.events.drain();
    const stats = await json("GET", "/me/shares/stats", sharer.headers);
    expect([stats.total.visits, stats.total.clicks, stats.total.uniqueVisitors]).toEqual([11, 330, 11]);
    const visitor = await register(ctx, { deviceId: "late-device-01" });
    expect(await registrationAttribution(ctx.deps.db, visitor.userId)).toBe(null);
    const visited = await ctx.deps.db.selectFrom("share_visits").select("id").where("device_id", "=", "late-device-01").execute();
    expect(visited).toEqual([]);
  });

  it("counts the device again in the next hour", async () => {
    ctx.clock.advance(HOUR);
    await from("busy-device-01", "10.30.0.1");
    const stats = await json("GET", "/me/shares/stats", sharer.headers);
    expect([stats.total.visits, stats.total.clicks]).toEqual([11, 331]);
  });
});
