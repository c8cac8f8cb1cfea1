-- Shares (分享) and their attribution: share → visit → registration → order.

create table shares (
  id text primary key,
  token text not null unique,
  sharer_id text not null,
  target_type text not null,
  target_id text not null,
  channel text not null,
  campaign_id text,
  created_at timestamptz not null
);
create index shares_sharer on shares (sharer_id, id desc);
create index shares_campaign on shares (campaign_id) where campaign_id is not null;
create index shares_channel on shares (channel);
-- A poster carries one share per sharer and target, reused by every poster drawn for it.
create unique index shares_poster on shares (sharer_id, target_type, target_id) where channel = 'poster' and campaign_id is null;

-- A visit: a visitor's clicks on one share, counted once per dedupe window (a click after the window
-- opens a new visit). The visitor is the signed-in user, else the device ("dev:<id>"); sharer,
-- channel and campaign are copied from the share so reports group without joins.
create table share_visits (
  id text primary key,
  share_id text not null,
  sharer_id text not null,
  channel text not null,
  campaign_id text,
  visitor_id text not null,
  user_id text,
  device_id text,
  ip text,
  first_at timestamptz not null,
  last_at timestamptz not null,
  clicks integer not null
);
create index share_visits_visitor on share_visits (share_id, visitor_id, first_at desc);
create index share_visits_user on share_visits (user_id, last_at) where user_id is not null;
create index share_visits_device on share_visits (device_id) where device_id is not null;
create index share_visits_sharer on share_visits (sharer_id);
create index share_visits_campaign on share_visits (campaign_id) where campaign_id is not null;
create index share_visits_channel on share_visits (channel);

-- Which user a device belongs to (learnt at registration or sign-in), so anonymous clicks count for them.
create table visitor_devices (
  device_id text primary key,
  user_id text not null,
  linked_at timestamptz not null
);

-- The share a registration or an order is attributed to: at most one per subject.
create table share_attributions (
  id text primary key,
  subject_type text not null check (subject_type in ('registration', 'order')),
  subject_id text not null,
  user_id text not null,
  share_id text not null,
  sharer_id text not null,
  channel text not null,
  campaign_id text,
  target_type text not null,
  target_id text not null,
  visit_id text,
  rule text not null check (rule in ('last_touch', 'first_touch')),
  touched_at timestamptz not null,
  payable bigint not null default 0,
  order_status text check (order_status in ('placed', 'paid', 'cancelled', 'closed')),
  paid_at timestamptz,
  refunded_amount bigint not null default 0,
  at timestamptz not null,
  unique (subject_type, subject_id)
);
create index share_attributions_user on share_attributions (user_id, subject_type);
create index share_attributions_sharer on share_attributions (sharer_id);
create index share_attributions_campaign on share_attributions (campaign_id) where campaign_id is not null;
create index share_attributions_channel on share_attributions (channel);

-- Operators' attribution settings; no row means the defaults from the environment.
create table sharing_settings (
  id boolean primary key default true check (id),
  window_days integer not null check (window_days between 1 and 90),
  rule text not null check (rule in ('last_touch', 'first_touch')),
  visit_dedupe_hours integer not null check (visit_dedupe_hours between 1 and 720),
  updated_at timestamptz not null
);
