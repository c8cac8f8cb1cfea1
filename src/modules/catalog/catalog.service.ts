import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Db } from "../../platform/db/database.js";
import { suspendedMerchantIds } from "../merchants/merchants.service.js";
import type { BundleComponent, ProductRole } from "./catalog.tables.js";

/** The channel a buyer is on when the caller names none: our own store. */
export const DEFAULT_CHANNEL = "own_store";

/** A SKU as checkout sees it: who sells it, what it costs this buyer, whether it can be bought. */
export interface SkuForSale {
  skuId: string;
  productId: string;
  merchantId: string;
  productTitle: string;
  specs: Record<string, string>;
  image: string | null;
  /** Fen this buyer pays per unit: the lowest of the list price and every price list that applies. */
  price: number;
  /** Fen: the SKU's own price. */
  listPrice: number;
  afterSaleExempt: boolean;
  role: ProductRole;
  categoryId: string;
  /** Product on sale, SKU active, store not suspended. */
  onSale: boolean;
  /** Bundle components ([] for ordinary SKUs); stock is reserved on these. */
  components: BundleComponent[];
}

export interface PriceCandidate {
  price: number;
  minQty: number;
}

/** The best price for a quantity: the list price, or a lower price-list price whose minimum quantity is met. */
export function bestPrice(listPrice: number, qty: number, candidates: PriceCandidate[]): number {
  return candidates.reduce((best, c) => (c.minQty <= qty && c.price < best ? c.price : best), listPrice);
}

/**
 * Prices and sellability of the SKUs in an order. Quantities of a SKU listed twice add up (tiers count
 * the whole quantity). Price lists apply by kind: a member list to members only, a channel list on its
 * channel, a tiered list from its minimum quantity; a list tied to a channel applies on that channel only.
 * Unknown SKUs are absent from the map.
 */
export async function skusForSale(db: Db, lines: { skuId: string; qty: number }[], opts: { channel?: string; member?: boolean } = {}): Promise<Map<string, SkuForSale>> {
  const qty = new Map<string, number>();
  for (const l of lines) qty.set(l.skuId, (qty.get(l.skuId) ?? 0) + l.qty);
  const out = new Map<string, SkuForSale>();
  if (qty.size === 0) return out;
  const ids = [...qty.keys()];
  const channel = opts.channel ?? DEFAULT_CHANNEL;
  const rows = await db
    .selectFrom("skus")
    .innerJoin("products", "products.id", "skus.product_id")
    .select((eb) => [
      "skus.id",
      "skus.product_id",
      "skus.specs",
      "skus.price",
      "skus.status as sku_status",
      "skus.components",
      "products.merchant_id",
      "products.title",
      "products.images",
      "products.after_sale_exempt",
      "products.role",
      "products.category_id",
      "products.status",
      // The price lists that may apply, in the same round trip.
      jsonArrayFrom(
        eb
          .selectFrom("price_list_items")
          .innerJoin("price_lists", "price_lists.id", "price_list_items.price_list_id")
          .select(["price_list_items.price", "price_list_items.min_qty"])
          .whereRef("price_list_items.sku_id", "=", "skus.id")
          .where("price_lists.active", "=", true)
          .where((w) => w.or([w("price_lists.channel", "is", null), w("price_lists.channel", "=", channel)]))
          .$if(!opts.member, (q) => q.where("price_lists.kind", "<>", "member")),
      ).as("price_lists"),
    ])
    .where("skus.id", "in", ids)
    .execute();
  const suspended = await suspendedMerchantIds(db);
  for (const r of rows) {
    const candidates = r.price_lists.map((i) => ({ price: i.price, minQty: i.min_qty }));
    out.set(r.id, {
      skuId: r.id,
      productId: r.product_id,
      merchantId: r.merchant_id,
      productTitle: r.title,
      specs: r.specs,
      image: r.images[0] ?? null,
      price: bestPrice(r.price, qty.get(r.id)!, candidates),
      listPrice: r.price,
      afterSaleExempt: r.after_sale_exempt,
      role: r.role,
      categoryId: r.category_id,
      onSale: r.status === "on_sale" && r.sku_status === "active" && !suspended.includes(r.merchant_id),
      components: r.components,
    });
  }
  return out;
}

/** The store each SKU belongs to (unknown SKUs absent), for modules that hold merchant staff to their own. */
export async function skuMerchants(db: Db, skuIds: string[]): Promise<Map<string, string>> {
  if (skuIds.length === 0) return new Map();
  const rows = await db.selectFrom("skus").innerJoin("products", "products.id", "skus.product_id").select(["skus.id", "products.merchant_id"]).where("skus.id", "in", skuIds).execute();
  return new Map(rows.map((r) => [r.id, r.merchant_id]));
}
