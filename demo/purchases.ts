import { approveRequest, openRequest, receiveReturn, refundRequest, sendBack } from "../src/modules/aftersales/aftersales.service.js";
import { claimCoupon, type CouponView } from "../src/modules/coupons/coupons.service.js";
import { saveAddress } from "../src/modules/identity/addresses.service.js";
import { confirmReceipt, getOrder, listOrders, placeOrders } from "../src/modules/orders/orders.service.js";
import { handleNotification, startPayment } from "../src/modules/payments/payments.service.js";
import type { TestPaymentProvider } from "../src/modules/payments/providers/test-provider.js";
import { postReviews } from "../src/modules/reviews/reviews.service.js";
import type { CarrierCode } from "../src/modules/shipping/carriers.js";
import { createShipment } from "../src/modules/shipping/shipping.service.js";
import type { Actor } from "../src/platform/auth/principal.js";
import type { Trail } from "./browsing.js";
import type { DemoCoupon } from "./campaigns.js";
import type { CatalogProduct } from "./catalog.js";
import type { Shopper, Town } from "./town.js";

const consumerActor = (s: Shopper): Actor => ({ userId: s.userId, kind: "consumer", merchantId: null, requestId: null });

export async function addressOf(town: Town, s: Shopper): Promise<string> {
  s.addressId ??= (await saveAddress(town.deps, s.userId, s.address)).id;
  return s.addressId;
}

/** Everyday goods sell most, the big-ticket items least. */
const ROLE_WEIGHT = { basic: 5, profit: 3, value_added: 1 } as const;

export function favouriteProduct(town: Town): CatalogProduct {
  return town.dice.weighted(town.catalog.products, (p) => ROLE_WEIGHT[p.role] * (p.store === "fruit" ? 1.6 : 1));
}

/** A line of a basket. */
export interface Line {
  product: CatalogProduct;
  skuId: string;
  qty: number;
}

/** What goes into one basket: one product mostly, sometimes two; the cheaper SKU more often. */
export function basket(town: Town, first = favouriteProduct(town)): Line[] {
  const d = town.dice;
  const products = d.chance(0.25) ? [first, favouriteProduct(town)].filter((p, i, all) => all.indexOf(p) === i) : [first];
  return products.map((product) => {
    const sku = d.chance(0.7) ? product.skus[0] : d.pick(product.skus);
    return { product, skuId: sku.id, qty: product.role === "basic" && d.chance(0.2) ? 2 : 1 };
  });
}

/** The coupon a shopper would pick for these goods: usable now, in scope, with its threshold met. */
function couponFor(town: Town, s: Shopper, lines: Line[]) {
  const now = town.now();
  const fits = (c: DemoCoupon) => {
    const inScope = lines.filter((l) => (!c.merchantId || l.product.merchantId === c.merchantId) && (c.categoryIds.length === 0 || c.categoryIds.some((id) => town.catalog.categories[l.product.category] === id)));
    const goods = inScope.reduce((sum, l) => sum + l.product.skus.find((k) => k.id === l.skuId)!.price * l.qty, 0);
    // Leave room for the 满减 that comes first: thresholds count the goods after it.
    return inScope.length > 0 && goods >= c.threshold + (goods >= 19900 ? 4000 : 0);
  };
  return s.coupons.find((h) => !h.used && h.validUntil > now && fits(h.coupon));
}

/** Claims a coupon in the coupon centre; a usable one goes in the shopper's pocket (a fission one once unlocked). */
export async function claim(town: Town, s: Shopper, coupon: DemoCoupon): Promise<CouponView | null> {
  const view = await town.tolerate(() => claimCoupon(town.deps, s.userId, coupon.templateId));
  if (view?.state === "usable") s.coupons.push({ couponId: view.id, coupon, validUntil: view.validUntil, used: false });
  return view;
}

/** Checks a basket out, with a coupon when one fits, and usually pays a few minutes later. */
export async function buy(town: Town, s: Shopper, lines: Line[], trail?: Trail): Promise<void> {
  const addressId = await addressOf(town, s);
  if (trail) {
    for (const l of lines) trail.cart(l.product.productId, l.qty);
    await town.keepUp(trail.page("/#/checkout"));
  }
  const held = town.dice.chance(0.8) ? couponFor(town, s, lines) : undefined;
  const order = (couponIds?: string[]) =>
    town.tolerate(() => placeOrders(town.deps, { userId: s.userId, addressId, lines: lines.map((l) => ({ skuId: l.skuId, qty: l.qty })), options: couponIds ? { couponIds } : undefined }));
  let placed = held ? await order([held.couponId]) : null;
  if (placed && held) held.used = true;
  placed ??= await order();
  if (!placed) return;
  const orderIds = placed.orderIds;
  if (town.dice.chance(0.93)) town.later(town.dice.int(1, 8), async () => void (await pay(town, s, orderIds)));
}

