export interface IdentityTables {
  users: {
    id: string;
    kind: "operator" | "merchant" | "supplier" | "consumer";
    username: string | null;
    phone_enc: string | null;
    phone_hash: string | null;
    password_hash: string | null;
    display_name: string;
    merchant_id: string | null;
    supplier_id: string | null;
    permissions: string[];
    is_promoter: boolean;
    status: "active" | "disabled";
    created_at: Date;
  };
  sessions: { id: string; token_hash: string; user_id: string; created_at: Date; expires_at: Date; revoked_at: Date | null };
  sms_codes: {
    id: string;
    phone_hash: string;
    code_hash: string;
    purpose: string;
    attempts: number;
    created_at: Date;
    expires_at: Date;
    consumed_at: Date | null;
  };
  addresses: {
    id: string;
    user_id: string;
    recipient: string;
    phone_enc: string;
    province: string;
    city: string;
    district: string;
    detail: string;
    postal_code: string | null;
    is_default: boolean;
    created_at: Date;
    deleted_at: Date | null;
  };
}
