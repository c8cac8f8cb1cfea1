import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { ok, shop, shopper } from "./testing/shop.js";

let ctx: TestContext;
let buyer: Awaited<ReturnType<typeof shopper>>;

beforeAll(async () => {
  ctx = await createTestContext();
  buyer = await shopper(ctx);
});
afterAll(async () => ctx?.close());

const iso = (msFromNow: number) => new Date(ctx.clock.now().getTime() + msFromNow).toISOString();
const window = () => ({ startsAt: iso(-HOUR), endsAt: iso(24 * HOUR) });
const adjustmentsOf = async (items: { skuId: string; qty: number }[]) => {
  const res = await buyer.preview(items);
  if (res.statusCode >= 300) throw new Error(res.body);
  const part = res.json().parts[0];
  return { adjustments: part.adjustments.map((a: { type: string; amount: number; source?: string }) => [a.type, a.amount, a.source ?? null]), payable: part.payable };
};

describe("满减 tiers", () => {
  it("applies the best tier the spend reaches: 满199减20, 满299减40", async () => {
    const s = await shop(ctx);
    const mug = await s.product("马克杯", 10000);
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "full_reduction", name: "店庆", tiers: [{ threshold: 29900, off: 4000 }, { threshold: 19900, off: 2000 }], ...window() } });

    expect(await adjustmentsOf([{ skuId: mug.skuId, qty: 1 }])).toEqual({ adjustments: [["shipping", 1000, null], ["free_shipping", -1000, null]], payable: 10000 });
    const two = await adjustmentsOf([{ skuId: mug.skuId, qty: 2 }]);
    expect(two.adjustments.slice(2).map((a: unknown[]) => a.slice(0, 2))).toEqual([["full_reduction", -2000]]);
    expect(two.payable).toBe(18000);
    const three = await adjustmentsOf([{ skuId: mug.skuId, qty: 3 }]);
    expect(three.adjustments.slice(2).map((a: unknown[]) => a.slice(0, 2))).toEqual([["full_reduction", -4000]]);
    expect(three.payable).toBe(26000);
  });

  it("counts only the goods in scope: a category-scoped 满减 ignores other categories", async () => {
    const s = await shop(ctx);
    const other = await ok(ctx, { method: "POST", url: "/admin/categories", headers: s.adminH, payload: { name: `其他 ${s.merchantId.slice(-6)}` } });
    const tea = await s.product("茶叶", 15000);
    const cup = await s.product("茶杯", 10000, other.id);
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.adminH, payload: { kind: "full_reduction", name: "茶季", merchantId: s.merchantId, scope: "categories", scopeIds: [s.categoryId], tiers: [{ threshold: 19900, off: 2000 }], ...window() } });
    // ¥250 in the cart, but only ¥150 of tea is in scope: no 满减.
    expect((await adjustmentsOf([{ skuId: tea.skuId, qty: 1 }, { skuId: cup.skuId, qty: 1 }])).payable).toBe(25000);
    expect((await adjustmentsOf([{ skuId: tea.skuId, qty: 2 }])).payable).toBe(28000);
  });

  it("refuses a tier that takes off more than its threshold, naming the field", async () => {
    const s = await shop(ctx);
    const res = await ctx.app.inject({ method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "full_reduction", name: "坏", tiers: [{ threshold: 1000, off: 2000 }], ...window() } });
    expect([res.statusCode, res.json().details]).toEqual([400, [{ field: "tiers.0.off", message: "must be more than 0 and at most the threshold" }]]);
  });
});

describe("满赠 gifts", () => {
  it("lists the gift SKU at ¥0 once the threshold is met, and reserves none of its stock", async () => {
    const s = await shop(ctx);
    const wine = await s.product("红酒", 8000);
    const opener = await s.product("开瓶器", 1500);
    const created = await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "gift", name: "买酒送开瓶器", threshold: 15000, giftSkuId: opener.skuId, giftQty: 1, ...window() } });
    expect([created.merchantId, created.giftSkuId, created.giftQty]).toEqual([s.merchantId, opener.skuId, 1]);

    expect((await adjustmentsOf([{ skuId: wine.skuId, qty: 1 }])).adjustments.filter((a: unknown[]) => a[0] === "gift")).toEqual([]);
    const two = await buyer.preview([{ skuId: wine.skuId, qty: 2 }]);
    const gift = two.json().parts[0].adjustments.find((a: { type: string }) => a.type === "gift");
    expect(gift).toEqual({ type: "gift", label: "买酒送开瓶器 满150赠 开瓶器 ×1", amount: 0, source: opener.skuId });
    expect(two.json().parts[0].payable).toBe(16000);

    const placed = await buyer.place([{ skuId: wine.skuId, qty: 2 }]);
    expect(placed.json().orders[0].adjustments.map((a: { type: string; amount: number }) => [a.type, a.amount])).toEqual([["shipping", 1000], ["free_shipping", -1000], ["gift", 0]]);
    const stock = await ok(ctx, { method: "GET", url: `/admin/stock?skuId=${opener.skuId}`, headers: s.adminH });
    expect(stock.available).toBe(1000);
  });

  it("will not let merchant staff give away another store's SKU", async () => {
    const mine = await shop(ctx);
    const theirs = await shop(ctx);
    const sku = await theirs.product("别家的货", 1000);
    const res = await ctx.app.inject({ method: "POST", url: "/admin/promotions", headers: mine.merchantH, payload: { kind: "gift", name: "偷", threshold: 100, giftSkuId: sku.skuId, ...window() } });
    expect(res.statusCode).toBe(403);
  });
});