/** A newcomer's first purchase, soon after signing up: a look at a product or two, into the cart, checkout. */
export async function firstOrder(town: Town, s: Shopper): Promise<void> {
  const product = favouriteProduct(town);
  const trail = town.footprints.visit({ userId: s.userId, anonymousId: s.deviceId }, town.now(), { path: "organic" }).page("/").product(favouriteProduct(town).productId).product(product.productId);
  await buy(town, s, basket(town, product), trail);
}

/**
 * Pays through the test provider: the signed notification takes the same path a real provider's does.
 * Now and then a buyer changes their mind before the parcel leaves (not for a group buy: its team
 * settles its own refunds).
 */
export async function pay(town: Town, s: Shopper, orderIds: string[], opts: { mayRegret?: boolean } = {}): Promise<boolean> {
  const { deps, dice } = town;
  const started = await town.tolerate(() => startPayment(deps, s.userId, { orderIds, provider: "test", ip: s.ip }));
  if (!started) return false;
  const provider = deps.adapters.payments.test as TestPaymentProvider;
  await handleNotification(deps, "test", provider.notificationFor({ paymentId: started.paymentId, amount: started.amount, success: true }));
  s.paidOrders += orderIds.length;
  if ((opts.mayRegret ?? true) && dice.chance(0.025)) town.later(dice.int(20, 180), () => refundBeforeShipping(town, s, orderIds[0]));
  return true;
}

async function refundBeforeShipping(town: Town, s: Shopper, orderId: string): Promise<void> {
  const order = await getOrder(town.deps, orderId, { kind: "buyer", userId: s.userId });
  const request = await town.tolerate(() =>
    openRequest(town.deps, { orderId, userId: s.userId, type: "refund_only", items: order.items.map((i) => ({ orderItemId: i.id, qty: i.qty })), reasonCode: "other", description: "拍错了，不想要了", photos: [] }),
  );
  if (!request) return;
  town.later(town.dice.int(30, 300), async () => {
    const staff = town.staff.shipper(order.merchantId);
    const approved = await town.tolerate(() => approveRequest(town.deps, request.id, staff, "已同意退款"));
    if (approved?.status === "approved") await town.tolerate(() => refundRequest(town.deps, request.id, staff));
  });
}

const CARRIERS: Array<[CarrierCode, number]> = [["ZTO", 30], ["YTO", 22], ["SF", 18], ["YD", 15], ["JD", 10], ["EMS", 5]];
let parcelsSent = 0;
const trackingNo = (carrier: CarrierCode) => `${carrier}${String(7_300_000_000 + (parcelsSent += 1) * 7919).padStart(12, "0")}`;

/**
 * The warehouses' afternoon round: every paid order that may ship (not waiting for its group to fill)
 * and was paid before the cut-off leaves today. Buyers confirm receipt a few days later, or the
 * automatic confirmation does; some write a review, a few send something back.
 */
