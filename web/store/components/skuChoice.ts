import type { Product, Sku } from "./types";

export type SkuAction = "cart" | "buy";

export const matches = (sku: Sku, chosen: Record<string, string>, except?: string) => Object.entries(chosen).every(([name, value]) => name === except || sku.specs[name] === value);

/** The SKU a full choice of specs names (a product without specs has exactly one). */
export function skuOf(product: Product, chosen: Record<string, string>): Sku | null {
  if (product.specs.length === 0) return product.skus[0] ?? null;
  if (product.specs.some((s) => !chosen[s.name])) return null;
  return product.skus.find((sku) => matches(sku, chosen)) ?? null;
}

/** The chosen values ("深蓝 / M"), or the names of the specs still to choose ("颜色 / 尺码"). */
export function describeChoice(product: Product, chosen: Record<string, string>): { done: boolean; text: string } {
  const missing = product.specs.filter((s) => !chosen[s.name]).map((s) => s.name);
  return missing.length > 0 ? { done: false, text: missing.join(" / ") } : { done: true, text: product.specs.map((s) => chosen[s.name]).join(" / ") };
}
