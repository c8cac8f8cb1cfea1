-- 砍价 bargaining: operators' activities, each consumer's bargain, and the cuts planned for it at start.
-- A bargain's cuts are drawn once when it starts (they sum exactly to original − floor); a helper takes
-- the next untaken cut, so the price reaches the floor exactly with the last helper.

create table bargain_activities (
  id text primary key,
  title text not null,
  sku_id text not null,
  original_price bigint not null check (original_price > 0),
  floor_price bigint not null check (floor_price >= 0),
  helpers_needed int not null check (helpers_needed >= 1),
  time_limit_minutes int not null check (time_limit_minutes > 0),
  early_purchase boolean not null,
  payment_minutes int not null check (payment_minutes between 1 and 1440),
  -- Units this activity may sell: a started bargain reserves one until it expires or its order is paid.
  stock int not null check (stock >= 0),
  reserved int not null check (reserved >= 0),
  sold int not null check (sold >= 0),
  status text not null check (status in ('active', 'paused')),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (floor_price < original_price),
  check (original_price - floor_price >= helpers_needed),
  check (reserved + sold <= stock),
  check (ends_at > starts_at)
);

create table bargains (
  id text primary key,
  activity_id text not null references bargain_activities (id),
  owner_id text not null,
  owner_device_id text,
  status text not null,
  original_price bigint not null,
  floor_price bigint not null,
  current_price bigint not null,
  helpers_needed int not null,
  cuts_taken int not null,
  seed text not null,
  order_id text,
  expires_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  ended_at timestamptz,
  check (current_price >= floor_price and current_price <= original_price),
  check (cuts_taken between 0 and helpers_needed)
);
-- One bargain per consumer and activity, unless it expired (then they may start again).
create unique index bargains_one_live on bargains (activity_id, owner_id) where status <> 'expired';
create index bargains_owner on bargains (owner_id, id);

create table bargain_cuts (
  bargain_id text not null references bargains (id),
  seq int not null check (seq >= 1),
  amount bigint not null check (amount >= 1),
  helper_id text,
  helper_device_id text,
  -- The helper registered through a share of this bargain (拉新).
  new_user boolean,
  helped_at timestamptz,
  primary key (bargain_id, seq),
  unique (bargain_id, helper_id),
  unique (bargain_id, helper_device_id)
);
