-- Growth analytics (增长分析): the event log, the rollups kept at ingestion, the per-user and per-order
-- facts that later events complete, and export jobs. Definitions: docs/metrics.md.

-- Every tracked event, browser or server, append-only. `day` is the Asia/Shanghai calendar day of `at`;
-- `actor_id` is the person: the user id, else 'anon:' + the browser's anonymous id.
create table analytics_events (
  id bigint generated always as identity primary key,
  type text not null,
  at timestamptz not null,
  day date not null,
  actor_id text not null,
  user_id text,
  anonymous_id text,
  session_id text,
  channel text,
  campaign_id text,
  campaign_type text,
  path text,
  share_token text,
  source text,
  medium text,
  product_id text,
  order_id text,
  promoter_id text,
  amount bigint,
  props jsonb
);
-- Funnels and filtered counts read one type over a range of days; person and time ride in the index
-- so those reads need not visit the table (index-only, once vacuum has passed).
create index analytics_events_type_day on analytics_events (type, day) include (actor_id, at);
-- Visits per channel read page views' sessions: those ride in a partial index of page views only.
create index analytics_events_page_views on analytics_events (day) include (channel, session_id, actor_id) where type = 'page_view';
-- Anonymous events still waiting for their browser to sign in (see analytics_identities).
create index analytics_events_anonymous on analytics_events (anonymous_id) where user_id is null;

-- Which user a browser's anonymous id belongs to, from the first event that carried both, and the UTM
-- source the browser first arrived with (it becomes a new user's source).
create table analytics_identities (
  anonymous_id text primary key,
  user_id text not null,
  linked_at timestamptz not null,
  source text,
  medium text
);
create index analytics_identities_user on analytics_identities (user_id);

-- Events per day and dimension ('' where the event has none): PV and counts without scanning the log.
-- Products and promoters are too many to be dimensions here; filters on them read the log.
create table analytics_daily_counts (
  day date not null,
  type text not null,
  channel text not null,
  campaign_id text not null,
  path text not null,
  events bigint not null,
  amount bigint not null,
  primary key (day, type, channel, campaign_id, path)
);

-- Who was active on which day (one row per person and day): UV, active users, retention. One index,
-- by person (retention and linking look people up); a range of days is a scan of this small table.
create table analytics_daily_actors (
  actor_id text not null,
  day date not null,
  primary key (actor_id, day)
);

-- Who was active in which week (Monday, Asia/Shanghai): retention without de-duplicating days.
create table analytics_weekly_actors (
  actor_id text not null,
  week date not null,
  primary key (actor_id, week)
);

-- One row per registered user: cohort, inviter and what brought them. `root_id` is the top of the
-- user's invite tree (null for someone nobody invited), so tree sizes are one group-by.
create table analytics_users (
  user_id text primary key,
  registered_at timestamptz not null,
  day date not null,
  inviter_id text,
  root_id text,
  channel text,
  campaign_id text,
  sharer_id text,
  source text,
  medium text
);
create index analytics_users_day on analytics_users (day);
create index analytics_users_inviter on analytics_users (inviter_id) where inviter_id is not null;
create index analytics_users_root on analytics_users (root_id) where root_id is not null;

-- One row per order placed: paid day, amount net of refunds, and what it is credited to.
create table analytics_orders (
  order_id text primary key,
  user_id text not null,
  placed_at timestamptz not null,
  paid_at timestamptz,
  paid_day date,
  payable bigint not null,
  refunded bigint not null default 0,
  channel text,
  campaign_id text,
  campaign_type text,
  sharer_id text,
  promoter_id text,
  invited boolean not null default false,
  product_ids text[] not null
);
create index analytics_orders_paid_day on analytics_orders (paid_day) where paid_day is not null;
create index analytics_orders_user on analytics_orders (user_id);

-- What growth costs: rewards (cash and points at 1 point = 1 fen) and commissions, net of what was
-- cancelled, rejected or reversed since.
create table analytics_costs (
  id text primary key,
  kind text not null check (kind in ('reward', 'commission')),
  at timestamptz not null,
  day date not null,
  user_id text not null,
  order_id text,
  channel text,
  campaign_id text,
  path text not null,
  amount bigint not null
);
create index analytics_costs_day on analytics_costs (day);

-- CSV exports run as durable jobs, a chunk of rows per run; the parts are the file.
create table analytics_exports (
  id text primary key,
  report text not null,
  params jsonb not null,
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  progress double precision not null,
  rows integer not null,
  total integer,
  cursor text,
  error text,
  requested_by text,
  created_at timestamptz not null,
  finished_at timestamptz
);
create table analytics_export_parts (
  export_id text not null,
  seq integer not null,
  csv text not null,
  primary key (export_id, seq)
);
