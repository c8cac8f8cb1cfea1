import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../platform/auth/principal.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { identityModule } from "../identity/index.js";
import { inventoryModule } from "../inventory/index.js";
import { merchantsModule } from "../merchants/index.js";
import { catalogModule } from "./index.js";
import { setStock } from "../inventory/inventory.service.js";
import { createMerchant } from "../merchants/merchants.service.js";
import { skusForSale } from "./catalog.service.js";

let ctx: TestContext;
let op: string;
let shopA: string;
let shopB: string;
let staffA: string;
let staffB: string;
const cat: Record<string, string> = {};

const call = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, token?: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers: token ? bearer(token) : {}, payload: payload as never });

async function category(name: string, parentId?: string, sort = 0): Promise<string> {
  const res = await call("POST", "/admin/categories", op, { name, parentId, sort });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

async function product(token: string, body: Record<string, unknown>, onSale = true): Promise<{ id: string; skus: { id: string }[] }> {
  const res = await call("POST", "/admin/products", token, { role: "basic", images: ["/uploads/demo/x.svg"], ...body });
  expect(res.statusCode, res.body).toBe(201);
  if (onSale) expect((await call("PUT", `/admin/products/${res.json().id}/status`, token, { status: "on_sale" })).statusCode).toBe(200);
  return res.json();
}

beforeAll(async () => {
  ctx = await createTestContext({ modules: [identityModule, merchantsModule, catalogModule, inventoryModule] });
  op = (await signInStaff(ctx, "operator", { permissions: ["catalog"] })).token;
  await ctx.deps.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    shopA = (await createMerchant(trx, systemActor, { name: "甲公司", storeName: "甲店" }, now)).id;
    shopB = (await createMerchant(trx, systemActor, { name: "乙公司", storeName: "乙店" }, now)).id;
  });
  staffA = (await signInStaff(ctx, "merchant", { merchantId: shopA })).token;
  staffB = (await signInStaff(ctx, "merchant", { merchantId: shopB })).token;
  cat.fresh = await category("生鲜水果", undefined, 1);
  cat.apparel = await category("服饰鞋包", undefined, 2);
  cat.women = await category("女装", cat.apparel, 1);
  cat.men = await category("男装", cat.apparel, 2);
  cat.dresses = await category("连衣裙", cat.women);
  expect((await call("POST", "/admin/attributes", op, { name: "颜色", values: ["红", "黑", "白"], sort: 1 })).statusCode).toBe(201);
  expect((await call("POST", "/admin/attributes", op, { name: "尺码", values: ["S", "M", "L"], sort: 2 })).statusCode).toBe(201);
  expect((await call("POST", "/admin/attributes", op, { name: "规格", values: [] })).statusCode).toBe(201);
});
afterAll(async () => ctx?.close());

describe("categories", () => {
  it("serves the tree, siblings in sort order", async () => {
    const tree = (await call("GET", "/categories")).json().items;
    const shape = (nodes: { name: string; children: unknown[] }[]): unknown => nodes.map((n) => [n.name, shape(n.children as never)]);
    expect(shape(tree)).toEqual([["生鲜水果", []], ["服饰鞋包", [["女装", [["连衣裙", []]]], ["男装", []]]]]);
  });

  it("refuses to move a category under its own descendant, or delete one that is not empty", async () => {
    const loop = await call("PATCH", `/admin/categories/${cat.apparel}`, op, { parentId: cat.dresses });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().details).toEqual([{ field: "parentId", message: "a category cannot move under itself" }]);
    expect((await call("DELETE", `/admin/categories/${cat.women}`, op)).json().code).toBe("category_not_empty");
  });

  it("lists a category's products including its descendants'", async () => {
    const dress = await product(staffA, { categoryId: cat.dresses, title: "碎花连衣裙", skus: [{ code: "D1", specs: { 颜色: "红", 尺码: "M" }, price: 15900 }] });
    const shirt = await product(staffA, { categoryId: cat.men, title: "纯棉衬衫", skus: [{ code: "S1", price: 9900 }] });
    await product(staffA, { categoryId: cat.fresh, title: "赣南脐橙", skus: [{ code: "O1", specs: { 规格: "5斤装" }, price: 3990 }], afterSaleExempt: true });
    const ids = async (url: string) => (await call("GET", url)).json().items.map((p: { id: string }) => p.id);
    expect(await ids(`/products?categoryId=${cat.apparel}`)).toEqual([shirt.id, dress.id]);
    expect(await ids(`/products?categoryId=${cat.women}`)).toEqual([dress.id]);
  });
});

