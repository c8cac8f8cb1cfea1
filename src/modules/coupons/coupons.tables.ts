import type { Generated } from "kysely";
import type { Json } from "../../platform/tables.js";

export type CouponKind = "fixed" | "percent" | "threshold" | "free_shipping";
export type CouponScope = "all" | "merchant" | "products" | "categories";
export type CouponStatus = "locked" | "available" | "used";

export interface CouponsTables {
  coupon_templates: {
    id: string;
    merchant_id: string | null;
    name: string;
    kind: CouponKind;
    amount: number;
    percent_off: number | null;
    max_off: number | null;
    threshold: number;
    scope: CouponScope;
    scope_ids: Json<string[]>;
    per_user_limit: number | null;
    stock: number | null;
    issued: Generated<number>;
    valid_from: Date | null;
    valid_until: Date | null;
    valid_days: number | null;
    stackable: boolean;
    return_on_cancel: boolean;
    return_on_refund: boolean;
    claimable: boolean;
    fission_shares: number | null;
    status: "active" | "disabled";
    created_at: Date;
    updated_at: Date;
  };
  coupon_user_counts: { template_id: string; user_id: string; issued: number };
  coupons: {
    id: string;
    template_id: string;
    user_id: string;
    status: CouponStatus;
    issue_key: string;
    reason: string;
    valid_from: Date;
    valid_until: Date;
    order_id: string | null;
    used_at: Date | null;
    unlocked_at: Date | null;
    created_at: Date;
  };
  coupon_fission_links: { token: string; coupon_id: string; created_at: Date };
  coupon_fission_opens: { coupon_id: string; user_id: string; opened_at: Date };
  coupon_pairs: { id: string; name: string; inviter_template_id: string; friend_template_id: string; status: "active" | "disabled"; created_at: Date };
  coupon_first_orders: { user_id: string; order_id: string; paid_at: Date };
}
