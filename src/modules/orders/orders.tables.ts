import type { ColumnType, Generated } from "kysely";
import type { Json } from "../../platform/tables.js";
import type { OrderStatus } from "./order-machine.js";

export interface AddressSnapshot {
  recipient: string;
  phoneEnc: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postalCode: string | null;
}

export interface OrdersTables {
  orders: {
    id: string;
    checkout_id: string;
    user_id: string;
    merchant_id: string;
    channel: string;
    status: OrderStatus;
    items_total: number;
    shipping_fee: number;
    discount_total: number;
    payable: number;
    refunded_amount: number;
    address: Json<AddressSnapshot>;
    note: string | null;
    payment_id: string | null;
    payment_provider: string | null;
    created_at: Date;
    updated_at: Date;
    expires_at: Date;
    paid_at: Date | null;
    shipped_at: Date | null;
    delivered_at: Date | null;
    completed_at: Date | null;
    cancelled_at: Date | null;
    closed_at: Date | null;
    cancel_reason: string | null;
    campaign_type: Generated<string | null>;
    campaign_ref: Generated<string | null>;
    fulfilment_hold: Generated<string | null>;
  };
  order_items: {
    id: string;
    order_id: string;
    sku_id: string;
    product_id: string;
    title: string;
    specs: Json<Record<string, string>>;
    image: string | null;
    unit_price: number;
    list_price: number;
    qty: number;
    line_total: number;
    after_sale_exempt: boolean;
    refunded_qty: number;
    /** Bundle components the line held stock on ([] for ordinary SKUs). */
    components: ColumnType<{ skuId: string; qty: number }[], string | undefined, string>;
  };
  order_adjustments: { id: string; order_id: string; type: string; label: string; amount: number; source: string | null };
  order_events: {
    id: string;
    order_id: string;
    event: string;
    from_status: string | null;
    to_status: string;
    actor_kind: string;
    actor_id: string | null;
    note: string | null;
    at: Date;
  };
}
