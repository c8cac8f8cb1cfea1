-- Anti-abuse, first line: what we know about how each consumer arrived, the score of every reward, and
-- the manual review queue that rewards, commissions and withdrawals share.

-- One row per consumer, written from user.registered: the signals self-referral checks compare.
create table risk_profiles (
  user_id text primary key,
  device_id text,
  phone_hash text,
  ip text,
  flags text[] not null default '{}',
  registered_at timestamptz not null
);
create index risk_profiles_device on risk_profiles (device_id) where device_id is not null;
create index risk_profiles_phone on risk_profiles (phone_hash) where phone_hash is not null;

-- Every score given, so a beneficiary's recent reward velocity is a range scan on one index.
create table risk_scores (
  id text primary key,
  beneficiary_id text not null,
  source_user_id text,
  kind text not null,
  amount bigint not null,
  score int not null check (score between 0 and 100),
  reasons text[] not null,
  at timestamptz not null
);
create index risk_scores_beneficiary on risk_scores (beneficiary_id, at);

create table risk_reviews (
  id text primary key,
  subject_type text not null check (subject_type in ('reward', 'commission', 'withdrawal')),
  subject_id text not null,
  score int not null,
  reasons text[] not null,
  status text not null check (status in ('pending', 'approved', 'rejected')),
  note text,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null,
  unique (subject_type, subject_id)
);
create index risk_reviews_status on risk_reviews (status, id);

-- Operator-tunable numbers (thresholds and velocity limits), read on use.
create table risk_settings (
  key text primary key,
  value int not null check (value >= 0),
  description text not null
);
insert into risk_settings (key, value, description) values
  ('review_threshold', 60, 'a reward scoring at least this goes to manual review instead of being paid'),
  ('registrations_per_device_hour', 3, 'more sign-ups than this from one device in an hour flag the newcomers'),
  ('registrations_per_ip_hour', 20, 'more sign-ups than this from one IP in an hour flag the newcomers'),
  ('claims_per_user_minute', 10, 'reward claims per user per minute before 429'),
  ('rewards_per_user_day', 20, 'rewards scored for one beneficiary in 24 hours before velocity counts against them'),
  ('large_cash_fen', 10000, 'a cash reward of at least this many fen adds to its score');
