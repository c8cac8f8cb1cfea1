import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "../../platform/clock.js";
import { bearer, createTestContext, signInConsumer, signInStaff, type TestContext } from "../../testing/harness.js";
import { buyer, storeSelling } from "../../testing/store.js";

let ctx: TestContext;
let admin: Record<string, string>;
let seq = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = bearer((await signInStaff(ctx, "operator", { permissions: ["catalog"] })).token);
});
afterAll(async () => ctx?.close());

const device = () => `dev-${++seq}-${Date.now()}`;

async function activity(overrides: Record<string, unknown> = {}, skuPrice = 5000) {
  const skuId = await storeSelling(ctx, skuPrice);
  const now = ctx.clock.now().getTime();
  const res = await ctx.app.inject({
    method: "POST",
    url: "/admin/bargain-activities",
    headers: admin,
    payload: { skuId, floorPrice: 1000, helpersNeeded: 3, timeLimitMinutes: 60, earlyPurchase: false, stock: 10, startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + 7 * 24 * HOUR).toISOString(), ...overrides },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; skuId: string; originalPrice: number };
}

async function start(activityId: string, headers: Record<string, string>, deviceId = device()) {
  const res = await ctx.app.inject({ method: "POST", url: `/bargain-activities/${activityId}/bargains`, headers: { ...headers, "x-device-id": deviceId } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

const help = (bargainId: string, token: string, deviceId = device()) =>
  ctx.app.inject({ method: "POST", url: `/bargains/${bargainId}/help`, headers: { ...bearer(token), "x-device-id": deviceId } });

const page = async (bargainId: string, headers: Record<string, string> = {}) => (await ctx.app.inject({ method: "GET", url: `/bargains/${bargainId}`, headers })).json();
const activityOf = async (id: string) => (await ctx.app.inject({ method: "GET", url: `/bargain-activities/${id}` })).json();

async function addressOf(headers: Record<string, string>) {
  return (await ctx.app.inject({ method: "GET", url: "/me/addresses", headers })).json().items[0].id as string;
}

async function pay(headers: Record<string, string>, orderId: string) {
  const started = await ctx.app.inject({ method: "POST", url: "/payments", headers, payload: { orderIds: [orderId], provider: "test" } });
  expect(started.statusCode, started.body).toBe(201);
  const confirm = await ctx.app.inject({ method: "POST", url: `/pay/test/${started.json().paymentId}/confirm` });
  expect(confirm.statusCode).toBeLessThan(400);
  await ctx.deps.events.drain();
}

describe("bargain activities", () => {
  it("refuses more helpers than fen to cut with a 422 naming helpersNeeded", async () => {
    const skuId = await storeSelling(ctx, 5000);
    const res = await ctx.app.inject({
      method: "POST",
      url: "/admin/bargain-activities",
      headers: admin,
      payload: { skuId, originalPrice: 1005, floorPrice: 1000, helpersNeeded: 6, timeLimitMinutes: 60, earlyPurchase: false, stock: 1, startsAt: "2026-06-01T00:00:00Z", endsAt: "2026-06-08T00:00:00Z" },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "bargain_config_invalid", details: [{ field: "helpersNeeded" }] });
  });

  it("refuses a floor at or above the original price, and an original price above the SKU's own", async () => {
    const skuId = await storeSelling(ctx, 5000);
    const base = { skuId, helpersNeeded: 2, timeLimitMinutes: 60, earlyPurchase: false, stock: 1, startsAt: "2026-06-01T00:00:00Z", endsAt: "2026-06-08T00:00:00Z" };
    const atFloor = await ctx.app.inject({ method: "POST", url: "/admin/bargain-activities", headers: admin, payload: { ...base, floorPrice: 5000 } });
    expect(atFloor.statusCode).toBe(422);
    expect(atFloor.json().details).toEqual([{ field: "floorPrice", message: "must be below the original price 5000 fen" }]);
    const inflated = await ctx.app.inject({ method: "POST", url: "/admin/bargain-activities", headers: admin, payload: { ...base, originalPrice: 9900, floorPrice: 100 } });
    expect(inflated.json().details[0].field).toBe("originalPrice");
  });

  it("audits the creation", async () => {
    const a = await activity();
    const row = await ctx.deps.db.selectFrom("audit_log").selectAll().where("entity_id", "=", a.id).executeTakeFirstOrThrow();
    expect(row.action).toBe("bargain_activity.create");
  });
});

describe("the shoppers' list of open activities", () => {
  it("lists active activities within their window with product and units left, and leaves out paused and future ones", async () => {
    const open = await activity({ title: "砍到 10 元", stock: 4 });
    const paused = await activity();
    await ctx.app.inject({ method: "PATCH", url: `/admin/bargain-activities/${paused.id}`, headers: admin, payload: { status: "paused" } });
    const later = await activity({ startsAt: new Date(ctx.clock.now().getTime() + HOUR).toISOString() });
    await start(open.id, (await buyer(ctx)).headers);
    const res = await ctx.app.inject({ method: "GET", url: "/bargain-activities" });
    expect(res.statusCode).toBe(200);
    const listed = res.json() as { items: { id: string }[]; serverTime: string };
    expect(listed.serverTime).toBe(ctx.clock.now().toISOString());
    const ids = listed.items.map((i) => i.id);
    expect([ids.includes(open.id), ids.includes(paused.id), ids.includes(later.id)]).toEqual([true, false, false]);
    const product = (await ctx.deps.db.selectFrom("skus").select("product_id").where("id", "=", open.skuId).executeTakeFirstOrThrow()).product_id;
    expect(listed.items.find((i) => i.id === open.id)).toMatchObject({ title: "砍到 10 元", skuId: open.skuId, productId: product, originalPrice: 5000, floorPrice: 1000, stock: 4, reserved: 1, unitsLeft: 3, status: "active" });
  });
});

describe("the operators' list of bargains", () => {
  it("shows each bargain of an activity with its owner, price so far and helpers so far, filtered by status", async () => {
    const a = await activity();
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    expect((await help(b.id, (await signInConsumer(ctx)).token)).statusCode).toBe(200);
    const current = (await page(b.id)).currentPrice;
    const listed = (await ctx.app.inject({ method: "GET", url: `/admin/bargains?activityId=${a.id}`, headers: admin })).json();
    expect(listed).toEqual({
      items: [
        {
          id: b.id,
          activityId: a.id,
          ownerId: owner.userId,
          ownerName: `用户${owner.phone.slice(-4)}`,
          status: "bargaining",
          originalPrice: 5000,
          floorPrice: 1000,
          currentPrice: current,
          helpersSoFar: 1,
          helpersNeeded: 3,
          orderId: null,
          createdAt: ctx.clock.now().toISOString(),
          expiresAt: new Date(ctx.clock.now().getTime() + HOUR).toISOString(),
          endedAt: null,
        },
      ],
      nextCursor: null,
    });
    expect(current).toBeLessThan(5000);
    const paid = (await ctx.app.inject({ method: "GET", url: `/admin/bargains?activityId=${a.id}&status=paid`, headers: admin })).json();
    expect(paid.items).toEqual([]);
    const consumer = await ctx.app.inject({ method: "GET", url: "/admin/bargains", headers: owner.headers });
    expect(consumer.statusCode).toBe(403);
  });
});

describe("helping", () => {
  it("cuts the price to the floor exactly with the K-th helper, and shows helpers masked with the countdown", async () => {
    const a = await activity();
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    const friends = [await signInConsumer(ctx), await signInConsumer(ctx), await signInConsumer(ctx)];
    const results = [];
    for (const f of friends) {
      const res = await help(b.id, f.token);
      expect(res.statusCode, res.body).toBe(200);
      results.push(res.json());
    }
    expect(results.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(results.map((r) => r.status)).toEqual(["bargaining", "bargaining", "floor_reached"]);
    expect(results[0].amount + results[1].amount + results[2].amount).toBe(4000);
    expect(results[1].currentPrice).toBeGreaterThan(1000);
    expect(results[2]).toMatchObject({ currentPrice: 1000, remaining: 0 });
    ctx.clock.advance(10 * MINUTE);
    const view = await page(b.id);
    expect(view).toMatchObject({ status: "floor_reached", originalPrice: 5000, floorPrice: 1000, currentPrice: 1000, remaining: 0, cutTotal: 4000, helpersSoFar: 3, helpersNeeded: 3, secondsLeft: 50 * 60, isOwner: false, canOrder: false });
    expect(view.helpers.map((h: { name: string; amount: number }) => [h.name.endsWith("**"), h.amount])).toEqual(results.map((r) => [true, r.amount]));
    expect(view.serverTime).toBe(ctx.clock.now().toISOString());
    const late = await help(b.id, (await signInConsumer(ctx)).token);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("floor_reached");
  });

  it("lets no one help twice, nor the owner, nor the owner's device, nor one device for two people", async () => {
    const a = await activity();
    const owner = await buyer(ctx);
    const ownerDevice = device();
    const b = await start(a.id, owner.headers, ownerDevice);
    const self = await help(b.id, owner.token);
    expect([self.statusCode, self.json().code]).toEqual([409, "own_bargain"]);
    const friend = await signInConsumer(ctx);
    const onOwnersPhone = await help(b.id, friend.token, ownerDevice);
    expect([onOwnersPhone.statusCode, onOwnersPhone.json().code]).toEqual([409, "same_device"]);
    const shared = device();
    expect((await help(b.id, friend.token, shared)).statusCode).toBe(200);
    const again = await help(b.id, friend.token);
    expect([again.statusCode, again.json().code]).toEqual([409, "already_helped"]);
    const otherOnSameDevice = await help(b.id, (await signInConsumer(ctx)).token, shared);
    expect([otherOnSameDevice.statusCode, otherOnSameDevice.json().code]).toEqual([409, "device_already_helped"]);
    expect((await page(b.id)).helpersSoFar).toBe(1);
  });

  it("needs a device id to help (400 naming the header)", async () => {
    const a = await activity();
    const b = await start(a.id, (await buyer(ctx)).headers);
    const res = await ctx.app.inject({ method: "POST", url: `/bargains/${b.id}/help`, headers: bearer((await signInConsumer(ctx)).token) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("x-device-id");
  });

  it("takes exactly K cuts from 20 concurrent helpers and stops at the floor", async () => {
    const a = await activity({ helpersNeeded: 5, floorPrice: 0 });
    const b = await start(a.id, (await buyer(ctx)).headers);
    const friends = await Promise.all(Array.from({ length: 20 }, () => signInConsumer(ctx)));
    const answers = await Promise.all(friends.map((f) => help(b.id, f.token)));
    const ok = answers.filter((r) => r.statusCode === 200).map((r) => r.json());
    expect(ok).toHaveLength(5);
    expect(ok.map((r) => r.seq).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(ok.reduce((s, r) => s + r.amount, 0)).toBe(5000);
    expect(new Set(answers.filter((r) => r.statusCode !== 200).map((r) => `${r.statusCode} ${r.json().code}`))).toEqual(new Set(["409 floor_reached"]));
    expect(await page(b.id)).toMatchObject({ status: "floor_reached", currentPrice: 0, helpersSoFar: 5 });
  });

  it("marks helpers who registered through the owner's share of the bargain as new users", async () => {
    const a = await activity();
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    const share = await ctx.app.inject({ method: "POST", url: "/shares", headers: owner.headers, payload: { targetType: "bargain", targetId: b.id, channel: "wechat_friend" } });
    expect(share.statusCode, share.body).toBe(201);
    const phone = "13800138123";
    await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone } });
    const login = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code: ctx.sms.lastCode(phone)!, shareToken: share.json().token } });
    expect(login.statusCode).toBe(201);
    await ctx.deps.events.drain();
    const newcomer = await help(b.id, login.json().token);
    expect(newcomer.json().newUser).toBe(true);
    const old = await help(b.id, (await signInConsumer(ctx)).token);
    expect(old.json().newUser).toBe(false);
    expect((await page(b.id)).helpers.map((h: { newUser: boolean }) => h.newUser)).toEqual([true, false]);
  });
});

describe("ordering and the deadline", () => {
  it("orders at the floor price, and payment sells the reserved unit", async () => {
    const a = await activity();
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    expect((await activityOf(a.id))).toMatchObject({ reserved: 1, sold: 0 });
    const early = await ctx.app.inject({ method: "POST", url: `/bargains/${b.id}/order`, headers: owner.headers, payload: { addressId: await addressOf(owner.headers) } });
    expect([early.statusCode, early.json().code]).toEqual([409, "floor_not_reached"]);
    for (let i = 0; i < 3; i++) expect((await help(b.id, (await signInConsumer(ctx)).token)).statusCode).toBe(200);
    const placed = await ctx.app.inject({ method: "POST", url: `/bargains/${b.id}/order`, headers: owner.headers, payload: { addressId: await addressOf(owner.headers) } });
    expect(placed.statusCode, placed.body).toBe(201);
    // ¥10 floor + ¥10 shipping (the SKU's ¥50 is below free shipping).
    expect(placed.json().payable).toBe(2000);
    const order = (await ctx.app.inject({ method: "GET", url: `/orders/${placed.json().orderId}`, headers: owner.headers })).json();
    expect(order.adjustments.find((x: { type: string }) => x.type === "bargain")).toMatchObject({ label: "砍价", amount: -4000 });
    expect((await page(b.id, owner.headers))).toMatchObject({ status: "ordered", orderId: placed.json().orderId, canOrder: false });
    await pay(owner.headers, placed.json().orderId);
    expect((await page(b.id)).status).toBe("paid");
    expect(await activityOf(a.id)).toMatchObject({ reserved: 0, sold: 1 });
  });

  it("lets the owner buy early at the current price where the activity allows it", async () => {
    const a = await activity({ earlyPurchase: true, helpersNeeded: 4 });
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    const cut = (await help(b.id, (await signInConsumer(ctx)).token)).json();
    const placed = await ctx.app.inject({ method: "POST", url: `/bargains/${b.id}/order`, headers: owner.headers, payload: { addressId: await addressOf(owner.headers) } });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().payable).toBe(cut.currentPrice + 1000);
    const blocked = await help(b.id, (await signInConsumer(ctx)).token);
    expect([blocked.statusCode, blocked.json().code]).toEqual([409, "bargain_closed"]);
  });

  it("reopens at the floor when the order is cancelled before the deadline", async () => {
    const a = await activity({ helpersNeeded: 1 });
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    await help(b.id, (await signInConsumer(ctx)).token);
    const placed = (await ctx.app.inject({ method: "POST", url: `/bargains/${b.id}/order`, headers: owner.headers, payload: { addressId: await addressOf(owner.headers) } })).json();
    expect((await ctx.app.inject({ method: "POST", url: `/orders/${placed.orderId}/cancel`, headers: owner.headers })).statusCode).toBe(200);
    await ctx.deps.events.drain();
    expect(await page(b.id, owner.headers)).toMatchObject({ status: "floor_reached", orderId: null, canOrder: true });
    expect(await activityOf(a.id)).toMatchObject({ reserved: 1, sold: 0 });
  });

  it("expires at the deadline, gives the unit back and takes no more help; the owner may start again", async () => {
    const a = await activity({ stock: 1 });
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    const other = await ctx.app.inject({ method: "POST", url: `/bargain-activities/${a.id}/bargains`, headers: (await buyer(ctx)).headers });
    expect([other.statusCode, other.json().code]).toEqual([409, "sold_out"]);
    const twice = await ctx.app.inject({ method: "POST", url: `/bargain-activities/${a.id}/bargains`, headers: owner.headers });
    expect([twice.statusCode, twice.json().code]).toEqual([409, "already_bargaining"]);
    await help(b.id, (await signInConsumer(ctx)).token);
    ctx.clock.advance(60 * MINUTE);
    const late = await help(b.id, (await signInConsumer(ctx)).token);
    expect([late.statusCode, late.json().code]).toEqual([409, "bargain_closed"]);
    await ctx.deps.jobs.drain();
    expect(await page(b.id)).toMatchObject({ status: "expired", secondsLeft: 0, helpersSoFar: 1 });
    expect(await activityOf(a.id)).toMatchObject({ reserved: 0, sold: 0 });
    await start(a.id, owner.headers);
  });

  it("expires an ordered bargain whose order is cancelled after the deadline", async () => {
    const a = await activity({ helpersNeeded: 1, paymentMinutes: 30, timeLimitMinutes: 10 });
    const owner = await buyer(ctx);
    const b = await start(a.id, owner.headers);
    await help(b.id, (await signInConsumer(ctx)).token);
    await ctx.app.inject({ method: "POST", url: `/bargains/${b.id}/order`, headers: owner.headers, payload: { addressId: await addressOf(owner.headers) } });
    ctx.clock.advance(15 * MINUTE);
    await ctx.deps.jobs.drain();
    expect((await page(b.id)).status).toBe("ordered");
    ctx.clock.advance(20 * MINUTE);
    await ctx.deps.jobs.drain();
    await ctx.deps.events.drain();
    expect((await page(b.id)).status).toBe("expired");
    expect(await activityOf(a.id)).toMatchObject({ reserved: 0, sold: 0 });
  });
});
