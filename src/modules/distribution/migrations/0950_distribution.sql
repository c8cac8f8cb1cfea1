-- Distribution (分销): promoters, customer bindings, commission rates (two levels at most), commissions
-- with their lifecycle, and withdrawals. Money itself moves in the rewards ledger; these rows are the
-- state machines and the reasons.

create table distribution_settings (
  id text primary key check (id = 'default'),
  auto_approve boolean not null,
  binding_rule text not null check (binding_rule in ('first', 'last')),
  binding_days integer not null check (binding_days between 1 and 3650),
  -- Two levels at most: a third would be pyramid selling (多级分销), which Chinese law forbids.
  levels integer not null check (levels between 1 and 2),
  level1_rate_bp integer not null check (level1_rate_bp between 0 and 10000),
  level2_rate_bp integer not null check (level2_rate_bp between 0 and 10000),
  min_withdrawal integer not null check (min_withdrawal >= 1),
  withdrawal_fee_bp integer not null check (withdrawal_fee_bp between 0 and 10000),
  updated_at timestamptz not null
);
insert into distribution_settings values ('default', true, 'first', 30, 2, 1000, 500, 1000, 0, now());

create table commission_rates (
  id text primary key,
  scope text not null check (scope in ('product', 'category')),
  target_id text not null,
  level integer not null check (level in (1, 2)),
  rate_bp integer not null check (rate_bp between 0 and 10000),
  updated_at timestamptz not null,
  unique (scope, target_id, level)
);

create table promoters (
  user_id text primary key,
  status text not null check (status in ('pending', 'approved', 'rejected')),
  applied_at timestamptz not null,
  decided_at timestamptz,
  decided_by text,
  note text
);
create index promoters_status on promoters (status, applied_at);

-- The promoter a customer is bound to now (one at most); a promoter is bound like any customer, which
-- is what makes their own promoter the level-2 upline.
create table promoter_bindings (
  customer_id text primary key,
  promoter_id text not null,
  source text not null,
  bound_at timestamptz not null,
  expires_at timestamptz not null
);
create index promoter_bindings_promoter on promoter_bindings (promoter_id, bound_at desc);

create table commissions (
  id text primary key,
  order_id text not null,
  buyer_id text not null,
  promoter_id text not null,
  level integer not null check (level in (1, 2)),
  base integer not null,
  amount integer not null check (amount > 0),
  -- What the promoter keeps after partial refunds: floor(amount × (payable − refunded) / payable).
  kept integer not null check (kept between 0 and amount),
  order_payable integer not null,
  refunded integer not null,
  status text not null check (status in ('pending', 'frozen', 'available', 'cancelled')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (order_id, level)
);
create index commissions_promoter on commissions (promoter_id, id desc);

-- Every move of a commission, once per cause (a refund id, an event).
create table commission_events (
  id text primary key,
  commission_id text not null references commissions (id),
  event text not null,
  cause_id text not null,
  from_status text not null,
  to_status text not null,
  amount integer not null,
  at timestamptz not null,
  unique (commission_id, event, cause_id)
);

create table withdrawals (
  id text primary key,
  promoter_id text not null,
  amount integer not null check (amount > 0),
  fee integer not null check (fee >= 0),
  net integer not null check (net >= 0),
  status text not null check (status in ('requested', 'approved', 'paid', 'rejected', 'failed')),
  provider text not null,
  provider_ref text,
  reviewed_by text,
  note text,
  created_at timestamptz not null,
  decided_at timestamptz,
  paid_at timestamptz
);
create index withdrawals_promoter on withdrawals (promoter_id, id desc);
create index withdrawals_status on withdrawals (status, id desc);
