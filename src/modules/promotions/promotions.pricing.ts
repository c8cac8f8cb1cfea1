import type { Deps } from "../../deps.js";
import { formatYuan } from "../../platform/money.js";
import { skusForSale } from "../catalog/catalog.service.js";
import type { Adjuster, Adjustment, PricedLine } from "../orders/pricing.js";
import { livePromotions, type Promotion } from "./promotions.service.js";

/**
 * Adjustment types this module adds. A limited-time price names the SKU it cuts in `source`, so later
 * steps (coupons) can tell what each line costs after it; a 满减 names its promotion; a gift its SKU.
 */
export const LIMITED_TIME_PRICE = "limited_time_price";
export const FULL_REDUCTION = "full_reduction";
export const GIFT = "gift";

const inScope = (p: Promotion, line: PricedLine) =>
  p.scope === "all" || (p.scope === "products" ? p.scopeIds.includes(line.sku.productId) : p.scopeIds.includes(line.sku.categoryId));

/** The best tier a spend reaches (the largest `off`), or null below the first threshold. */
export function bestTier(tiers: { threshold: number; off: number }[], spend: number): { threshold: number; off: number } | null {
  return tiers.filter((t) => spend >= t.threshold).reduce<{ threshold: number; off: number } | null>((best, t) => (!best || t.off > best.off ? t : best), null);
}

/**
 * Prices one merchant's part: limited-time prices first (each SKU at its lowest live price), then the
 * single best 满减 tier across live 满减 promotions, then every 满赠 whose threshold is met. Both
 * thresholds count the in-scope goods after limited-time prices, before any coupon.
 */
export async function promotionAdjustments(deps: Deps, part: { merchantId: string; lines: PricedLine[] }): Promise<Adjustment[]> {
  const promos = await livePromotions(deps.db, part.merchantId, part.lines.map((l) => l.sku.skuId), deps.clock.now());
  if (promos.length === 0) return [];
  const out: Adjustment[] = [];
  const net = new Map<PricedLine, number>();
  for (const line of part.lines) {
    const prices = promos.filter((p) => p.kind === "limited_price" && p.skuId === line.sku.skuId && p.price! < line.sku.price);
    const best = prices.reduce<Promotion | null>((b, p) => (!b || p.price! < b.price! ? p : b), null);
    const cut = best ? (line.sku.price - best.price!) * line.qty : 0;
    if (best) out.push({ type: LIMITED_TIME_PRICE, label: `${best.name} 限时价 ${formatYuan(best.price!)}`, amount: -cut, source: line.sku.skuId });
    net.set(line, line.lineTotal - cut);
  }
  const spend = (p: Promotion) => part.lines.filter((l) => inScope(p, l)).reduce((s, l) => s + net.get(l)!, 0);

  let reduction: { promo: Promotion; tier: { threshold: number; off: number }; off: number } | null = null;
  for (const promo of promos.filter((p) => p.kind === "full_reduction")) {
    const base = spend(promo);
    const tier = bestTier(promo.tiers!, base);
    if (tier && (!reduction || Math.min(tier.off, base) > reduction.off)) reduction = { promo, tier, off: Math.min(tier.off, base) };
  }
  if (reduction) {
    const { promo, tier, off } = reduction;
    out.push({ type: FULL_REDUCTION, label: `${promo.name} 满${tier.threshold / 100}减${tier.off / 100}`, amount: -off, source: promo.id });
  }

  const gifts = promos.filter((p) => p.kind === "gift" && spend(p) >= p.threshold!);
  if (gifts.length > 0) {
    const skus = await skusForSale(deps.db, gifts.map((g) => ({ skuId: g.giftSkuId!, qty: g.giftQty! })));
    for (const g of gifts) {
      const title = skus.get(g.giftSkuId!)?.productTitle ?? "赠品";
      out.push({ type: GIFT, label: `${g.name} 满${g.threshold! / 100}赠 ${title} ×${g.giftQty}`, amount: 0, source: g.giftSkuId! });
    }
  }
  return out;
}

export const promotionsAdjuster = (deps: Deps): Adjuster => ({
  name: "promotions",
  // A flash, group or bargain price is the deal itself: store promotions do not stack on it (their
  // thresholds would otherwise count the goods at list price and could take the order to nothing).
  adjust: (part, ctx) => (ctx.campaign ? [] : promotionAdjustments(deps, part)),
});
