import type { Json } from "../../platform/tables.js";
import type { AftersaleStatus, AftersaleType } from "./after-sales-machine.js";
import type { ReasonCode } from "./after-sales-rules.js";

export interface AftersalesTables {
  aftersale_requests: {
    id: string;
    order_id: string;
    user_id: string;
    merchant_id: string;
    type: AftersaleType;
    status: AftersaleStatus;
    reason_code: ReasonCode;
    description: string;
    photos: Json<string[]>;
    refund_amount: number;
    items_share: number;
    refund_id: string | null;
    return_carrier: string | null;
    return_tracking_no: string | null;
    reship_carrier: string | null;
    reship_tracking_no: string | null;
    reject_reason: string | null;
    created_at: Date;
    updated_at: Date;
  };
  aftersale_items: { request_id: string; order_item_id: string; sku_id: string; title: string; qty: number; open: boolean };
  aftersale_events: {
    id: string;
    request_id: string;
    event: string;
    from_status: string | null;
    to_status: string;
    actor_kind: string;
    actor_id: string | null;
    note: string | null;
    at: Date;
  };
}
