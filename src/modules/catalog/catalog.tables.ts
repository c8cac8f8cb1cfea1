import type { Json } from "../../platform/tables.js";

export type ProductRole = "basic" | "profit" | "value_added";
export type ProductStatus = "draft" | "on_sale" | "off_sale";
export type PriceListKind = "member" | "channel" | "tiered";
export interface BundleComponent {
  skuId: string;
  qty: number;
}

export interface CatalogTables {
  categories: { id: string; parent_id: string | null; name: string; icon: string | null; sort: number; created_at: Date };
  attributes: { id: string; name: string; values: string[]; sort: number; created_at: Date };
  products: {
    id: string;
    merchant_id: string;
    category_id: string;
    kind: "standard" | "bundle";
    title: string;
    subtitle: string;
    description: string;
    images: string[];
    role: ProductRole;
    after_sale_exempt: boolean;
    status: ProductStatus;
    tags: string[];
    price_from: number | null;
    created_at: Date;
    updated_at: Date;
  };
  skus: {
    id: string;
    product_id: string;
    code: string;
    specs: Json<Record<string, string>>;
    price: number;
    weight_grams: number;
    status: "active" | "inactive";
    components: Json<BundleComponent[]>;
    created_at: Date;
  };
  price_lists: { id: string; name: string; kind: PriceListKind; channel: string | null; active: boolean; created_at: Date };
  price_list_items: { price_list_id: string; sku_id: string; price: number; min_qty: number };
}
