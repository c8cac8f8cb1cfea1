import type { AttemptStatus } from "./attempt-machine.js";

/** Tables owned by the flash-sale module (秒杀). */
export interface FlashsaleTables {
  flash_slots: {
    id: string;
    title: string;
    opens_at: Date;
    closes_at: Date;
    created_at: Date;
    updated_at: Date;
  };
  flash_items: {
    id: string;
    slot_id: string;
    sku_id: string;
    flash_price: number;
    stock: number;
    per_user_limit: number;
    payment_minutes: number;
    created_at: Date;
    updated_at: Date;
  };
  flash_attempts: {
    id: string;
    item_id: string;
    user_id: string;
    qty: number;
    address_id: string;
    status: AttemptStatus;
    order_id: string | null;
    failure: string | null;
    created_at: Date;
    updated_at: Date;
  };
}
