import type { BargainStatus } from "./bargain-machine.js";

/** Tables owned by the bargain module (砍价). */
export interface BargainTables {
  bargain_activities: {
    id: string;
    title: string;
    sku_id: string;
    original_price: number;
    floor_price: number;
    helpers_needed: number;
    time_limit_minutes: number;
    early_purchase: boolean;
    payment_minutes: number;
    stock: number;
    reserved: number;
    sold: number;
    status: "active" | "paused";
    starts_at: Date;
    ends_at: Date;
    created_at: Date;
    updated_at: Date;
  };
  bargains: {
    id: string;
    activity_id: string;
    owner_id: string;
    owner_device_id: string | null;
    status: BargainStatus;
    original_price: number;
    floor_price: number;
    current_price: number;
    helpers_needed: number;
    cuts_taken: number;
    seed: string;
    order_id: string | null;
    expires_at: Date;
    created_at: Date;
    updated_at: Date;
    ended_at: Date | null;
  };
  bargain_cuts: {
    bargain_id: string;
    seq: number;
    amount: number;
    helper_id: string | null;
    helper_device_id: string | null;
    new_user: boolean | null;
    helped_at: Date | null;
  };
}
