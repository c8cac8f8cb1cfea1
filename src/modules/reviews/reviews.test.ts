import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { type PlacedOrder, ok, shopper, store } from "../aftersales/testing/commerce.js";
import { uploadPng } from "../media/testing/upload.js";

let ctx: TestContext;
let dataDir: string;
let shop: Awaited<ReturnType<typeof store>>;
let alice: Awaited<ReturnType<typeof shopper>>;
let bob: Awaited<ReturnType<typeof shopper>>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-reviews-"));
  ctx = await createTestContext({ config: { dataDir } });
  shop = await store(ctx);
  alice = await shopper(ctx);
  bob = await shopper(ctx);
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function completedOrder(buyer: typeof alice, lines: { skuId: string; qty: number }[]): Promise<PlacedOrder> {
  const order = await buyer.paidOrder(lines);
  await ok(ctx, { method: "POST", url: `/admin/orders/${order.id}/shipments`, headers: shop.merchantH, payload: { carrier: "JD", trackingNo: `JD${order.id.slice(-12)}` } });
  await ok(ctx, { method: "POST", url: `/orders/${order.id}/confirm-receipt`, headers: buyer.headers });
  return order;
}
const review = (buyer: typeof alice, orderId: string, reviews: Record<string, unknown>[]) =>
  ctx.app.inject({ method: "POST", url: `/orders/${orderId}/reviews`, headers: buyer.headers, payload: { reviews } });
const productPage = async (productId: string, query = "") => (await ctx.app.inject({ method: "GET", url: `/products/${productId}/reviews${query}` })).json();
const itemOf = (order: PlacedOrder, skuId: string) => order.items.find((i) => i.skuId === skuId)!.id;

describe("reviewing received items", () => {
  let aliceOrder: PlacedOrder;
  let photoUrl: string;

  it("takes one review per item of a completed order, with photos of the buyer's own", async () => {
    aliceOrder = await completedOrder(alice, [{ skuId: shop.mug.skuId, qty: 1 }, { skuId: shop.fruit.skuId, qty: 1 }]);
    const photo = await uploadPng(ctx, alice.headers);
    photoUrl = photo.url;
    const res = await review(alice, aliceOrder.id, [
      { orderItemId: itemOf(aliceOrder, shop.mug.skuId), rating: 5, text: "杯子很好看", photos: [photo.id] },
      { orderItemId: itemOf(aliceOrder, shop.fruit.skuId), rating: 2, text: "有点不新鲜", anonymous: true },
    ]);
    expect(res.statusCode).toBe(201);
    const [mug, fruit] = res.json();
    expect([mug.rating, mug.photos, mug.anonymous, mug.status, mug.author]).toEqual([5, [photoUrl], false, "visible", expect.any(String)]);
    expect([fruit.rating, fruit.photos, fruit.author, fruit.anonymous]).toEqual([2, [], "匿名用户", true]);

    const again = await review(alice, aliceOrder.id, [{ orderItemId: itemOf(aliceOrder, shop.mug.skuId), rating: 1, text: "改评" }]);
    expect([again.statusCode, again.json().code]).toEqual([409, "already_reviewed"]);
    expect((await ctx.app.inject({ method: "GET", url: `/orders/${aliceOrder.id}/reviews`, headers: alice.headers })).json().map((r: { rating: number }) => r.rating)).toEqual([5, 2]);
  });

  it("refuses reviews of an order not yet received, of someone else's order, and of others' photos", async () => {
    const unshipped = await bob.paidOrder([{ skuId: shop.mug.skuId, qty: 1 }]);
    const early = await review(bob, unshipped.id, [{ orderItemId: unshipped.items[0].id, rating: 5 }]);
    expect([early.statusCode, early.json().code]).toEqual([422, "order_not_completed"]);
    expect((await review(bob, aliceOrder.id, [{ orderItemId: aliceOrder.items[0].id, rating: 1 }])).statusCode).toBe(404);

    const bobOrder = await completedOrder(bob, [{ skuId: shop.mug.skuId, qty: 1 }]);
    const stolen = await review(bob, bobOrder.id, [{ orderItemId: bobOrder.items[0].id, rating: 4, photos: [photoUrl] }]);
    expect([stolen.statusCode, stolen.json().details]).toEqual([400, [{ field: "reviews.0.photos.0", message: "not one of your uploads" }]]);
    const tooMany = await review(bob, bobOrder.id, [{ orderItemId: bobOrder.items[0].id, rating: 4, photos: Array.from({ length: 10 }, () => photoUrl) }]);
    expect(tooMany.statusCode).toBe(400);
    expect((await review(bob, bobOrder.id, [{ orderItemId: bobOrder.items[0].id, rating: 4, text: "还行" }])).statusCode).toBe(201);
  });

  it("shows a product's reviews with the average, the count per star and a photos-only filter, paged", async () => {
    const page = await productPage(shop.mug.productId, "?limit=1");
    expect(page.summary).toEqual({ count: 2, average: 4.5, stars: { "1": 0, "2": 0, "3": 0, "4": 1, "5": 1 }, withPhotos: 1 });
    expect(page.items.map((r: { rating: number; text: string }) => [r.rating, r.text])).toEqual([[4, "还行"]]);
    expect(page.items[0]).not.toHaveProperty("userId");
    const next = await productPage(shop.mug.productId, `?limit=1&after=${page.nextCursor}`);
    expect([next.items.map((r: { rating: number }) => r.rating), next.nextCursor]).toEqual([[5], null]);
    const photos = await productPage(shop.mug.productId, "?photosOnly=true");
    expect(photos.items.map((r: { photos: string[] }) => r.photos)).toEqual([[photoUrl]]);
    expect((await productPage(shop.fruit.productId)).items.map((r: { author: string }) => r.author)).toEqual(["匿名用户"]);
  });
});

