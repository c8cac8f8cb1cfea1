import type { Generated } from "kysely";

export type MovementReason = "reservation" | "release" | "sale" | "return" | "adjustment" | "receipt";

export interface InventoryTables {
  warehouses: { id: string; name: string; merchant_id: string | null; is_default: boolean; created_at: Date };
  stock_levels: { sku_id: string; warehouse_id: string; on_hand: number; reserved: number };
  reservations: {
    id: string;
    order_id: string;
    sku_id: string;
    warehouse_id: string;
    qty: number;
    returned_qty: Generated<number>;
    status: "held" | "committed" | "released";
    expires_at: Date;
    created_at: Date;
    updated_at: Date;
  };
  stock_movements: {
    id: string;
    sku_id: string;
    warehouse_id: string;
    delta_on_hand: number;
    delta_reserved: number;
    reason: MovementReason;
    ref: string | null;
    note: string | null;
    at: Date;
  };
}
