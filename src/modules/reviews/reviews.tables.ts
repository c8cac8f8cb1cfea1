import type { Json } from "../../platform/tables.js";

export type ReviewStatus = "visible" | "hidden";

export interface ReviewsTables {
  reviews: {
    id: string;
    order_id: string;
    order_item_id: string;
    product_id: string;
    sku_id: string;
    merchant_id: string;
    user_id: string;
    rating: number;
    text: string;
    photos: Json<string[]>;
    has_photos: boolean;
    anonymous: boolean;
    status: ReviewStatus;
    hidden_reason: string | null;
    reply: string | null;
    replied_at: Date | null;
    created_at: Date;
    updated_at: Date;
  };
}