describe("moderation", () => {
  it("lets the merchant hide a review with a reason (audited), show it again, and reply", async () => {
    const [fruitReview] = (await ctx.app.inject({ method: "GET", url: `/admin/reviews?productId=${shop.fruit.productId}`, headers: shop.merchantH })).json().items;
    const hidden = await ctx.app.inject({ method: "POST", url: `/admin/reviews/${fruitReview.id}/hide`, headers: shop.merchantH, payload: { reason: "含广告信息" } });
    expect([hidden.json().status, hidden.json().hiddenReason]).toEqual(["hidden", "含广告信息"]);
    expect((await productPage(shop.fruit.productId)).summary).toEqual({ count: 0, average: null, stars: { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 }, withPhotos: 0 });
    const own = (await ctx.app.inject({ method: "GET", url: `/orders/${fruitReview.orderId}/reviews`, headers: alice.headers })).json();
    expect(own.find((r: { id: string }) => r.id === fruitReview.id)).toMatchObject({ status: "hidden", hiddenReason: "含广告信息" });

    await ctx.app.inject({ method: "POST", url: `/admin/reviews/${fruitReview.id}/show`, headers: shop.merchantH });
    const replied = await ctx.app.inject({ method: "POST", url: `/admin/reviews/${fruitReview.id}/reply`, headers: shop.merchantH, payload: { text: "抱歉，已为您补发" } });
    expect([replied.json().reply, replied.json().repliedAt]).toEqual(["抱歉，已为您补发", ctx.clock.now().toISOString()]);
    const publicView = (await productPage(shop.fruit.productId)).items[0];
    expect([publicView.id, publicView.reply]).toEqual([fruitReview.id, "抱歉，已为您补发"]);

    const audit = await ctx.deps.db.selectFrom("audit_log").select(["action", "before", "after"]).where("entity_id", "=", fruitReview.id).orderBy("id").execute();
    expect(audit).toEqual([
      { action: "review.hide", before: { status: "visible", hidden_reason: null }, after: { status: "hidden", hidden_reason: "含广告信息" } },
      { action: "review.show", before: { status: "hidden", hidden_reason: "含广告信息" }, after: { status: "visible", hidden_reason: null } },
      { action: "review.reply", before: { reply: null, replied_at: null }, after: { reply: "抱歉，已为您补发", replied_at: ctx.clock.now().toISOString() } },
    ]);
  });

  it("lists only the reviews with the stars asked for", async () => {
    const all = (await ctx.app.inject({ method: "GET", url: "/admin/reviews?limit=100", headers: shop.adminH })).json().items as { id: string; rating: number }[];
    const twoStars = all.filter((r) => r.rating === 2).map((r) => r.id);
    expect(twoStars.length).toBeGreaterThan(0);
    expect(twoStars.length).toBeLessThan(all.length);
    const listed = await ctx.app.inject({ method: "GET", url: "/admin/reviews?rating=2&limit=100", headers: shop.adminH });
    expect(listed.json().items.map((r: { id: string }) => r.id)).toEqual(twoStars);
    expect((await ctx.app.inject({ method: "GET", url: "/admin/reviews?rating=6", headers: shop.adminH })).statusCode).toBe(400);
  });

  it("keeps other merchants out (404) and needs the orders permission for operators (403)", async () => {
    const [any] = (await ctx.app.inject({ method: "GET", url: "/admin/reviews", headers: shop.adminH })).json().items;
    const stranger = await signInStaff(ctx, "merchant");
    expect((await ctx.app.inject({ method: "POST", url: `/admin/reviews/${any.id}/hide`, headers: bearer(stranger.token), payload: { reason: "x" } })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: "GET", url: "/admin/reviews", headers: bearer(stranger.token) })).json().items).toEqual([]);
    const finance = await signInStaff(ctx, "operator", { permissions: ["finance"] });
    expect((await ctx.app.inject({ method: "POST", url: `/admin/reviews/${any.id}/hide`, headers: bearer(finance.token), payload: { reason: "x" } })).statusCode).toBe(403);
  });
});
