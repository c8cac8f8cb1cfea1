import type { InjectOptions } from "fastify";
import { bearer, signInConsumer, signInStaff, type TestContext, testPhone } from "../../../testing/harness.js";
import { newId } from "../../../platform/ids.js";

/** Calls the API and fails loudly on anything but success: for setting the scene, not for assertions. */
export async function ok<T = any>(ctx: TestContext, req: InjectOptions): Promise<T> {
  const res = await ctx.app.inject(req);
  if (res.statusCode >= 300) throw new Error(`${req.method} ${req.url}: ${res.statusCode} ${res.body}`);
  return (res.body ? res.json() : undefined) as T;
}

let admin: { ctx: TestContext; headers: Record<string, string> } | undefined;

/** An operator's headers, one account per test context. */
export async function adminHeaders(ctx: TestContext): Promise<Record<string, string>> {
  if (admin?.ctx !== ctx) admin = { ctx, headers: bearer((await signInStaff(ctx, "operator")).token) };
  return admin.headers;
}

/** A store set up through the admin API, with its own staff account and a category; `product` adds stocked goods. */
export async function shop(ctx: TestContext) {
  const adminH = await adminHeaders(ctx);
  const unique = newId("t").slice(-8);
  const merchant = await ok(ctx, { method: "POST", url: "/admin/merchants", headers: adminH, payload: { name: "促销测试商贸有限公司", storeName: `促销店 ${unique}` } });
  const staff = await signInStaff(ctx, "merchant", { merchantId: merchant.id });
  const category = await ok(ctx, { method: "POST", url: "/admin/categories", headers: adminH, payload: { name: `类 ${unique}` } });
  return {
    adminH,
    merchantId: merchant.id as string,
    merchantH: bearer(staff.token),
    categoryId: category.id as string,
    async product(title: string, price: number, categoryId: string = category.id): Promise<{ productId: string; skuId: string }> {
      const p = await ok(ctx, { method: "POST", url: "/admin/products", headers: adminH, payload: { merchantId: merchant.id, categoryId, title, role: "basic", skus: [{ code: `${title}${price}`, price }] } });
      await ok(ctx, { method: "PUT", url: `/admin/products/${p.id}/status`, headers: adminH, payload: { status: "on_sale" } });
      await ok(ctx, { method: "PUT", url: "/admin/stock", headers: adminH, payload: { skuId: p.skus[0].id, onHand: 1000, reason: "receipt" } });
      return { productId: p.id, skuId: p.skus[0].id };
    },
  };
}

export type Lines = { skuId: string; qty: number }[];

/** A signed-in consumer with an address who previews, places and pays orders. */
export async function shopper(ctx: TestContext, existing?: { token: string; userId: string; phone: string }) {
  const consumer = existing ?? (await signInConsumer(ctx));
  const headers = bearer(consumer.token);
  const address = await ok(ctx, {
    method: "POST",
    url: "/me/addresses",
    headers,
    payload: { recipient: "王五", phone: consumer.phone, province: "广东省", city: "深圳市", district: "南山区", detail: "科技园 1 号" },
  });
  return {
    ...consumer,
    headers,
    addressId: address.id as string,
    preview: (items: Lines, extra: Record<string, unknown> = {}) => ctx.app.inject({ method: "POST", url: "/checkout/preview", headers, payload: { items, ...extra } }),
    place: (items: Lines, extra: Record<string, unknown> = {}) => ctx.app.inject({ method: "POST", url: "/orders", headers, payload: { items, addressId: address.id, ...extra } }),
    /** Pays orders through the test provider and delivers the events that follow. */
    async pay(orderIds: string[]): Promise<void> {
      const payment = await ok(ctx, { method: "POST", url: "/payments", headers, payload: { orderIds, provider: "test" } });
      const confirm = await ctx.app.inject({ method: "POST", url: `/pay/test/${payment.paymentId}/confirm`, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" });
      if (confirm.statusCode !== 303) throw new Error(`test payment: ${confirm.statusCode} ${confirm.body}`);
      await ctx.deps.events.drain();
    },
    /** Places one order for these lines and pays it. */
    async paidOrder(items: Lines, extra: Record<string, unknown> = {}): Promise<{ id: string; payable: number }> {
      const placed = await ctx.app.inject({ method: "POST", url: "/orders", headers, payload: { items, addressId: address.id, ...extra } });
      if (placed.statusCode !== 201) throw new Error(`order: ${placed.statusCode} ${placed.body}`);
      const order = placed.json().orders[0];
      await this.pay([order.id]);
      return { id: order.id, payable: order.payable };
    },
  };
}

/** Registers a new consumer through an invite link's code (the way the H5 store sends it at first sign-in). */
export async function registerInvited(ctx: TestContext, inviterHeaders: Record<string, string>): Promise<{ token: string; userId: string; phone: string }> {
  const { code } = await ok(ctx, { method: "GET", url: "/me/invite", headers: inviterHeaders });
  const phone = testPhone();
  const remoteAddress = `10.77.${phone.slice(-4, -2)}.${phone.slice(-2)}`;
  await ok(ctx, { method: "POST", url: "/auth/sms-codes", payload: { phone }, remoteAddress });
  const login = await ok(ctx, { method: "POST", url: "/auth/consumer/login", payload: { phone, code: ctx.sms.lastCode(phone), inviteCode: code }, remoteAddress });
  await ctx.deps.events.drain();
  return { token: login.token, userId: login.user.id, phone };
}
