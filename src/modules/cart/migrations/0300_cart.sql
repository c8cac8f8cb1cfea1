-- The shopping cart: one row per (consumer, SKU).
create table cart_items (
  user_id text not null,
  sku_id text not null,
  qty int not null check (qty > 0 and qty <= 999),
  selected boolean not null default true,
  added_at timestamptz not null,
  primary key (user_id, sku_id)
);
