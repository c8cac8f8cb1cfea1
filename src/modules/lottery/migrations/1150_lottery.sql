-- 抽奖 lucky draws (wheel or grid) with prizes, daily chances, share- and quiz-earned chances, and
-- every draw recorded with what reproduces it: the activity's server seed (sealed) and the draw's nonce.

create table lottery_activities (
  id text primary key,
  title text not null,
  kind text not null check (kind in ('wheel', 'grid')),
  status text not null check (status in ('active', 'paused')),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  daily_free_chances int not null check (daily_free_chances >= 0),
  share_chances_per_day int not null check (share_chances_per_day >= 0),
  -- Fen that cash prizes may pay out in all; cash_spent never passes it.
  cash_budget bigint not null check (cash_budget >= 0),
  cash_spent bigint not null check (cash_spent >= 0),
  server_seed_sealed text not null,
  -- sha256 of the seed, published before any draw: the seed cannot be swapped afterwards unnoticed.
  seed_hash text not null,
  draws int not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (cash_spent <= cash_budget),
  check (ends_at > starts_at)
);

create table lottery_prizes (
  id text primary key,
  activity_id text not null references lottery_activities (id),
  position int not null,
  kind text not null check (kind in ('coupon', 'points', 'cash', 'goods', 'thanks')),
  name text not null,
  -- Basis points (1/10 000) of the roll range; an activity's prizes sum to exactly 10 000.
  probability_bp int not null check (probability_bp between 0 and 10000),
  amount bigint check (amount > 0),
  coupon_template_id text,
  stock int check (stock >= 0),
  won int not null check (won >= 0),
  unique (activity_id, position),
  check (stock is null or won <= stock)
);

create table lottery_questions (
  id text primary key,
  activity_id text not null references lottery_activities (id),
  position int not null,
  prompt text not null,
  options jsonb not null,
  answer int not null,
  unique (activity_id, position)
);

-- A consumer's chances on one Asia/Shanghai day.
create table lottery_chance_days (
  activity_id text not null references lottery_activities (id),
  user_id text not null,
  day text not null,
  free_used int not null check (free_used >= 0),
  earned int not null check (earned >= 0),
  earned_used int not null check (earned_used >= 0 and earned_used <= earned),
  shares int not null check (shares >= 0),
  primary key (activity_id, user_id, day)
);

create table lottery_quiz_answers (
  question_id text not null references lottery_questions (id),
  user_id text not null,
  day text not null,
  chosen int not null,
  correct boolean not null,
  created_at timestamptz not null,
  primary key (question_id, user_id, day)
);

create table lottery_draws (
  id text primary key,
  activity_id text not null references lottery_activities (id),
  user_id text not null,
  nonce int not null,
  digest text not null,
  roll int not null check (roll between 0 and 9999),
  picked_prize_id text not null references lottery_prizes (id),
  prize_id text not null references lottery_prizes (id),
  outcome text not null check (outcome in ('won', 'thanks')),
  fallback text check (fallback in ('out_of_stock', 'over_budget')),
  chance_source text not null check (chance_source in ('free', 'earned')),
  day text not null,
  fulfilment text not null check (fulfilment in ('none', 'fulfilled', 'to_fulfil')),
  reward_ref text,
  created_at timestamptz not null,
  unique (activity_id, nonce)
);
create index lottery_draws_user on lottery_draws (activity_id, user_id, id);
create index lottery_draws_to_fulfil on lottery_draws (activity_id, id) where fulfilment = 'to_fulfil';
