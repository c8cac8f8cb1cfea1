import type { InjectOptions } from "fastify";
import { newId } from "../platform/ids.js";
import { bearer, signInConsumer, signInStaff, type TestContext } from "./harness.js";

async function ok<T = any>(ctx: TestContext, req: InjectOptions): Promise<T> {
  const res = await ctx.app.inject(req);
  if (res.statusCode >= 300) throw new Error(`${req.method} ${req.url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/**
 * A store selling one SKU at `price` fen, stocked, set up through the admin API as an operator would.
 * Returns the SKU to order.
 */
const admins = new WeakMap<TestContext, Promise<{ token: string }>>();

export async function storeSelling(ctx: TestContext, price: number): Promise<string> {
  if (!admins.has(ctx)) admins.set(ctx, signInStaff(ctx, "operator"));
  const h = bearer((await admins.get(ctx)!).token);
  const unique = newId("t").slice(-8);
  const merchant = await ok(ctx, { method: "POST", url: "/admin/merchants", headers: h, payload: { name: "测试商贸有限公司", storeName: `店 ${unique}` } });
  const category = await ok(ctx, { method: "POST", url: "/admin/categories", headers: h, payload: { name: `类 ${unique}` } });
  const product = await ok(ctx, {
    method: "POST",
    url: "/admin/products",
    headers: h,
    payload: { merchantId: merchant.id, categoryId: category.id, title: "测试商品", role: "basic", skus: [{ code: `T${price}`, price }] },
  });
  await ok(ctx, { method: "PUT", url: `/admin/products/${product.id}/status`, headers: h, payload: { status: "on_sale" } });
  const skuId = product.skus[0].id as string;
  await ok(ctx, { method: "PUT", url: "/admin/stock", headers: h, payload: { skuId, onHand: 1000, reason: "receipt" } });
  return skuId;
}

/** A signed-in buyer with an address, and a helper that places an unpaid order for `qty` of a SKU. */
export async function buyer(ctx: TestContext) {
  const consumer = await signInConsumer(ctx);
  const h = bearer(consumer.token);
  const address = await ok(ctx, {
    method: "POST",
    url: "/me/addresses",
    headers: h,
    payload: { recipient: "张三", phone: consumer.phone, province: "上海市", city: "上海市", district: "浦东新区", detail: "世纪大道 1 号" },
  });
  return {
    ...consumer,
    headers: h,
    async order(skuId: string, qty = 1): Promise<{ orderId: string; payable: number }> {
      const placed = await ok(ctx, { method: "POST", url: "/orders", headers: h, payload: { items: [{ skuId, qty }], addressId: address.id } });
      return { orderId: placed.orders[0].id, payable: placed.orders[0].payable };
    },
  };
}
