export interface MerchantsTables {
  merchants: {
    id: string;
    name: string;
    store_name: string;
    logo: string | null;
    self_operated: boolean;
    status: "active" | "suspended";
    created_at: Date;
  };
}
