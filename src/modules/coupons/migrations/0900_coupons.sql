-- Coupons (优惠券): templates operators and stores define, coupons users claim or are issued, and coupon
-- fission (a locked coupon that unlocks once shared to N friends) and double-sided invite coupons.

create table coupon_templates (
  id text primary key,
  -- null: a platform coupon (any store); otherwise usable in that store only.
  merchant_id text,
  name text not null,
  kind text not null check (kind in ('fixed', 'percent', 'threshold', 'free_shipping')),
  -- fixed/threshold: fen off; percent: percent_off (20 = 20% off, 八折) up to max_off fen.
  amount integer not null check (amount >= 0),
  percent_off integer check (percent_off between 1 and 99),
  max_off integer check (max_off > 0),
  threshold integer not null check (threshold >= 0),
  scope text not null check (scope in ('all', 'merchant', 'products', 'categories')),
  scope_ids jsonb not null,
  per_user_limit integer check (per_user_limit > 0),
  stock integer check (stock >= 0),
  issued integer not null default 0,
  -- Validity: a fixed window, or valid_days from the moment a coupon is issued.
  valid_from timestamptz,
  valid_until timestamptz,
  valid_days integer check (valid_days > 0),
  stackable boolean not null,
  return_on_cancel boolean not null,
  return_on_refund boolean not null,
  -- false: only issued by the system (rewards, double-sided invites), never claimed by hand.
  claimable boolean not null,
  fission_shares integer check (fission_shares between 1 and 50),
  status text not null check (status in ('active', 'disabled')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (stock is null or issued <= stock),
  check ((valid_until is not null) <> (valid_days is not null))
);
create index coupon_templates_claimable on coupon_templates (merchant_id, id desc) where status = 'active' and claimable;

-- How many coupons of a template each user has had: the per-user limit is a conditional update here.
create table coupon_user_counts (
  template_id text not null,
  user_id text not null,
  issued integer not null,
  primary key (template_id, user_id)
);

create table coupons (
  id text primary key,
  template_id text not null references coupon_templates (id),
  user_id text not null,
  status text not null check (status in ('locked', 'available', 'used')),
  -- Why it exists, once: a claim, a reward rule's event, an invite. Issuing twice with a key gives one coupon.
  issue_key text not null unique,
  reason text not null,
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  order_id text,
  used_at timestamptz,
  unlocked_at timestamptz,
  created_at timestamptz not null
);
create index coupons_user on coupons (user_id, id desc);
create index coupons_order on coupons (order_id) where order_id is not null;

create table coupon_fission_links (
  token text primary key,
  coupon_id text not null unique references coupons (id),
  created_at timestamptz not null
);

-- One open per friend per coupon, ever: the unlock count is the row count.
create table coupon_fission_opens (
  coupon_id text not null references coupons (id),
  user_id text not null,
  opened_at timestamptz not null,
  primary key (coupon_id, user_id)
);

-- 双向券: when an invited friend pays a first order, the inviter and the friend each get a coupon.
create table coupon_pairs (
  id text primary key,
  name text not null,
  inviter_template_id text not null references coupon_templates (id),
  friend_template_id text not null references coupon_templates (id),
  status text not null check (status in ('active', 'disabled')),
  created_at timestamptz not null
);

-- The first paid order of each user as this module saw it (order.paid), so "first order" is decided once.
create table coupon_first_orders (
  user_id text primary key,
  order_id text not null,
  paid_at timestamptz not null
);
