-- After-sales (售后) requests, the order items each one covers, and every step each one took.

create table aftersale_requests (
  id text primary key,
  order_id text not null,
  user_id text not null,
  merchant_id text not null,
  type text not null check (type in ('refund_only', 'return_refund', 'exchange', 'repair')),
  status text not null,
  reason_code text not null,
  description text not null,
  photos jsonb not null,
  -- What the buyer gets back (0 for exchange and repair), and the paid share of the items it covers:
  -- the items count as refunded only when the amount covers that share.
  refund_amount bigint not null check (refund_amount >= 0),
  items_share bigint not null check (items_share >= 0),
  refund_id text,
  return_carrier text,
  return_tracking_no text,
  reship_carrier text,
  reship_tracking_no text,
  reject_reason text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index aftersale_requests_user on aftersale_requests (user_id, id desc);
create index aftersale_requests_merchant on aftersale_requests (merchant_id, id desc);
create index aftersale_requests_order on aftersale_requests (order_id);
create index aftersale_requests_status on aftersale_requests (status, id desc);

create table aftersale_items (
  request_id text not null references aftersale_requests (id),
  order_item_id text not null,
  sku_id text not null,
  title text not null,
  qty int not null check (qty > 0),
  -- True until the request reaches a final state.
  open boolean not null,
  primary key (request_id, order_item_id)
);
-- One open request per order item at a time.
create unique index aftersale_items_one_open on aftersale_items (order_item_id) where open;

create table aftersale_events (
  id text primary key,
  request_id text not null references aftersale_requests (id),
  event text not null,
  from_status text,
  to_status text not null,
  actor_kind text not null,
  actor_id text,
  note text,
  at timestamptz not null
);
create index aftersale_events_request on aftersale_events (request_id, id);
