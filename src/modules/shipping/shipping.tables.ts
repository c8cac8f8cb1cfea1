import type { CarrierCode, ShipmentStatus, TrackingStatus } from "./carriers.js";

export interface ShippingTables {
  shipments: {
    id: string;
    order_id: string;
    merchant_id: string;
    carrier_code: CarrierCode;
    carrier_name: string;
    tracking_no: string;
    status: ShipmentStatus;
    created_by: string | null;
    created_at: Date;
    delivered_at: Date | null;
  };
  shipment_items: { shipment_id: string; order_item_id: string; sku_id: string; qty: number };
  shipment_events: {
    id: string;
    shipment_id: string;
    occurred_at: Date;
    status: TrackingStatus;
    location: string | null;
    description: string;
    source: "staff" | "carrier";
    created_at: Date;
  };
  carrier_webhook_secrets: { carrier_code: CarrierCode; secret_enc: string; updated_at: Date };
}