describe("merchant isolation", () => {
  it("hides another store's product from merchant staff as not found, while operators manage all", async () => {
    const mine = await product(staffA, { categoryId: cat.men, title: "甲店T恤", skus: [{ code: "T1", price: 5900 }] }, false);
    const other = `/admin/products/${mine.id}`;
    expect((await call("GET", other, staffB)).statusCode).toBe(404);
    expect((await call("PATCH", other, staffB, { title: "偷改" })).statusCode).toBe(404);
    expect((await call("PUT", `${other}/status`, staffB, { status: "on_sale" })).statusCode).toBe(404);
    expect((await call("POST", `${other}/skus`, staffB, { code: "T2", price: 1 })).statusCode).toBe(404);
    expect((await call("PATCH", `${other}/skus/${mine.skus[0].id}`, staffB, { price: 1 })).statusCode).toBe(404);
    const listB = (await call("GET", "/admin/products", staffB)).json().items;
    expect(listB.some((p: { merchantId: string }) => p.merchantId !== shopB)).toBe(false);
    expect((await call("PATCH", other, op, { title: "平台改名" })).json().title).toBe("平台改名");
    expect((await call("GET", other, staffA)).json().title).toBe("平台改名");
  });

  it("keeps merchant staff to their own store when creating, and operators must name one", async () => {
    const res = await call("POST", "/admin/products", staffB, { merchantId: shopA, categoryId: cat.men, title: "x", role: "basic", skus: [{ code: "X", price: 1 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe("merchantId");
    const opRes = await call("POST", "/admin/products", op, { categoryId: cat.men, title: "x", role: "basic", skus: [{ code: "X", price: 1 }] });
    expect(opRes.json().details[0].field).toBe("merchantId");
  });

  it("audits every staff write with its actor", async () => {
    const staff = await signInStaff(ctx, "merchant", { merchantId: shopB });
    const p = await product(staff.token, { categoryId: cat.men, title: "乙店外套", skus: [{ code: "J1", price: 29900 }] });
    await call("PATCH", `/admin/products/${p.id}/skus/${p.skus[0].id}`, staff.token, { price: 25900 });
    const auditor = (await signInStaff(ctx, "operator", { permissions: ["audit"] })).token;
    const log = (await call("GET", `/admin/audit-log?actorId=${staff.userId}`, auditor)).json().items;
    expect(log.map((e: { action: string }) => e.action)).toEqual(["sku.update", "product.status", "product.create"]);
    expect(log[0]).toMatchObject({ before: { price: 29900 }, after: { price: 25900 } });
  });
});

describe("browsing", () => {
  it("shows only products on sale, pages by price with a cursor, and filters by search and tag", async () => {
    const cheap = await product(staffB, { categoryId: cat.fresh, title: "海南香蕉", tags: ["当季"], skus: [{ code: "B1", price: 1990 }] });
    const mid = await product(staffB, { categoryId: cat.fresh, title: "阳光玫瑰葡萄", tags: ["当季", "爆款"], skus: [{ code: "G1", price: 4990 }, { code: "G2", specs: { 规格: "2斤" }, price: 8990 }] });
    const dear = await product(staffB, { categoryId: cat.fresh, title: "智利车厘子", skus: [{ code: "C1", price: 19900 }] });
    const draft = await product(staffB, { categoryId: cat.fresh, title: "草莓", skus: [{ code: "F1", price: 100 }] }, false);
    const url = `/products?merchantId=${shopB}&categoryId=${cat.fresh}&sort=price_asc&limit=2`;
    const first = (await call("GET", url)).json();
    expect(first.items.map((p: { id: string; priceFrom: number }) => [p.id, p.priceFrom])).toEqual([[cheap.id, 1990], [mid.id, 4990]]);
    const second = (await call("GET", `${url}&after=${encodeURIComponent(first.nextCursor)}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ id: dear.id })], nextCursor: null });
    expect((await call("GET", `/products/${draft.id}`)).statusCode).toBe(404);
    expect((await call("GET", "/products?q=葡萄")).json().items.map((p: { id: string }) => p.id)).toEqual([mid.id]);
    expect((await call("GET", "/products?tag=当季&sort=price_desc")).json().items.map((p: { id: string }) => p.id)).toEqual([mid.id, cheap.id]);
    expect((await call("GET", "/products?after=garbage&sort=price_asc")).statusCode).toBe(400);
  });

  it("shows a product page with specs in attribute order, prices and available stock", async () => {
    const p = await product(staffA, {
      categoryId: cat.women,
      title: "针织开衫",
      skus: [
        { code: "K-BM", specs: { 尺码: "M", 颜色: "黑" }, price: 12900 },
        { code: "K-RS", specs: { 尺码: "S", 颜色: "红" }, price: 12900 },
      ],
    });
    await ctx.deps.db.transaction().execute((trx) => setStock(trx, { skuId: p.skus[0].id, onHand: 7, reason: "receipt" }, ctx.clock.now()));
    const page = (await call("GET", `/products/${p.id}`)).json();
    expect(page.specs).toEqual([{ name: "颜色", values: ["红", "黑"] }, { name: "尺码", values: ["S", "M"] }]);
    expect(page.merchant).toEqual({ id: shopA, storeName: "甲店", logo: null, selfOperated: false });
    expect(page.skus.map((s: { code: string; stock: number; price: number; memberPrice: null }) => [s.code, s.stock, s.price, s.memberPrice])).toEqual([
      ["K-BM", 7, 12900, null],
      ["K-RS", 0, 12900, null],
    ]);
  });
});

describe("price lists in skusForSale", () => {
  it("charges the lowest price that applies: member, channel, tiered by quantity", async () => {
    const p = await product(staffA, { categoryId: cat.men, title: "运动短裤", role: "profit", skus: [{ code: "P1", price: 10000 }] });
    const sku = p.skus[0].id;
    const lists = [
      { name: "会员价", kind: "member", items: [{ skuId: sku, price: 9000 }] },
      { name: "抖音渠道价", kind: "channel", channel: "douyin", items: [{ skuId: sku, price: 8800 }] },
      { name: "批量价", kind: "tiered", items: [{ skuId: sku, price: 9500, minQty: 5 }, { skuId: sku, price: 8500, minQty: 10 }] },
      { name: "天猫会员价", kind: "member", channel: "tmall", items: [{ skuId: sku, price: 7000 }] },
    ];
    for (const l of lists) expect((await call("POST", "/admin/price-lists", op, l)).statusCode).toBe(201);
    const price = async (lines: { skuId: string; qty: number }[], opts?: { channel?: string; member?: boolean }) => (await skusForSale(ctx.deps.db, lines, opts)).get(sku)!.price;
    expect(await price([{ skuId: sku, qty: 1 }])).toBe(10000);
    expect(await price([{ skuId: sku, qty: 1 }], { member: true })).toBe(9000);
    expect(await price([{ skuId: sku, qty: 1 }], { channel: "douyin" })).toBe(8800);
    expect(await price([{ skuId: sku, qty: 4 }])).toBe(10000);
    expect(await price([{ skuId: sku, qty: 5 }])).toBe(9500);
    expect(await price([{ skuId: sku, qty: 3 }, { skuId: sku, qty: 7 }])).toBe(8500);
    expect(await price([{ skuId: sku, qty: 1 }], { channel: "tmall", member: true })).toBe(7000);
    expect(await price([{ skuId: sku, qty: 1 }], { channel: "jd", member: true })).toBe(9000);

    const sale = (await skusForSale(ctx.deps.db, [{ skuId: sku, qty: 1 }])).get(sku)!;
    expect(sale).toEqual({
      skuId: sku,
      productId: p.id,
      merchantId: shopA,
      productTitle: "运动短裤",
      specs: {},
      image: "/uploads/demo/x.svg",
      price: 10000,
      listPrice: 10000,
      afterSaleExempt: false,
      role: "profit",
      categoryId: cat.men,
      onSale: true,
      components: [],
    });
    const page = (await call("GET", `/products/${p.id}`)).json();
    expect(page.skus[0]).toMatchObject({ price: 10000, memberPrice: 9000 });
  });

  it("ignores inactive lists and reports off-sale SKUs and suspended stores as not on sale", async () => {
    const p = await product(staffB, { categoryId: cat.men, title: "帆布鞋", skus: [{ code: "V1", price: 20000 }, { code: "V2", specs: { 颜色: "白" }, price: 21000 }] });
    const [a, b] = p.skus.map((s) => s.id);
    const list = (await call("POST", "/admin/price-lists", op, { name: "会员价2", kind: "member", items: [{ skuId: a, price: 15000 }] })).json();
    await call("PATCH", `/admin/price-lists/${list.id}`, op, { active: false });
    await call("PATCH", `/admin/products/${p.id}/skus/${b}`, staffB, { status: "inactive" });
    const sale = await skusForSale(ctx.deps.db, [{ skuId: a, qty: 1 }, { skuId: b, qty: 1 }, { skuId: "sku_00000000000000000000000000", qty: 1 }], { member: true });
    expect([...sale.keys()].sort()).toEqual([a, b].sort());
    expect([sale.get(a)!.price, sale.get(a)!.onSale, sale.get(b)!.onSale]).toEqual([20000, true, false]);
    await ctx.deps.db.updateTable("merchants").set({ status: "suspended" }).where("id", "=", shopB).execute();
    expect((await skusForSale(ctx.deps.db, [{ skuId: a, qty: 1 }])).get(a)!.onSale).toBe(false);
    expect((await call("GET", `/products/${p.id}`)).statusCode).toBe(404);
    expect((await call("GET", `/products?merchantId=${shopB}`)).json().items).toEqual([]);
    await ctx.deps.db.updateTable("merchants").set({ status: "active" }).where("id", "=", shopB).execute();
  });

  it("sells a bundle at its own price with its components, its stock set by the scarcest component", async () => {
    const tea = await product(staffA, { categoryId: cat.fresh, title: "龙井茶", skus: [{ code: "TEA", price: 6800 }] });
    const cup = await product(staffA, { categoryId: cat.fresh, title: "茶杯", skus: [{ code: "CUP", price: 2000 }] });
    const [teaSku, cupSku] = [tea.skus[0].id, cup.skus[0].id];
    const now = ctx.clock.now();
    await ctx.deps.db.transaction().execute(async (trx) => {
      await setStock(trx, { skuId: teaSku, onHand: 9, reason: "receipt" }, now);
      await setStock(trx, { skuId: cupSku, onHand: 5, reason: "receipt" }, now);
    });
    const gift = await product(staffA, { kind: "bundle", categoryId: cat.fresh, title: "茶礼套装", role: "value_added", skus: [{ code: "GIFT", price: 9900, components: [{ skuId: teaSku, qty: 2 }, { skuId: cupSku, qty: 1 }] }] });
    const sale = (await skusForSale(ctx.deps.db, [{ skuId: gift.skus[0].id, qty: 1 }])).get(gift.skus[0].id)!;
    expect([sale.price, sale.components]).toEqual([9900, [{ skuId: teaSku, qty: 2 }, { skuId: cupSku, qty: 1 }]]);
    expect((await call("GET", `/products/${gift.id}`)).json().skus[0].stock).toBe(4);

    const foreign = (await call("GET", "/admin/products", staffB)).json().items[0].skus[0].id;
    const res = await call("POST", "/admin/products", staffA, { kind: "bundle", categoryId: cat.fresh, title: "混搭", role: "basic", skus: [{ code: "MIX", price: 1, components: [{ skuId: foreign, qty: 1 }] }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: "skus.0.components.0.skuId", message: "no such SKU in this store" }]);
  });
});

describe("validation and lifecycle", () => {
  it("names the field at fault with a 400", async () => {
    const base = { categoryId: cat.women, title: "衬衫", role: "basic", skus: [{ code: "A", price: 100 }] };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, title: undefined }, "title"],
      [{ ...base, role: "premium" }, "role"],
      [{ ...base, skus: [{ code: "A", price: 9.9 }] }, "skus.0.price"],
      [{ ...base, skus: [] }, "skus"],
      [{ ...base, color: "red" }, "color"],
      [{ ...base, skus: [{ code: "A", price: 100, specs: { 颜色: "紫" } }] }, "skus.0.specs.颜色"],
      [{ ...base, skus: [{ code: "A", price: 100, specs: { 材质: "棉" } }] }, "skus.0.specs.材质"],
      [{ ...base, categoryId: "cat_00000000000000000000000000" }, "categoryId"],
      [{ ...base, images: ["javascript:alert(1)"] }, "images.0"],
    ];
    for (const [payload, field] of cases) {
      const res = await call("POST", "/admin/products", staffA, payload);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field), field).toContain(field);
    }
    const list = await call("POST", "/admin/price-lists", op, { name: "渠道", kind: "channel" });
    expect(list.json().details).toEqual([{ field: "channel", message: "a channel price list names its channel" }]);
  });

  it("moves a product along its lifecycle only, and needs an active SKU to sell", async () => {
    const p = await product(staffA, { categoryId: cat.men, title: "围巾", skus: [{ code: "W", price: 3900 }] }, false);
    const status = (s: string) => call("PUT", `/admin/products/${p.id}/status`, staffA, { status: s });
    expect((await status("off_sale")).json().code).toBe("illegal_transition");
    await call("PATCH", `/admin/products/${p.id}/skus/${p.skus[0].id}`, staffA, { status: "inactive" });
    expect((await status("on_sale")).json().code).toBe("no_active_sku");
    await call("PATCH", `/admin/products/${p.id}/skus/${p.skus[0].id}`, staffA, { status: "active" });
    expect((await status("on_sale")).json().status).toBe("on_sale");
    expect((await status("off_sale")).json().status).toBe("off_sale");
    expect((await call("GET", `/products/${p.id}`)).statusCode).toBe(404);
  });
});
