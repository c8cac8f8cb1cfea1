-- Payments taken through providers (test, WeChat Pay, Alipay), the orders each one covers, refunds, and
-- every notification a provider sent us, verified or not.

create table payments (
  id text primary key,
  user_id text not null,
  provider text not null check (provider in ('test', 'wechatpay', 'alipay')),
  amount bigint not null check (amount > 0),
  status text not null default 'created' check (status in ('created', 'succeeded', 'failed', 'closed', 'amount_mismatch')),
  provider_txn_id text,
  created_at timestamptz not null,
  paid_at timestamptz
);
create index payments_user on payments (user_id, id desc);
create index payments_status on payments (status, id desc);
-- A provider's transaction pays at most one of our payments.
create unique index payments_provider_txn on payments (provider, provider_txn_id) where provider_txn_id is not null;

create table payment_orders (
  payment_id text not null references payments (id),
  order_id text not null,
  amount bigint not null check (amount >= 0),
  primary key (payment_id, order_id)
);
create index payment_orders_order on payment_orders (order_id);

create table refunds (
  id text primary key,
  payment_id text not null references payments (id),
  order_id text not null,
  amount bigint not null check (amount > 0),
  reason text not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  -- The caller's idempotency key (e.g. the after-sales request): one refund per key, ever.
  key text not null unique,
  -- Our refund number at the provider, derived from the key, so a retried refund is recognised there too.
  out_refund_no text not null unique,
  provider_refund_id text,
  created_at timestamptz not null,
  completed_at timestamptz
);
create index refunds_order on refunds (order_id);
create index refunds_status on refunds (status, id desc);

create table payment_notifications (
  id text primary key,
  provider text not null,
  verified boolean not null,
  -- What the notification did: paid, replayed, amount_mismatch, failed, unknown_payment, error, rejected.
  outcome text not null,
  reason text,
  payment_id text,
  headers jsonb not null,
  body text not null,
  received_at timestamptz not null
);
create index payment_notifications_payment on payment_notifications (payment_id) where payment_id is not null;
create index payment_notifications_rejected on payment_notifications (received_at desc) where not verified;
