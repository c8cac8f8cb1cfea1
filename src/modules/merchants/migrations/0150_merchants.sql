-- Stores that sell on the platform (商家). The platform's own store (自营) is one of them, flagged self_operated.

create table merchants (
  id text primary key,
  -- The company behind the store; store_name is what buyers see.
  name text not null,
  store_name text not null unique,
  logo text,
  self_operated boolean not null default false,
  status text not null default 'active' check (status in ('active', 'suspended')),
  created_at timestamptz not null
);
create unique index merchants_one_self_operated on merchants (self_operated) where self_operated;
