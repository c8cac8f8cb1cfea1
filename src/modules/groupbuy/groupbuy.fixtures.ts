import { expect } from "vitest";
import { bearer, signInStaff, type TestContext, testPhone } from "../../testing/harness.js";
import { saveAddress } from "../identity/addresses.service.js";
import { createSession, createUser } from "../identity/identity.service.js";
import { availableStock } from "../inventory/inventory.service.js";

/** Test helpers for group buying: an operator, shoppers with an address, activities, paying. */
export async function operatorHeaders(ctx: TestContext) {
  return bearer((await signInStaff(ctx, "operator", { permissions: ["catalog", "orders"] })).token);
}

export type Shopper = Awaited<ReturnType<typeof shopper>>;

let seq = 0;
/** A consumer signed in through the phone-code flow (under a display name), with an address. */
export async function shopper(ctx: TestContext, displayName = "买家") {
  seq += 1;
  const phone = testPhone();
  const remoteAddress = `10.77.${seq % 250}.${Math.floor(seq / 250) + 1}`;
  const sent = await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone }, remoteAddress });
  expect(sent.statusCode, sent.body).toBe(200);
  const login = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code: ctx.sms.lastCode(phone), displayName }, remoteAddress });
  expect(login.statusCode, login.body).toBeLessThan(300);
  const consumer = { token: login.json().token as string, userId: login.json().user.id as string, phone };
  const headers = bearer(consumer.token);
  const address = await ctx.app.inject({
    method: "POST",
    url: "/me/addresses",
    headers,
    payload: { recipient: "李四", phone: consumer.phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: "文三路 1 号" },
  });
  expect(address.statusCode).toBe(201);
  return { ...consumer, headers, addressId: address.json().id as string };
}

/** A shopper for crowd tests: created directly (sign-in itself is tested in identity), with an address. */
export async function crowdShopper(ctx: TestContext): Promise<Shopper> {
  const phone = testPhone();
  const user = await createUser(ctx.deps, ctx.deps.db, { kind: "consumer", displayName: "买家", phone });
  const session = await createSession(ctx.deps, ctx.deps.db, user);
  const address = await saveAddress(ctx.deps, user.id, { recipient: "李四", phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: "文三路 1 号" });
  return { token: session.token, userId: user.id, phone, headers: bearer(session.token), addressId: address.id };
}

export function activityBody(ctx: TestContext, skuId: string, overrides: Record<string, unknown> = {}) {
  const now = ctx.clock.now().getTime();
  return {
    title: "三人团 · 测试商品",
    teamSize: 3,
    fillMinutes: 1440,
    paymentMinutes: 15,
    perUserLimit: 2,
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 7 * 86_400_000).toISOString(),
    platformFillsLastSeat: false,
    skus: [{ skuId, groupPrice: 2990, leaderPrice: 1990, stock: 100 }],
    ...overrides,
  };
}

export async function createActivity(ctx: TestContext, admin: Record<string, string>, skuId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await ctx.app.inject({ method: "POST", url: "/admin/groupbuy/activities", headers: admin, payload: activityBody(ctx, skuId, overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export const seat = (who: Shopper, skuId: string, qty = 1) => ({ skuId, qty, addressId: who.addressId });

export function openTeam(ctx: TestContext, who: Shopper, activityId: string, skuId: string, qty = 1) {
  return ctx.app.inject({ method: "POST", url: `/groupbuy/activities/${activityId}/teams`, headers: who.headers, payload: seat(who, skuId, qty) });
}

export function joinTeam(ctx: TestContext, who: Shopper, teamId: string, skuId: string, qty = 1) {
  return ctx.app.inject({ method: "POST", url: `/groupbuy/teams/${teamId}/join`, headers: who.headers, payload: seat(who, skuId, qty) });
}

/** Pays an order with the test provider and delivers the events that follow. */
export async function pay(ctx: TestContext, who: Shopper, orderId: string): Promise<void> {
  const started = await ctx.app.inject({ method: "POST", url: "/payments", headers: who.headers, payload: { orderIds: [orderId], provider: "test" } });
  expect(started.statusCode, started.body).toBe(201);
  expect((await ctx.app.inject({ method: "POST", url: `/pay/test/${started.json().paymentId}/confirm` })).statusCode).toBeLessThan(400);
  await ctx.deps.events.drain();
}

/** Opens a team and pays the leader's order, so that it can be joined. */
export async function openPaidTeam(ctx: TestContext, leader: Shopper, activityId: string, skuId: string): Promise<{ teamId: string; orderId: string }> {
  const opened = await openTeam(ctx, leader, activityId, skuId);
  expect(opened.statusCode, opened.body).toBe(201);
  await pay(ctx, leader, opened.json().orderId);
  return opened.json();
}

export async function team(ctx: TestContext, teamId: string) {
  return (await ctx.app.inject({ method: "GET", url: `/groupbuy/teams/${teamId}` })).json();
}

/** An order as its buyer sees it (GET /orders/:id). */
export async function buyerOrder(ctx: TestContext, who: Shopper, orderId: string) {
  return (await ctx.app.inject({ method: "GET", url: `/orders/${orderId}`, headers: who.headers })).json();
}

/** Units of a SKU on sale now, over every warehouse. */
export async function available(ctx: TestContext, skuId: string): Promise<number> {
  return (await availableStock(ctx.deps.db, [skuId])).get(skuId)!;
}

/** Units an activity has left to sell. */
export async function stockLeft(ctx: TestContext, activityId: string): Promise<number> {
  return (await ctx.app.inject({ method: "GET", url: `/groupbuy/activities/${activityId}` })).json().skus[0].stockLeft;
}