describe("limited-time price", () => {
  it("cuts the price only inside its window, shown as the negative difference", async () => {
    const s = await shop(ctx);
    const pan = await s.product("平底锅", 10000);
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "limited_price", name: "秒杀", skuId: pan.skuId, price: 8000, startsAt: iso(HOUR), endsAt: iso(2 * HOUR) } });
    expect((await adjustmentsOf([{ skuId: pan.skuId, qty: 2 }])).payable).toBe(20000);
    ctx.clock.advance(HOUR);
    const inside = await adjustmentsOf([{ skuId: pan.skuId, qty: 2 }]);
    expect(inside).toEqual({ adjustments: [["shipping", 1000, null], ["free_shipping", -1000, null], ["limited_time_price", -4000, pan.skuId]], payable: 16000 });
    ctx.clock.advance(HOUR);
    expect((await adjustmentsOf([{ skuId: pan.skuId, qty: 2 }])).payable).toBe(20000);
  });
});

describe("stacking", () => {
  it("applies limited-time price before 满减: the tier is judged on the lowered price", async () => {
    const s = await shop(ctx);
    const kettle = await s.product("水壶", 15000);
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "full_reduction", name: "满减", tiers: [{ threshold: 19900, off: 2000 }, { threshold: 29900, off: 4000 }], ...window() } });
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "limited_price", name: "限时", skuId: kettle.skuId, price: 14000, ...window() } });
    // ¥300 at list price would reach 满299减40; at ¥280 after the limited-time price only 满199减20.
    expect(await adjustmentsOf([{ skuId: kettle.skuId, qty: 2 }])).toMatchObject({
      adjustments: [["shipping", 1000, null], ["free_shipping", -1000, null], ["limited_time_price", -2000, kettle.skuId], ["full_reduction", -2000, expect.stringMatching(/^prm_/)]],
      payable: 26000,
    });
  });
});

describe("campaign purchases", () => {
  it("adds no store promotion to a group-buy price: the campaign price is the offer", async () => {
    const s = await shop(ctx);
    const kettle = await s.product("团购水壶", 19900);
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "full_reduction", name: "满减", tiers: [{ threshold: 19900, off: 2000 }], ...window() } });
    // At list price the same goods reach 满199减20 …
    expect((await adjustmentsOf([{ skuId: kettle.skuId, qty: 1 }])).payable).toBe(17900);
    // … but opened as a team at ¥9.90 they pay ¥9.90 plus what the campaign adds, never less.
    const activity = await ok(ctx, {
      method: "POST",
      url: "/admin/groupbuy/activities",
      headers: s.adminH,
      payload: { title: "两人团 · 水壶", teamSize: 2, fillMinutes: 1440, paymentMinutes: 15, perUserLimit: 2, ...window(), platformFillsLastSeat: false, skus: [{ skuId: kettle.skuId, groupPrice: 990, leaderPrice: 990, stock: 10 }] },
    });
    const team = await ok(ctx, { method: "POST", url: `/groupbuy/activities/${activity.id}/teams`, headers: buyer.headers, payload: { skuId: kettle.skuId, qty: 1, addressId: buyer.addressId } });
    const order = await ok(ctx, { method: "GET", url: `/orders/${team.orderId}`, headers: buyer.headers });
    expect(order.adjustments.map((a: { type: string }) => a.type)).not.toContain("full_reduction");
    expect(order.payable).toBeGreaterThanOrEqual(990);
  });
});

describe("admin", () => {
  it("keeps merchant staff to their own promotions and audits every change", async () => {
    const s = await shop(ctx);
    const other = await shop(ctx);
    const promo = await ok(ctx, { method: "POST", url: "/admin/promotions", headers: s.merchantH, payload: { kind: "full_reduction", name: "满减", tiers: [{ threshold: 10000, off: 500 }], ...window() } });
    expect((await ctx.app.inject({ method: "GET", url: `/admin/promotions/${promo.id}`, headers: other.merchantH })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: "PATCH", url: `/admin/promotions/${promo.id}`, headers: other.merchantH, payload: { status: "disabled" } })).statusCode).toBe(404);
    const disabled = await ok(ctx, { method: "PATCH", url: `/admin/promotions/${promo.id}`, headers: s.merchantH, payload: { status: "disabled" } });
    expect(disabled.status).toBe("disabled");
    const support = await signInStaff(ctx, "operator", { permissions: ["orders"] });
    expect((await ctx.app.inject({ method: "DELETE", url: `/admin/promotions/${promo.id}`, headers: bearer(support.token) })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: "DELETE", url: `/admin/promotions/${promo.id}`, headers: s.adminH })).statusCode).toBe(204);
    const log = await ctx.deps.db.selectFrom("audit_log").select("action").where("entity_id", "=", promo.id).orderBy("id").execute();
    expect(log.map((l) => l.action)).toEqual(["promotion.create", "promotion.update", "promotion.delete"]);
  });
});
