import type { Deps } from "../../deps.js";
import { unprocessable } from "../../platform/errors.js";
import { allocate } from "../../platform/money.js";
import type { Adjuster, Adjustment, PricedLine, PricingContext } from "../orders/pricing.js";
import { FULL_REDUCTION, LIMITED_TIME_PRICE } from "../promotions/promotions.pricing.js";
import { couponsForCheckout, useCoupons } from "./coupons.service.js";

type CheckoutCoupon = Awaited<ReturnType<typeof couponsForCheckout>>[number];
type Part = { merchantId: string; lines: PricedLine[]; adjustments: Adjustment[] };

/**
 * What each line costs once promotions have run: its total, less its limited-time price cut, less its
 * share of the 满减 (spread over the part's lines by that amount, largest remainder). Coupon thresholds
 * and percentages count these amounts, so a coupon never discounts money a promotion already took off.
 */
export function netAfterPromotions(part: Part): Map<PricedLine, number> {
  const afterPrice = part.lines.map((l) => l.lineTotal + part.adjustments.filter((a) => a.type === LIMITED_TIME_PRICE && a.source === l.sku.skuId).reduce((s, a) => s + a.amount, 0));
  const reduction = -part.adjustments.filter((a) => a.type === FULL_REDUCTION).reduce((s, a) => s + a.amount, 0);
  const shares = allocate(reduction, afterPrice);
  return new Map(part.lines.map((l, i) => [l, afterPrice[i] - shares[i]]));
}

function inScope(c: CheckoutCoupon, line: PricedLine): boolean {
  if (c.scope === "all") return true;
  if (c.scope === "merchant") return c.scope_ids.includes(line.sku.merchantId);
  if (c.scope === "products") return c.scope_ids.includes(line.sku.productId);
  return c.scope_ids.includes(line.sku.categoryId);
}

/** Fen off before caps: percent coupons round down to the fen (the buyer never gets a fraction). */
function faceValue(c: CheckoutCoupon, base: number, shipping: number): number {
  if (c.kind === "free_shipping") return shipping;
  if (c.kind === "percent") return Math.min(Math.floor((base * c.percent_off!) / 100), c.max_off ?? Number.MAX_SAFE_INTEGER);
  return c.amount;
}

function refuseUnusable(c: CheckoutCoupon | undefined, id: string, userId: string, now: Date): void {
  const details = { couponId: id };
  if (!c || c.user_id !== userId) throw unprocessable("coupon_not_found", `coupon ${id} is not one of yours`, details);
  if (c.status === "used") throw unprocessable("coupon_used", `${c.name} has already been used`, details);
  if (c.status === "locked") throw unprocessable("coupon_locked", `${c.name} unlocks once shared to ${c.fission_shares} friends`, details);
  if (c.valid_until <= now) throw unprocessable("coupon_expired", `${c.name} has expired`, details);
  if (c.valid_from > now) throw unprocessable("coupon_not_yet_valid", `${c.name} is valid from ${c.valid_from.toISOString()}`, details);
}

// Coupons already placed in an earlier part of the same checkout: a platform coupon serves one part only.
const placedIn = new WeakMap<PricingContext, Set<string>>();

/**
 * The buyer's chosen coupons, after promotions. A store's coupon applies to that store's part, and is
 * refused (422) when the part is out of its scope or below its threshold; a platform coupon applies to
 * the first part it fits. A part takes at most one coupon that is not stackable. Goods discounts never
 * exceed what the goods still cost; free shipping takes off at most the shipping charged.
 */
export async function couponAdjustments(deps: Deps, part: Part, ctx: PricingContext): Promise<Adjustment[]> {
  const ids = [...new Set(ctx.options.couponIds ?? [])];
  if (ids.length === 0) return [];
  const now = deps.clock.now();
  const coupons = new Map((await couponsForCheckout(deps.db, ids)).map((c) => [c.id, c]));
  for (const id of ids) refuseUnusable(coupons.get(id), id, ctx.userId, now);

  const placed = placedIn.get(ctx) ?? new Set<string>();
  placedIn.set(ctx, placed);
  const net = netAfterPromotions(part);
  let goodsLeft = [...net.values()].reduce((s, v) => s + v, 0);
  const shipping = part.adjustments.filter((a) => a.type === "shipping" || a.type === "free_shipping").reduce((s, a) => s + a.amount, 0);
  const out: Adjustment[] = [];
  let exclusive: CheckoutCoupon | null = null;
  for (const id of ids) {
    const c = coupons.get(id)!;
    if (placed.has(id) || (c.merchant_id !== null && c.merchant_id !== part.merchantId)) continue;
    const ownStore = c.merchant_id === part.merchantId;
    const lines = part.lines.filter((l) => inScope(c, l));
    const base = lines.reduce((s, l) => s + net.get(l)!, 0);
    const room = c.kind === "free_shipping" ? shipping : goodsLeft;
    const off = Math.min(faceValue(c, base, shipping), room);
    if (lines.length === 0 || base < c.threshold || off <= 0) {
      if (!ownStore) continue;
      if (lines.length > 0 && base < c.threshold) throw unprocessable("coupon_threshold_not_met", `${c.name} needs ${c.threshold} fen of eligible goods; this order has ${base}`, { couponId: id, threshold: c.threshold, eligible: base });
      throw unprocessable("coupon_not_applicable", `${c.name} does not apply to these goods`, { couponId: id });
    }
    if (!c.stackable) {
      if (exclusive) throw unprocessable("coupons_not_stackable", `${exclusive.name} and ${c.name} cannot be used together in one store's order`, { couponIds: [exclusive.id, id] });
      exclusive = c;
    }
    placed.add(id);
    if (c.kind !== "free_shipping") goodsLeft -= off;
    out.push({ type: "coupon", label: c.name, amount: -off, source: id });
  }
  return out;
}

export const couponsAdjuster = (deps: Deps): Adjuster => ({
  name: "coupons",
  adjust: (part, ctx) => couponAdjustments(deps, part, ctx),
  commit: (trx, placed, now) => useCoupons(trx, { orderId: placed.orderId, userId: placed.userId, couponIds: placed.adjustments.map((a) => a.source!) }, now),
});
