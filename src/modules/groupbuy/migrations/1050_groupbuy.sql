-- 拼团 group buying: activities on SKUs, the teams buyers open, and each member's seat in a team.

create table groupbuy_activities (
  id text primary key,
  title text not null,
  team_size int not null check (team_size between 2 and 10),
  fill_minutes int not null check (fill_minutes > 0),
  payment_minutes int not null check (payment_minutes between 1 and 60 and payment_minutes < fill_minutes),
  per_user_limit int not null check (per_user_limit > 0),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- When on, the activity page says so, and a platform fill is a labelled member of the team.
  platform_fills_last_seat boolean not null,
  ended_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (ends_at > starts_at)
);
create index groupbuy_activities_window on groupbuy_activities (ends_at, starts_at);

create table groupbuy_activity_skus (
  activity_id text not null references groupbuy_activities (id),
  sku_id text not null,
  group_price bigint not null check (group_price >= 0),
  leader_price bigint not null check (leader_price >= 0 and leader_price <= group_price),
  stock int not null check (stock > 0),
  -- Units not held by a seat: taken when a member's order is placed, given back when the seat is freed.
  stock_left int not null check (stock_left >= 0 and stock_left <= stock),
  primary key (activity_id, sku_id)
);

create table groupbuy_teams (
  id text primary key,
  activity_id text not null references groupbuy_activities (id),
  leader_id text not null,
  state text not null,
  size int not null,
  -- Seats held by members whose order exists (unpaid or paid) and by a platform fill.
  seats_taken int not null check (seats_taken >= 0 and seats_taken <= size),
  paid_count int not null check (paid_count >= 0 and paid_count <= seats_taken),
  platform_filled boolean not null default false,
  deadline_at timestamptz not null,
  created_at timestamptz not null,
  opened_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null
);
create index groupbuy_teams_open on groupbuy_teams (activity_id, state, seats_taken desc, deadline_at);
create index groupbuy_teams_state on groupbuy_teams (state, id desc);

create table groupbuy_members (
  id text primary key,
  team_id text not null references groupbuy_teams (id),
  activity_id text not null references groupbuy_activities (id),
  -- null for the platform's labelled fill.
  user_id text,
  kind text not null check (kind in ('leader', 'member', 'platform')),
  state text not null,
  sku_id text,
  qty int not null check (qty >= 0),
  order_id text unique,
  created_at timestamptz not null,
  paid_at timestamptz,
  updated_at timestamptz not null
);
create index groupbuy_members_team on groupbuy_members (team_id, created_at);
create index groupbuy_members_user on groupbuy_members (user_id, id desc);
-- One live seat per buyer per team.
create unique index groupbuy_members_one_seat on groupbuy_members (team_id, user_id) where state in ('reserved', 'paid', 'fulfilled');

-- Units each buyer holds in an activity (per-user limit), kept by conditional updates.
create table groupbuy_quotas (
  activity_id text not null references groupbuy_activities (id),
  user_id text not null,
  units int not null check (units >= 0),
  primary key (activity_id, user_id)
);
