import type { LightMyRequestResponse } from "fastify";
import { MINUTE } from "../../platform/clock.js";
import { newId } from "../../platform/ids.js";
import { bearer, signInStaff, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { saveAddress } from "../identity/addresses.service.js";
import { createSession, createUser } from "../identity/identity.service.js";
import { type FlashCounter, MemoryFlashCounter } from "./counter.js";
import { RedisFlashCounter } from "./counter.redis.js";
import { InProcessFlashQueue } from "./queue.js";
import type { Module } from "../../module.js";
import { catalogModule } from "../catalog/index.js";
import { identityModule } from "../identity/index.js";
import { inventoryModule } from "../inventory/index.js";
import { merchantsModule } from "../merchants/index.js";
import { ordersModule } from "../orders/index.js";
import { paymentsModule } from "../payments/index.js";
import { flashsaleModule } from "./index.js";

/** Test helpers for flash sales: cheap crowds of buyers, a slot with one item, attempts, waiting for the queue. */

/**
 * The commerce core a flash sale needs and nothing else: fewer migrations per test file, and the
 * crowd tests measure this module, not every subscriber of `order.paid`.
 */
export const FLASH_MODULES: Module[] = [identityModule, merchantsModule, catalogModule, inventoryModule, ordersModule, flashsaleModule, paymentsModule];

export interface Shopper {
  userId: string;
  token: string;
  addressId: string;
  ip: string;
  deviceId: string;
}

/** `n` consumers with sessions and an address each, created through identity's services (no SMS round trip). */
export async function crowd(ctx: TestContext, n: number): Promise<Shopper[]> {
  const made = await ctx.deps.db.transaction().execute(async (trx) => {
    const out: Array<{ userId: string; token: string }> = [];
    for (let i = 0; i < n; i++) {
      const user = await createUser(ctx.deps, trx, { kind: "consumer", displayName: `买家${i}` });
      out.push({ userId: user.id, token: (await createSession(ctx.deps, trx, user)).token });
    }
    return out;
  });
  const shoppers: Shopper[] = [];
  for (const [i, m] of made.entries()) {
    const address = await saveAddress(ctx.deps, m.userId, { recipient: `买家${i}`, phone: "13800138000", province: "上海市", city: "上海市", district: "浦东新区", detail: `世纪大道 ${i} 号` });
    shoppers.push({ ...m, addressId: address.id, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, deviceId: `dev-${m.userId.slice(-12)}` });
  }
  return shoppers;
}

export async function operatorHeaders(ctx: TestContext) {
  return bearer((await signInStaff(ctx, "operator", { permissions: ["catalog"] })).token);
}

export interface FlashItemSetup {
  price?: number;
  flashPrice?: number;
  stock?: number;
  perUserLimit?: number;
  paymentMinutes?: number;
  /** When the slot opens, relative to the test clock (negative: already open). */
  opensInMs?: number;
  lengthMs?: number;
}

/** A slot with one item, set up through the admin API; the slot opens when asked (open now by default). */
export async function flashItem(ctx: TestContext, admin: Record<string, string>, s: FlashItemSetup = {}) {
  const skuId = await storeSelling(ctx, s.price ?? 19900);
  const now = ctx.clock.now().getTime();
  const opensIn = s.opensInMs ?? MINUTE;
  const slot = await ctx.app.inject({
    method: "POST",
    url: "/admin/flash/slots",
    headers: admin,
    payload: { title: "20:00 场", opensAt: new Date(now + opensIn).toISOString(), closesAt: new Date(now + opensIn + (s.lengthMs ?? 60 * MINUTE)).toISOString() },
  });
  if (slot.statusCode !== 201) throw new Error(`slot: ${slot.body}`);
  const item = await ctx.app.inject({
    method: "POST",
    url: `/admin/flash/slots/${slot.json().id}/items`,
    headers: admin,
    payload: { skuId, flashPrice: s.flashPrice ?? 9900, stock: s.stock ?? 10, perUserLimit: s.perUserLimit ?? 1, ...(s.paymentMinutes ? { paymentMinutes: s.paymentMinutes } : {}) },
  });
  if (item.statusCode !== 201) throw new Error(`item: ${item.body}`);
  // Created before its opening (terms are fixed from then on); the default moves the clock into the sale.
  if (s.opensInMs === undefined) ctx.clock.advance(MINUTE);
  return { slotId: slot.json().id as string, itemId: item.json().id as string, skuId };
}

export function attempt(ctx: TestContext, who: Shopper, itemId: string, qty = 1): Promise<LightMyRequestResponse> {
  return ctx.app.inject({
    method: "POST",
    url: `/flash/items/${itemId}/attempts`,
    headers: { ...bearer(who.token), "x-device-id": who.deviceId },
    remoteAddress: who.ip,
    payload: { addressId: who.addressId, qty },
  });
}

/** Waits until no attempt is queued in the database (whatever queue carries them). */
export async function settle(ctx: TestContext, timeoutMs = 20_000): Promise<void> {
  const queue = ctx.deps.adapters.flashQueue;
  if (queue instanceof InProcessFlashQueue) await queue.idle();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queued = await ctx.deps.db.selectFrom("flash_attempts").select("id").where("status", "=", "queued").limit(1).execute();
    if (queued.length === 0) return;
    if (Date.now() > deadline) throw new Error("flash attempts still queued");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The counter kinds this run can test: in-process always, Redis when TEST_REDIS_URL is set (under a unique prefix). */
export function counters(): Array<{ kind: string; make: () => { counter: FlashCounter; reopen: () => FlashCounter } }> {
  const url = process.env.TEST_REDIS_URL;
  const memory = () => {
    const counter = new MemoryFlashCounter();
    return { counter, reopen: () => counter };
  };
  const redis = (redisUrl: string) => () => {
    const prefix = `lbt:${newId("t")}:`;
    return { counter: new RedisFlashCounter(redisUrl, prefix), reopen: () => new RedisFlashCounter(redisUrl, prefix) };
  };
  return [{ kind: "in-process", make: memory }, ...(url ? [{ kind: "redis", make: redis(url) }] : [])];
}
