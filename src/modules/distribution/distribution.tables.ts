import type { CommissionStatus } from "./commission-machine.js";
import type { WithdrawalStatus } from "./withdrawal-machine.js";

export interface DistributionTables {
  distribution_settings: {
    id: "default";
    auto_approve: boolean;
    binding_rule: "first" | "last";
    binding_days: number;
    levels: number;
    level1_rate_bp: number;
    level2_rate_bp: number;
    min_withdrawal: number;
    withdrawal_fee_bp: number;
    updated_at: Date;
  };
  commission_rates: { id: string; scope: "product" | "category"; target_id: string; level: number; rate_bp: number; updated_at: Date };
  promoters: { user_id: string; status: "pending" | "approved" | "rejected"; applied_at: Date; decided_at: Date | null; decided_by: string | null; note: string | null };
  promoter_bindings: { customer_id: string; promoter_id: string; source: string; bound_at: Date; expires_at: Date };
  commissions: {
    id: string;
    order_id: string;
    buyer_id: string;
    promoter_id: string;
    level: number;
    base: number;
    amount: number;
    kept: number;
    order_payable: number;
    refunded: number;
    status: CommissionStatus;
    /** How far the order has got (paid → completed → settled), so a commission approved late lands where its order is. */
    order_stage: "paid" | "completed" | "settled";
    created_at: Date;
    updated_at: Date;
  };
  commission_events: { id: string; commission_id: string; event: string; cause_id: string; from_status: string; to_status: string; amount: number; at: Date };
  withdrawals: {
    id: string;
    promoter_id: string;
    amount: number;
    fee: number;
    net: number;
    status: WithdrawalStatus;
    provider: string;
    provider_ref: string | null;
    reviewed_by: string | null;
    note: string | null;
    created_at: Date;
    decided_at: Date | null;
    paid_at: Date | null;
  };
}
