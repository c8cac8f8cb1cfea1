import type { Json } from "../../platform/tables.js";
import type { PaymentStatus, RefundStatus } from "./payment-machine.js";
import type { ProviderName } from "./providers/provider.js";

export interface PaymentsTables {
  payments: {
    id: string;
    user_id: string;
    provider: ProviderName;
    amount: number;
    status: PaymentStatus;
    provider_txn_id: string | null;
    /** Keyed hash of provider + the provider's payer id, when the notification named the payer. */
    payer_hash: string | null;
    created_at: Date;
    paid_at: Date | null;
  };
  payment_orders: { payment_id: string; order_id: string; amount: number };
  refunds: {
    id: string;
    payment_id: string;
    order_id: string;
    amount: number;
    reason: string;
    status: RefundStatus;
    key: string;
    out_refund_no: string;
    provider_refund_id: string | null;
    created_at: Date;
    completed_at: Date | null;
  };
  payment_notifications: {
    id: string;
    provider: string;
    verified: boolean;
    outcome: NotificationOutcome;
    reason: string | null;
    payment_id: string | null;
    headers: Json<Record<string, string | undefined>>;
    body: string;
    received_at: Date;
  };
}

export type NotificationOutcome = "paid" | "replayed" | "amount_mismatch" | "failed" | "unknown_payment" | "error" | "rejected";
