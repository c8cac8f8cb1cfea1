-- Rewards: the double-entry ledger, reward rules and the rewards they issue, caps, member levels,
-- points redeemed at checkout, and the aggregates behind leaderboards.

create table ledger_entries (
  id text primary key,
  key text not null unique,
  cause_type text not null,
  cause_id text not null,
  memo text,
  created_at timestamptz not null
);
create index ledger_entries_cause on ledger_entries (cause_type, cause_id);

create table ledger_lines (
  id text primary key,
  entry_id text not null references ledger_entries (id),
  account text not null,
  currency text not null check (currency in ('points', 'cash', 'growth')),
  amount bigint not null check (amount <> 0),
  created_at timestamptz not null
);
create index ledger_lines_entry on ledger_lines (entry_id);
create index ledger_lines_account on ledger_lines (account, currency, created_at);

-- Balance per account, moved in the same transaction as the lines; the check backs the service's
-- conditional update (only platform accounts may go below zero).
create table ledger_accounts (
  account text not null,
  currency text not null check (currency in ('points', 'cash', 'growth')),
  balance bigint not null,
  may_go_negative boolean not null,
  updated_at timestamptz not null,
  primary key (account, currency),
  check (may_go_negative or balance >= 0)
);

create table reward_rules (
  id text primary key,
  name text not null,
  campaign_id text,
  trigger text not null,
  beneficiary text not null,
  reward_kind text not null check (reward_kind in ('points', 'cash', 'growth', 'coupon')),
  amount bigint not null check (amount >= 0),
  rate_bps int check (rate_bps between 1 and 10000),
  coupon_template_id text,
  budget bigint not null check (budget >= 0),
  cap_per_user bigint check (cap_per_user > 0),
  cap_per_user_per_day bigint check (cap_per_user_per_day > 0),
  cap_per_day bigint check (cap_per_day > 0),
  claim_days int check (claim_days > 0),
  auto_claim boolean not null,
  starts_at timestamptz,
  ends_at timestamptz,
  status text not null check (status in ('active', 'paused')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index reward_rules_trigger on reward_rules (trigger) where status = 'active';

-- Caps as counters: one row per scope (rule budget, rule/user, rule/day, rule/user/day, campaign),
-- raised only by a conditional upsert that stays within the cap.
create table reward_counters (
  key text primary key,
  used bigint not null check (used >= 0)
);

create table reward_campaign_caps (
  campaign_id text not null,
  unit text not null check (unit in ('points', 'cash', 'growth', 'coupon')),
  cap bigint not null check (cap >= 0),
  primary key (campaign_id, unit)
);

create table rewards (
  id text primary key,
  rule_id text not null references reward_rules (id),
  user_id text not null,
  kind text not null,
  amount bigint not null check (amount >= 0),
  original_amount bigint not null check (original_amount > 0),
  proportional boolean not null,
  coupon_id text,
  status text not null,
  held boolean not null,
  cause_event_id text not null,
  cause_key text not null unique,
  order_id text,
  source_user_id text,
  campaign_id text,
  risk_score int,
  risk_reasons text[],
  claim_deadline timestamptz,
  created_at timestamptz not null,
  available_at timestamptz,
  claimed_at timestamptz,
  ended_at timestamptz,
  updated_at timestamptz not null
);
create index rewards_user on rewards (user_id, id);
create index rewards_order on rewards (order_id) where order_id is not null;
create index rewards_rule on rewards (rule_id, status);

create table reward_events (
  id text primary key,
  reward_id text not null references rewards (id),
  event text not null,
  from_status text,
  to_status text not null,
  amount bigint not null,
  cause_id text,
  at timestamptz not null
);
create index reward_events_reward on reward_events (reward_id, id);

-- Monitoring, maintained with every transition (no scans per request).
create table reward_rule_stats (
  rule_id text primary key references reward_rules (id),
  issued_count int not null default 0,
  issued_amount bigint not null default 0,
  claimed_count int not null default 0,
  claimed_amount bigint not null default 0,
  expired_count int not null default 0,
  expired_amount bigint not null default 0,
  cancelled_count int not null default 0,
  cancelled_amount bigint not null default 0,
  rejected_count int not null default 0,
  rejected_amount bigint not null default 0,
  reduced_amount bigint not null default 0,
  flagged_count int not null default 0,
  blocked_count int not null default 0,
  capped_count int not null default 0
);

-- What rewards knows about an order from events: who bought, for how much, through whose share.
create table reward_orders (
  order_id text primary key,
  user_id text not null,
  paid boolean not null default false,
  window_closed boolean not null default false,
  sharer_id text,
  campaign_id text,
  attributed_payable bigint
);

-- Who invited whom (from referral.bound) and the campaign a user arrived through (user.attributed).
create table reward_invitees (
  invitee_id text primary key,
  inviter_id text not null
);
create table reward_user_campaigns (
  user_id text primary key,
  campaign_id text not null
);
-- "First" facts (a user's first completed order), recorded once.
create table reward_firsts (
  user_id text not null,
  fact text not null,
  subject_id text not null,
  primary key (user_id, fact)
);

-- Leaderboards: write-time aggregates; each credit (subject) counts once.
create table leaderboard_scores (
  campaign_id text not null,
  board text not null check (board in ('inviters', 'sharers')),
  user_id text not null,
  score bigint not null,
  updated_at timestamptz not null,
  primary key (campaign_id, board, user_id)
);
create index leaderboard_top on leaderboard_scores (campaign_id, board, score desc, updated_at);
create table leaderboard_credits (
  campaign_id text not null,
  board text not null,
  subject_id text not null,
  primary key (campaign_id, board, subject_id)
);

create table member_levels (
  code text primary key,
  name text not null,
  threshold bigint not null unique check (threshold >= 0),
  member_price boolean not null,
  free_shipping boolean not null,
  updated_at timestamptz not null
);
insert into member_levels (code, name, threshold, member_price, free_shipping, updated_at) values
  ('regular', '普通会员', 0, false, false, now()),
  ('silver', '白银会员', 1000, true, false, now()),
  ('gold', '黄金会员', 5000, true, true, now()),
  ('diamond', '钻石会员', 20000, true, true, now());

create table points_redemptions (
  order_id text primary key,
  user_id text not null,
  points bigint not null check (points > 0),
  status text not null check (status in ('redeemed', 'returned')),
  created_at timestamptz not null,
  returned_at timestamptz
);
