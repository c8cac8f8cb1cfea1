import { conflict, unprocessable } from "../../platform/errors.js";
import type { ProductStatus } from "./catalog.tables.js";

/**
 * A product's lifecycle, as data: drafted, put on sale (上架), taken off sale (下架), put back.
 * Only on_sale products are shown to buyers and can be ordered.
 */
export const PRODUCT_TRANSITIONS: Record<ProductStatus, readonly ProductStatus[]> = {
  draft: ["on_sale"],
  on_sale: ["off_sale"],
  off_sale: ["on_sale"],
};

export function assertProductTransition(from: ProductStatus, to: ProductStatus, activeSkus: number): void {
  if (!PRODUCT_TRANSITIONS[from].includes(to)) throw conflict("illegal_transition", `a product cannot go from ${from} to ${to}`, { from, to });
  if (to === "on_sale" && activeSkus === 0) throw unprocessable("no_active_sku", "a product needs an active SKU to go on sale");
}
