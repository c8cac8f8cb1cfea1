export interface CartTables {
  cart_items: { user_id: string; sku_id: string; qty: number; selected: boolean; added_at: Date };
}
