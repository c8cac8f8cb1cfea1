-- Promotions evaluated at checkout: 满减 tiers, 满赠 gifts and limited-time prices, each in a time window.

create table promotions (
  id text primary key,
  -- null: a platform-wide promotion (operators only); otherwise the store that runs it.
  merchant_id text,
  kind text not null check (kind in ('full_reduction', 'gift', 'limited_price')),
  name text not null,
  scope text not null check (scope in ('all', 'products', 'categories')),
  scope_ids jsonb not null,
  -- full_reduction: [{threshold, off}] in fen, best applicable tier wins.
  tiers jsonb,
  -- gift: spend at least threshold (fen) on the scope and gift_qty of gift_sku_id ship with the order.
  threshold integer check (threshold >= 0),
  gift_sku_id text,
  gift_qty integer check (gift_qty > 0),
  -- limited_price: sku_id sells at price (fen) inside the window.
  sku_id text,
  price integer check (price >= 0),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null check (status in ('active', 'disabled')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (ends_at > starts_at)
);
create index promotions_live on promotions (merchant_id, ends_at) where status = 'active';
create index promotions_sku on promotions (sku_id) where kind = 'limited_price';
