-- Orders: one per merchant per checkout, their lines, price adjustments and timeline.

create table orders (
  id text primary key,
  checkout_id text not null,
  user_id text not null,
  merchant_id text not null,
  -- Where the sale happened: own_store now; tmall, jd, pinduoduo, douyin when channels arrive.
  channel text not null default 'own_store',
  status text not null,
  items_total bigint not null check (items_total >= 0),
  shipping_fee bigint not null check (shipping_fee >= 0),
  discount_total bigint not null check (discount_total >= 0),
  payable bigint not null check (payable >= 0),
  refunded_amount bigint not null default 0 check (refunded_amount >= 0 and refunded_amount <= payable),
  -- A copy of the shipping address as it was at checkout; the phone inside is sealed.
  address jsonb not null,
  note text,
  payment_id text,
  payment_provider text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  expires_at timestamptz not null,
  paid_at timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  closed_at timestamptz,
  cancel_reason text
);
create index orders_user on orders (user_id, id desc);
create index orders_merchant on orders (merchant_id, id desc);
create index orders_checkout on orders (checkout_id);
create index orders_status on orders (status, id desc);

create table order_items (
  id text primary key,
  order_id text not null references orders (id),
  sku_id text not null,
  product_id text not null,
  title text not null,
  specs jsonb not null,
  image text,
  unit_price bigint not null check (unit_price >= 0),
  list_price bigint not null check (list_price >= 0),
  qty int not null check (qty > 0),
  line_total bigint not null check (line_total >= 0),
  after_sale_exempt boolean not null,
  refunded_qty int not null default 0 check (refunded_qty >= 0 and refunded_qty <= qty)
);
create index order_items_order on order_items (order_id);

-- Every change to the price, as a list the buyer sees: shipping, free-shipping, promotions, coupons.
create table order_adjustments (
  id text primary key,
  order_id text not null references orders (id),
  type text not null,
  label text not null,
  amount bigint not null,
  source text
);
create index order_adjustments_order on order_adjustments (order_id);

create table order_events (
  id text primary key,
  order_id text not null references orders (id),
  event text not null,
  from_status text,
  to_status text not null,
  actor_kind text not null,
  actor_id text,
  note text,
  at timestamptz not null
);
create index order_events_order on order_events (order_id, id);
