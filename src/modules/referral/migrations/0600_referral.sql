-- Invites (邀请): every consumer's invite code, who invited whom, and clicks on invite links.

-- One row per consumer who has a code or an inviter. `path` holds the ancestors, root first, so the
-- invite tree answers "descendants of X" with one GIN-indexed containment test (path @> {X}) and
-- "path to root" without recursion; `depth` = cardinality(path).
create table referral_members (
  user_id text primary key,
  invite_code text not null unique,
  inviter_id text,
  path text[] not null default '{}',
  depth integer not null default 0,
  bound_via text check (bound_via in ('invite_code', 'share')),
  bound_at timestamptz,
  created_at timestamptz not null default now(),
  check ((inviter_id is null) = (bound_at is null))
);
create index referral_members_inviter on referral_members (inviter_id, user_id desc) where inviter_id is not null;
create index referral_members_path on referral_members using gin (path);

-- A click on an invite link (/i/<code>); a device's latest click binds it at registration when the
-- client did not pass the code itself.
create table invite_visits (
  id text primary key,
  inviter_id text not null,
  invite_code text not null,
  device_id text,
  ip text,
  at timestamptz not null
);
create index invite_visits_inviter on invite_visits (inviter_id);
create index invite_visits_device on invite_visits (device_id, at desc) where device_id is not null;
