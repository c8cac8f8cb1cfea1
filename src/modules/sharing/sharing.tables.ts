export type AttributionRule = "last_touch" | "first_touch";
export type OrderStatusSeen = "placed" | "paid" | "cancelled" | "closed";

export interface SharingTables {
  shares: {
    id: string;
    token: string;
    sharer_id: string;
    target_type: string;
    target_id: string;
    channel: string;
    campaign_id: string | null;
    created_at: Date;
  };
  share_visits: {
    id: string;
    share_id: string;
    sharer_id: string;
    channel: string;
    campaign_id: string | null;
    visitor_id: string;
    user_id: string | null;
    device_id: string | null;
    ip: string | null;
    first_at: Date;
    last_at: Date;
    clicks: number;
  };
  visitor_devices: { device_id: string; user_id: string; linked_at: Date };
  share_attributions: {
    id: string;
    subject_type: "registration" | "order";
    subject_id: string;
    user_id: string;
    share_id: string;
    sharer_id: string;
    channel: string;
    campaign_id: string | null;
    target_type: string;
    target_id: string;
    visit_id: string | null;
    rule: AttributionRule;
    touched_at: Date;
    payable: number;
    order_status: OrderStatusSeen | null;
    paid_at: Date | null;
    refunded_amount: number;
    at: Date;
  };
  sharing_settings: { id: boolean; window_days: number; rule: AttributionRule; visit_dedupe_hours: number; updated_at: Date };
}
