-- 秒杀 flash sales: time slots, the SKUs each slot sells at a flash price, and every purchase attempt
-- that won a unit in the counter (Redis or in-process). The attempts are the database's side of the
-- counter: reconciliation compares the two.

create table flash_slots (
  id text primary key,
  title text not null,
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (closes_at > opens_at)
);
create index flash_slots_opens on flash_slots (opens_at);

create table flash_items (
  id text primary key,
  slot_id text not null references flash_slots (id),
  sku_id text not null,
  flash_price bigint not null check (flash_price >= 0),
  stock int not null check (stock > 0),
  per_user_limit int not null check (per_user_limit > 0),
  payment_minutes int not null check (payment_minutes between 1 and 60),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (slot_id, sku_id)
);
create index flash_items_slot on flash_items (slot_id);

create table flash_attempts (
  id text primary key,
  item_id text not null references flash_items (id),
  user_id text not null,
  qty int not null check (qty > 0),
  address_id text not null,
  status text not null,
  -- Set in the transaction that places the order, so a redelivered queue message cannot place a second.
  order_id text unique,
  failure text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index flash_attempts_item on flash_attempts (item_id, status);
create index flash_attempts_user on flash_attempts (user_id, id desc);