export async function shipPaidOrders(town: Town, paidBefore: Date): Promise<void> {
  const { deps, dice } = town;
  const ready: Array<{ id: string; userId: string; merchantId: string }> = [];
  for (let after: string | undefined; ; ) {
    const page = await listOrders(deps, { kind: "operator" }, { status: "paid", limit: 100, after });
    for (const o of page.items) if (!o.fulfilmentHold && o.paidAt && o.paidAt < paidBefore) ready.push(o);
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  for (const o of ready) {
    const staff = town.staff.shipper(o.merchantId);
    const carrier = dice.weighted(CARRIERS, ([, w]) => w)[0];
    const shipped = await town.tolerate(() => createShipment(deps, { orderId: o.id, viewer: staff.viewer, carrier, trackingNo: trackingNo(carrier), actor: staff.actor }));
    if (!shipped) continue;
    const buyer = town.get(o.userId);
    // The rest wait for the automatic confirmation (AUTO_CONFIRM_RECEIPT_DAYS after shipment).
    if (buyer && dice.chance(0.75)) town.later(dice.int(2 * 24 * 60, 6 * 24 * 60), () => receive(town, buyer, o.id));
  }
}

async function receive(town: Town, s: Shopper, orderId: string): Promise<void> {
  const { deps, dice } = town;
  const done = await town.tolerate(() => deps.db.transaction().execute((trx) => confirmReceipt(deps, trx, orderId, consumerActor(s))));
  if (done === null) return;
  deps.events.poke();
  if (dice.chance(0.35)) town.later(dice.int(60, 3 * 24 * 60), () => review(town, s, orderId));
  else if (dice.chance(0.08)) town.later(dice.int(12 * 60, 5 * 24 * 60), () => sendBackForRefund(town, s, orderId));
}

/** What buyers write about each section of the store. */
const PRAISE: Record<string, string[]> = {
  生鲜水果: ["很甜很新鲜，包装也很用心，一个坏果都没有", "个头大汁水多，家里老人小孩都爱吃", "物流很快，第二天就到了，冷链包装很好", "回购好几次了，品质一直稳定"],
  美妆个护: ["用了一周皮肤水润了很多，会回购", "味道很好闻，质地清爽不油腻", "正品，和专柜的一样，价格更划算"],
  数码家电: ["做工不错，续航很给力", "降噪效果超出预期，通勤必备", "操作简单，老人也会用，客服很耐心"],
  服饰鞋包: ["面料舒服，尺码标准，按平时码数买就行", "颜色和图片一样，很百搭", "版型好看，洗了两次也没变形"],
  家居日用: ["质量很好，性价比很高", "囤货必备，活动价很划算", "用起来很顺手，已推荐给朋友"],
  母婴玩具: ["宝宝很喜欢，玩了一下午", "很柔软，用了不红屁屁", "材质安全没有异味，放心"],
};
const GRUMBLES = ["一般般，和描述有点差距", "物流有点慢，东西还行", "包装有点破损，好在东西没坏"];

async function review(town: Town, s: Shopper, orderId: string): Promise<void> {
  const { deps, dice } = town;
  const order = await getOrder(deps, orderId, { kind: "buyer", userId: s.userId });
  if (order.status !== "completed") return;
  const reviews = order.items.map((item) => {
    const rating = dice.weighted([5, 4, 3, 2], (r) => ({ 5: 66, 4: 24, 3: 7, 2: 3 })[r]!);
    const section = town.catalog.products.find((p) => p.productId === item.productId)?.section ?? "家居日用";
    return { orderItemId: item.id, rating, text: rating >= 4 ? dice.pick(PRAISE[section]) : dice.pick(GRUMBLES), photos: [], anonymous: dice.chance(0.2) };
  });
  await town.tolerate(() => postReviews(deps, { orderId, userId: s.userId, reviews }));
}

/** 七天无理由: the buyer sends an item back, the store takes it in and refunds. */
async function sendBackForRefund(town: Town, s: Shopper, orderId: string): Promise<void> {
  const { deps, dice } = town;
  const order = await getOrder(deps, orderId, { kind: "buyer", userId: s.userId });
  const item = order.items.find((i) => !i.afterSaleExempt);
  if (!item) return;
  const request = await town.tolerate(() =>
    openRequest(deps, { orderId, userId: s.userId, type: "return_refund", items: [{ orderItemId: item.id, qty: 1 }], reasonCode: "no_reason", description: dice.pick(["尺码不合适", "颜色和想象的不一样", "买多了", "不太喜欢"]), photos: [] }),
  );
  if (!request) return;
  const staff = town.staff.shipper(order.merchantId);
  town.later(dice.int(4 * 60, 20 * 60), async () => {
    if (!(await town.tolerate(() => approveRequest(deps, request.id, staff, "请按退货地址寄回")))) return;
    town.later(dice.int(2 * 60, 24 * 60), async () => {
      const carrier = dice.pick<CarrierCode>(["ZTO", "YTO", "SF"]);
      if (!(await town.tolerate(() => sendBack(deps, request.id, s.userId, { carrier, trackingNo: trackingNo(carrier) }, consumerActor(s))))) return;
      town.later(dice.int(2 * 24 * 60, 3 * 24 * 60), async () => {
        if (!(await town.tolerate(() => receiveReturn(deps, request.id, staff, true)))) return;
        await town.tolerate(() => refundRequest(deps, request.id, staff));
      });
    });
  });
}
