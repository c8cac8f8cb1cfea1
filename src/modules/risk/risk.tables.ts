export type ReviewSubject = "reward" | "commission" | "withdrawal";
export type ReviewStatus = "pending" | "approved" | "rejected";

export interface RiskTables {
  risk_profiles: { user_id: string; device_id: string | null; phone_hash: string | null; ip: string | null; flags: string[]; registered_at: Date };
  risk_scores: { id: string; beneficiary_id: string; source_user_id: string | null; kind: string; amount: number; score: number; reasons: string[]; at: Date };
  risk_reviews: {
    id: string;
    subject_type: ReviewSubject;
    subject_id: string;
    score: number;
    reasons: string[];
    status: ReviewStatus;
    note: string | null;
    decided_by: string | null;
    decided_at: Date | null;
    created_at: Date;
  };
  risk_settings: { key: string; value: number; description: string };
}
