import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { ATTEMPT_LIMITS } from "./attempts.service.js";
import { FLASH_MODULES, attempt, counters, crowd, flashItem, operatorHeaders, settle } from "./flashsale.fixtures.js";

let ctx: TestContext;
let admin: Record<string, string>;
const counterKind = counters().at(-1)!;

beforeAll(async () => {
  ctx = await createTestContext({ modules: FLASH_MODULES, adapters: { flashCounter: counterKind.make().counter } });
  admin = await operatorHeaders(ctx);
});
afterAll(async () => ctx?.close());

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: "GET", url, headers });

async function pay(headers: Record<string, string>, orderId: string) {
  const started = await ctx.app.inject({ method: "POST", url: "/payments", headers, payload: { orderIds: [orderId], provider: "test" } });
  expect(started.statusCode).toBe(201);
  expect((await ctx.app.inject({ method: "POST", url: `/pay/test/${started.json().paymentId}/confirm` })).statusCode).toBeLessThan(400);
  await ctx.deps.events.drain();
}

describe(`flash-sale slots (${counterKind.kind} counter)`, () => {
  it("shows server time and each slot's state with countdowns measured from server time", async () => {
    const now = ctx.clock.now().getTime();
    const mk = async (title: string, opensIn: number, length: number) =>
      (await ctx.app.inject({ method: "POST", url: "/admin/flash/slots", headers: admin, payload: { title, opensAt: new Date(now + opensIn).toISOString(), closesAt: new Date(now + opensIn + length).toISOString() } })).json().id;
    const upcoming = await mk("14:00 场", 90_000, 30 * MINUTE);
    const open = await mk("10:00 场", -5 * MINUTE, 10 * MINUTE);
    const body = (await get("/flash/now")).json();
    expect(body.serverTime).toBe(new Date(now).toISOString());
    const byId = new Map(body.slots.map((s: { id: string }) => [s.id, s]));
    expect(byId.get(upcoming)).toMatchObject({ state: "upcoming", msToOpen: 90_000, msToClose: 90_000 + 30 * MINUTE });
    expect(byId.get(open)).toMatchObject({ state: "open", msToOpen: 0, msToClose: 5 * MINUTE });
    ctx.clock.advance(6 * MINUTE);
    const later = new Map((await get("/flash/now")).json().slots.map((s: { id: string }) => [s.id, s]));
    expect(later.get(open)).toMatchObject({ state: "ended", msToClose: 0 });
    expect(later.get(upcoming)).toMatchObject({ state: "open", msToOpen: 0, msToClose: 90_000 + 24 * MINUTE });
  });

  it("lets operators set items only within the SKU's price and inventory, audits it, and freezes terms once open", async () => {
    const skuId = await storeSelling(ctx, 5000);
    const now = ctx.clock.now().getTime();
    const slot = (await ctx.app.inject({ method: "POST", url: "/admin/flash/slots", headers: admin, payload: { title: "20:00 场", opensAt: new Date(now + MINUTE).toISOString(), closesAt: new Date(now + 2 * MINUTE).toISOString() } })).json();
    const add = (payload: Record<string, unknown>) => ctx.app.inject({ method: "POST", url: `/admin/flash/slots/${slot.id}/items`, headers: admin, payload: { skuId, flashPrice: 990, stock: 10, perUserLimit: 1, ...payload } });
    const tooMany = await add({ stock: 1001 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().details).toEqual([{ field: "stock", message: "only 1000 units of this SKU are available" }]);
    expect((await add({ flashPrice: 5001 })).json().details[0].field).toBe("flashPrice");
    const item = await add({});
    expect(item.statusCode).toBe(201);
    expect(item.json()).toMatchObject({ flashPrice: 990, stock: 10, perUserLimit: 1, paymentMinutes: 5 });
    const patched = await ctx.app.inject({ method: "PATCH", url: `/admin/flash/items/${item.json().id}`, headers: admin, payload: { stock: 20 } });
    expect(patched.json()).toMatchObject({ stock: 20 });
    expect((await get(`/flash/slots/${slot.id}`)).json().items[0]).toMatchObject({ stock: 20, remaining: 20, flashPrice: 990, listPrice: 5000, title: "测试商品" });
    const auditor = bearer((await signInStaff(ctx, "operator")).token);
    const audits = (await get(`/admin/audit-log?entity=flash_item&entityId=${item.json().id}`, auditor)).json();
    expect(audits.items.map((a: { action: string; after: { stock: number } }) => [a.action, a.after.stock])).toEqual([["flash_item.update", 20], ["flash_item.create", 10]]);
    ctx.clock.advance(MINUTE);
    const late = await ctx.app.inject({ method: "PATCH", url: `/admin/flash/items/${item.json().id}`, headers: admin, payload: { stock: 5 } });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("slot_started");
  });
});

describe("buying in a flash sale", () => {
  it("refuses attempts before the slot opens, and without a device id", async () => {
    const { itemId } = await flashItem(ctx, admin, { opensInMs: 10 * MINUTE });
    const [who] = await crowd(ctx, 1);
    const early = await attempt(ctx, who, itemId);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe("slot_not_open");
    const noDevice = await ctx.app.inject({ method: "POST", url: `/flash/items/${itemId}/attempts`, headers: bearer(who.token), payload: { addressId: who.addressId } });
    expect(noDevice.statusCode).toBe(400);
    expect(noDevice.json().details[0].field).toBe("headers.x-device-id");
  });

  it("queues a winning attempt into a pending order at the flash price that waits the item's payment minutes", async () => {
    const { itemId, slotId } = await flashItem(ctx, admin, { price: 19900, flashPrice: 9900, stock: 3, paymentMinutes: 7 });
    const [who] = await crowd(ctx, 1);
    const res = await attempt(ctx, who, itemId);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ attemptId: expect.stringMatching(/^fsa_/), status: "queued" });
    await settle(ctx);
    const polled = (await get(`/flash/attempts/${res.json().attemptId}`, bearer(who.token))).json();
    expect(polled).toMatchObject({ status: "ordered", orderId: expect.stringMatching(/^ord_/), qty: 1 });
    const order = (await get(`/orders/${polled.orderId}`, bearer(who.token))).json();
    expect(order).toMatchObject({ status: "pending_payment", itemsTotal: 19900, discountTotal: 10000 + 1000, payable: 9900, campaign: { type: "flashsale", ref: res.json().attemptId } });
    expect(order.adjustments).toEqual([
      { type: "shipping", label: "运费", amount: 1000 },
      { type: "free_shipping", label: "满99包邮", amount: -1000 },
      { type: "flash_sale", label: "秒杀价", amount: -10000 },
    ]);
    expect(new Date(order.expiresAt).getTime() - new Date(order.createdAt).getTime()).toBe(7 * MINUTE);
    expect((await get(`/flash/slots/${slotId}`)).json().items[0].remaining).toBe(2);
    // Someone else's attempt is not found.
    const [other] = await crowd(ctx, 1);
    expect((await get(`/flash/attempts/${res.json().attemptId}`, bearer(other.token))).statusCode).toBe(404);
  });

  it("cancels an unpaid flash order after its payment minutes and gives the unit and the buyer's count back, once", async () => {
    const { itemId, slotId } = await flashItem(ctx, admin, { stock: 1, perUserLimit: 1 });
    const [first, second] = await crowd(ctx, 2);
    const won = await attempt(ctx, first, itemId);
    expect(won.statusCode).toBe(202);
    expect((await attempt(ctx, second, itemId)).json().code).toBe("sold_out");
    expect((await attempt(ctx, first, itemId)).json().code).toBe("sold_out");
    await settle(ctx);
    ctx.clock.advance(5 * MINUTE);
    await ctx.deps.jobs.drain();
    await ctx.deps.events.drain();
    await ctx.deps.events.drain();
    const attemptNow = (await get(`/flash/attempts/${won.json().attemptId}`, bearer(first.token))).json();
    expect(attemptNow.status).toBe("released");
    expect((await get(`/orders/${attemptNow.orderId}`, bearer(first.token))).json().status).toBe("cancelled");
    expect((await get(`/flash/slots/${slotId}`)).json().items[0].remaining).toBe(1);
    // The first buyer's count went back too: they may try again, and win the returned unit.
    const again = await attempt(ctx, first, itemId);
    expect(again.statusCode).toBe(202);
    await settle(ctx);
    const order = (await get(`/flash/attempts/${again.json().attemptId}`, bearer(first.token))).json().orderId;
    await pay(bearer(first.token), order);
    expect((await get(`/flash/attempts/${again.json().attemptId}`, bearer(first.token))).json().status).toBe("paid");
    const staffView = (await get(`/admin/flash/slots/${slotId}`, admin)).json().items[0];
    expect(staffView).toMatchObject({ remaining: 0, units: { queued: 0, ordered: 0, paid: 1, released: 1, failed: 0 } });
  });

  it("holds a buyer to the per-user limit even when they fire at once", async () => {
    const { itemId } = await flashItem(ctx, admin, { stock: 50, perUserLimit: 2 });
    const [who] = await crowd(ctx, 1);
    const results = await Promise.all(Array.from({ length: 8 }, () => attempt(ctx, who, itemId)));
    expect(results.filter((r) => r.statusCode === 202)).toHaveLength(2);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(Array(6).fill("limit_reached"));
    await settle(ctx);
  });

  it("answers 429 with Retry-After past the attempts a user may send in a window", async () => {
    const { itemId } = await flashItem(ctx, admin, { stock: 5, perUserLimit: 1 });
    const [who] = await crowd(ctx, 1);
    const codes: number[] = [];
    for (let i = 0; i < ATTEMPT_LIMITS.perUser + 1; i++) codes.push((await attempt(ctx, who, itemId)).statusCode);
    expect(codes).toEqual([202, ...Array(ATTEMPT_LIMITS.perUser - 1).fill(409), 429]);
    const limited = await attempt(ctx, who, itemId);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(ATTEMPT_LIMITS.windowMs / 1000);
    await settle(ctx);
  });

  it("fails an attempt whose order cannot be placed and returns its unit", async () => {
    const { itemId, slotId, skuId } = await flashItem(ctx, admin, { stock: 2, perUserLimit: 1 });
    // The merchant's inventory runs dry after the slot was set up.
    expect((await ctx.app.inject({ method: "PUT", url: "/admin/stock", headers: admin, payload: { skuId, onHand: 0, reason: "adjustment" } })).statusCode).toBeLessThan(300);
    const [who] = await crowd(ctx, 1);
    const res = await attempt(ctx, who, itemId);
    expect(res.statusCode).toBe(202);
    await settle(ctx);
    const polled = (await get(`/flash/attempts/${res.json().attemptId}`, bearer(who.token))).json();
    expect(polled).toMatchObject({ status: "failed", orderId: null });
    expect(polled.failure).toMatch(/^out_of_stock/);
    expect((await get(`/flash/slots/${slotId}`)).json().items[0].remaining).toBe(2);
  });
});
