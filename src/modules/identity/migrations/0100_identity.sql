-- Accounts of every kind, their sessions, one-time login codes and consumers' address books.

create table users (
  id text primary key,
  kind text not null check (kind in ('operator', 'merchant', 'supplier', 'consumer')),
  username text unique,
  -- Phone numbers are sealed with AES-256-GCM; phone_hash (HMAC) serves lookups and uniqueness.
  phone_enc text,
  phone_hash text,
  password_hash text,
  display_name text not null,
  merchant_id text,
  supplier_id text,
  permissions text[] not null default '{}',
  is_promoter boolean not null default false,
  status text not null default 'active' check (status in ('active', 'disabled')),
  created_at timestamptz not null
);
create unique index users_phone on users (kind, phone_hash) where phone_hash is not null;

create table sessions (
  id text primary key,
  token_hash text not null unique,
  user_id text not null references users (id),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_user on sessions (user_id);

create table sms_codes (
  id text primary key,
  phone_hash text not null,
  code_hash text not null,
  purpose text not null,
  attempts int not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  consumed_at timestamptz
);
create index sms_codes_phone on sms_codes (phone_hash, created_at desc);

create table addresses (
  id text primary key,
  user_id text not null references users (id),
  recipient text not null,
  phone_enc text not null,
  province text not null,
  city text not null,
  district text not null,
  detail text not null,
  postal_code text,
  is_default boolean not null default false,
  created_at timestamptz not null,
  deleted_at timestamptz
);
create index addresses_user on addresses (user_id) where deleted_at is null;
