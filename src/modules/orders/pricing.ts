import type { Db } from "../../platform/db/database.js";
import type { SkuForSale } from "../catalog/catalog.service.js";

/** One line of a merchant's part of a checkout. */
export interface PricedLine {
  sku: SkuForSale;
  qty: number;
  lineTotal: number;
}

/**
 * A change to the price the buyer sees, in fen: positive adds (shipping), negative takes off
 * (free shipping, 满减, coupons). The breakdown lists every one.
 */
export interface Adjustment {
  type: string;
  label: string;
  amount: number;
  /** What produced it (a coupon id, a promotion id), so its owner can find it again. */
  source?: string;
  /** The adjuster that made it (set by priceCheckout). */
  adjuster?: string;
}

export interface MerchantBreakdown {
  merchantId: string;
  lines: PricedLine[];
  itemsTotal: number;
  adjustments: Adjustment[];
  shippingFee: number;
  discountTotal: number;
  payable: number;
}

export interface PricingContext {
  userId: string;
  channel: string;
  /** What the buyer chose to apply at checkout (coupons to use, points to redeem). */
  options: CheckoutOptions;
  /** The campaign the purchase belongs to, whose module prices it (flash price, group price, bargain price). */
  campaign?: { type: string; ref: string };
}

export interface CheckoutOptions {
  couponIds?: string[];
  points?: number;
}

/**
 * A pricing step, applied to each merchant's part in a fixed order (shipping first, then promotions,
 * then coupons, then points, as later modules add them). It returns adjustments; it never edits lines.
 */
export interface Adjuster {
  name: string;
  adjust(part: { merchantId: string; lines: PricedLine[]; itemsTotal: number; adjustments: Adjustment[] }, ctx: PricingContext): Promise<Adjustment[]> | Adjustment[];
  /**
   * Called in the transaction that places the order with the adjustments this adjuster made, so it can
   * take what they use (mark a coupon used, debit points) at exactly the moment the order exists.
   */
  commit?(trx: Db, placed: { orderId: string; userId: string; merchantId: string; adjustments: Adjustment[] }, now: Date): Promise<void>;
}

/** Standard shipping: ¥10 per merchant order, free from ¥99 of goods (满99包邮). */
export const SHIPPING_FEE = 1000;
export const FREE_SHIPPING_FROM = 9900;

export const shippingAdjuster: Adjuster = {
  name: "shipping",
  adjust(part) {
    const fee: Adjustment = { type: "shipping", label: "运费", amount: SHIPPING_FEE };
    if (part.itemsTotal >= FREE_SHIPPING_FROM) return [fee, { type: "free_shipping", label: "满99包邮", amount: -SHIPPING_FEE }];
    return [fee];
  },
};

/** Groups lines by merchant and prices each part through the adjusters, in order. */
export async function priceCheckout(lines: PricedLine[], ctx: PricingContext, adjusters: Adjuster[]): Promise<MerchantBreakdown[]> {
  const byMerchant = new Map<string, PricedLine[]>();
  for (const line of lines) {
    const list = byMerchant.get(line.sku.merchantId) ?? [];
    list.push(line);
    byMerchant.set(line.sku.merchantId, list);
  }
  const parts: MerchantBreakdown[] = [];
  for (const [merchantId, merchantLines] of byMerchant) {
    const itemsTotal = merchantLines.reduce((sum, l) => sum + l.lineTotal, 0);
    const adjustments: Adjustment[] = [];
    for (const adjuster of adjusters) {
      const made = await adjuster.adjust({ merchantId, lines: merchantLines, itemsTotal, adjustments: [...adjustments] }, ctx);
      adjustments.push(...made.map((a) => ({ ...a, adjuster: adjuster.name })));
    }
    const shippingFee = adjustments.filter((a) => a.type === "shipping").reduce((s, a) => s + a.amount, 0);
    const discountTotal = -adjustments.filter((a) => a.amount < 0).reduce((s, a) => s + a.amount, 0);
    const raw = itemsTotal + adjustments.reduce((s, a) => s + a.amount, 0);
    // Discounts can never make the buyer's total negative.
    parts.push({ merchantId, lines: merchantLines, itemsTotal, adjustments, shippingFee, discountTotal: raw < 0 ? discountTotal + raw : discountTotal, payable: Math.max(0, raw) });
  }
  return parts;
}
