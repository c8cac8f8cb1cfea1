import type { InjectOptions } from "fastify";
import { bearer, signInConsumer, signInStaff, type TestContext } from "../../../testing/harness.js";
import { placeOrders } from "../../orders/orders.service.js";

/** Calls the API and fails loudly on anything but success: for setting the scene, not for assertions. */
export async function ok<T = any>(ctx: TestContext, req: InjectOptions): Promise<T> {
  const res = await ctx.app.inject(req);
  if (res.statusCode >= 300) throw new Error(`${req.method} ${req.url}: ${res.statusCode} ${res.body}`);
  return (res.body ? res.json() : undefined) as T;
}

/**
 * A store set up through the admin API: a merchant with its own staff account, a ¥30.00 mug and a
 * ¥49.99 box of fresh fruit that is after-sale exempt, 100 of each in stock.
 */
export async function store(ctx: TestContext) {
  const admin = await signInStaff(ctx, "operator");
  const adminH = bearer(admin.token);
  const merchant = await ok(ctx, { method: "POST", url: "/admin/merchants", headers: adminH, payload: { name: "售后测试商贸有限公司", storeName: "售后测试店" } });
  const staff = await signInStaff(ctx, "merchant", { merchantId: merchant.id });
  const category = await ok(ctx, { method: "POST", url: "/admin/categories", headers: adminH, payload: { name: "日用" } });
  const product = async (title: string, price: number, afterSaleExempt: boolean) => {
    const p = await ok(ctx, {
      method: "POST",
      url: "/admin/products",
      headers: adminH,
      payload: { merchantId: merchant.id, categoryId: category.id, title, role: "basic", afterSaleExempt, skus: [{ code: title, price }] },
    });
    await ok(ctx, { method: "PUT", url: `/admin/products/${p.id}/status`, headers: adminH, payload: { status: "on_sale" } });
    await ok(ctx, { method: "PUT", url: "/admin/stock", headers: adminH, payload: { skuId: p.skus[0].id, onHand: 100, reason: "receipt" } });
    return { productId: p.id as string, skuId: p.skus[0].id as string };
  };
  const mug = await product("马克杯", 3000, false);
  const fruit = await product("鲜果礼盒", 4999, true);
  return {
    adminH,
    merchantId: merchant.id as string,
    merchantH: bearer(staff.token),
    mug,
    fruit,
    async available(skuId: string): Promise<number> {
      return (await ok(ctx, { method: "GET", url: `/admin/stock?skuId=${skuId}`, headers: adminH })).available;
    },
  };
}

export interface PlacedOrder {
  id: string;
  payable: number;
  items: Array<{ id: string; skuId: string; qty: number; lineTotal: number }>;
}

/** A signed-in buyer with an address who can place orders and pay them with the test provider. */
export async function shopper(ctx: TestContext) {
  const consumer = await signInConsumer(ctx);
  const headers = bearer(consumer.token);
  const address = await ok(ctx, {
    method: "POST",
    url: "/me/addresses",
    headers,
    payload: { recipient: "李四", phone: consumer.phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: "文三路 1 号" },
  });
  async function pay(orderId: string): Promise<PlacedOrder> {
    const payment = await ok(ctx, { method: "POST", url: "/payments", headers, payload: { orderIds: [orderId], provider: "test" } });
    const confirm = await ctx.app.inject({ method: "POST", url: `/pay/test/${payment.paymentId}/confirm`, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" });
    if (confirm.statusCode !== 303) throw new Error(`test payment: ${confirm.statusCode} ${confirm.body}`);
    const paid = await ok(ctx, { method: "GET", url: `/orders/${orderId}`, headers });
    if (paid.status !== "paid") throw new Error(`order ${orderId} is ${paid.status} after payment`);
    return { id: paid.id, payable: paid.payable, items: paid.items.map((i: PlacedOrder["items"][number]) => ({ id: i.id, skuId: i.skuId, qty: i.qty, lineTotal: i.lineTotal })) };
  }
  return {
    ...consumer,
    headers,
    /** Places one order for these lines and pays it through the test provider's pay page. */
    async paidOrder(lines: { skuId: string; qty: number }[]): Promise<PlacedOrder> {
      const placed = await ok(ctx, { method: "POST", url: "/orders", headers, payload: { items: lines, addressId: address.id } });
      return pay(placed.orders[0].id);
    },
    /** Like paidOrder, for an order a campaign keeps from shipping until it calls releaseHold. */
    async heldPaidOrder(lines: { skuId: string; qty: number }[], hold: string): Promise<PlacedOrder> {
      const placed = await placeOrders(ctx.deps, { userId: consumer.userId, lines, addressId: address.id, hold });
      return pay(placed.orderIds[0]);
    },
    async order(id: string) {
      return ok(ctx, { method: "GET", url: `/orders/${id}`, headers });
    },
  };
}
