import type { Json } from "../../platform/tables.js";

export type PromotionKind = "full_reduction" | "gift" | "limited_price";
export type PromotionScope = "all" | "products" | "categories";

/** One 满减 step: spend at least `threshold` fen, get `off` fen off. */
export interface Tier {
  threshold: number;
  off: number;
}

export interface PromotionsTables {
  promotions: {
    id: string;
    merchant_id: string | null;
    kind: PromotionKind;
    name: string;
    scope: PromotionScope;
    scope_ids: Json<string[]>;
    tiers: Json<Tier[] | null>;
    threshold: number | null;
    gift_sku_id: string | null;
    gift_qty: number | null;
    sku_id: string | null;
    price: number | null;
    starts_at: Date;
    ends_at: Date;
    status: "active" | "disabled";
    created_at: Date;
    updated_at: Date;
  };
}
