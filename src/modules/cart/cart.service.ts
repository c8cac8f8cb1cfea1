import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import { conflict, invalidField } from "../../platform/errors.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { availableStock } from "../inventory/inventory.service.js";

export const MAX_CART_LINES = 100;

/** 购物车 — what a consumer means to buy, priced live each time it is read. */
export async function getCart(deps: Deps, userId: string) {
  const rows = await deps.db.selectFrom("cart_items").selectAll().where("user_id", "=", userId).orderBy("added_at").execute();
  const skus = await skusForSale(deps.db, rows.map((r) => ({ skuId: r.sku_id, qty: r.qty })));
  const stock = await availableStock(deps.db, rows.map((r) => r.sku_id));
  const items = rows.map((r) => {
    const sku = skus.get(r.sku_id);
    return {
      skuId: r.sku_id,
      qty: r.qty,
      selected: r.selected,
      productId: sku?.productId ?? null,
      merchantId: sku?.merchantId ?? null,
      title: sku?.productTitle ?? null,
      specs: sku?.specs ?? {},
      image: sku?.image ?? null,
      unitPrice: sku?.price ?? null,
      available: sku?.onSale ? (stock.get(r.sku_id) ?? 0) : 0,
      purchasable: Boolean(sku?.onSale) && (stock.get(r.sku_id) ?? 0) >= r.qty,
    };
  });
  const selectedTotal = items.filter((i) => i.selected && i.purchasable).reduce((s, i) => s + (i.unitPrice ?? 0) * i.qty, 0);
  return { items, selectedTotal };
}

export async function addToCart(deps: Deps, userId: string, skuId: string, qty: number): Promise<void> {
  const sku = (await skusForSale(deps.db, [{ skuId, qty }])).get(skuId);
  if (!sku) throw invalidField("skuId", `no such SKU ${skuId}`);
  if (!sku.onSale) throw conflict("not_on_sale", `${sku.productTitle} is not on sale`, { skuId });
  // The line-count check and the upsert in one statement: a full cart takes no new SKU, but more of one it holds.
  const res = await sql`
    insert into cart_items (user_id, sku_id, qty, selected, added_at)
    select ${userId}::text, ${skuId}::text, ${qty}::int, true, ${deps.clock.now()}::timestamptz
    where (select count(*) from cart_items where user_id = ${userId}::text) < ${MAX_CART_LINES}::int
       or exists (select 1 from cart_items where user_id = ${userId}::text and sku_id = ${skuId}::text)
    on conflict (user_id, sku_id) do update set qty = least(cart_items.qty + excluded.qty, 999)`.execute(deps.db);
  if (Number(res.numAffectedRows ?? 0) === 0) throw conflict("cart_full", `a cart holds at most ${MAX_CART_LINES} different SKUs`);
}

export async function updateCartItem(deps: Deps, userId: string, skuId: string, change: { qty?: number; selected?: boolean }): Promise<boolean> {
  const res = await deps.db.updateTable("cart_items").set(change).where("user_id", "=", userId).where("sku_id", "=", skuId).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function removeFromCart(deps: Deps, userId: string, skuIds: string[]): Promise<void> {
  if (skuIds.length === 0) return;
  await deps.db.deleteFrom("cart_items").where("user_id", "=", userId).where("sku_id", "in", skuIds).execute();
}

/** The selected lines, as checkout takes them. */
export async function selectedLines(deps: Deps, userId: string): Promise<{ skuId: string; qty: number }[]> {
  const rows = await deps.db.selectFrom("cart_items").select(["sku_id", "qty"]).where("user_id", "=", userId).where("selected", "=", true).orderBy("added_at").execute();
  return rows.map((r) => ({ skuId: r.sku_id, qty: r.qty }));
}
