-- Stock per SKU per warehouse, reservations held for unpaid orders, and a ledger of every change.

create table warehouses (
  id text primary key,
  name text not null,
  -- Null: the platform's own; otherwise the store that runs it.
  merchant_id text references merchants (id),
  is_default boolean not null default false,
  created_at timestamptz not null
);
create unique index warehouses_one_default on warehouses (is_default) where is_default;
-- Stock set without naming a warehouse lands here.
insert into warehouses (id, name, merchant_id, is_default, created_at)
values ('wh_00000000000000000000000000', '总仓', null, true, now());

-- Available = on_hand - reserved. The checks make overselling and negative stock impossible to store.
create table stock_levels (
  sku_id text not null references skus (id),
  warehouse_id text not null references warehouses (id),
  on_hand int not null default 0,
  reserved int not null default 0,
  primary key (sku_id, warehouse_id),
  check (on_hand >= 0 and reserved >= 0 and reserved <= on_hand)
);

create table reservations (
  id text primary key,
  order_id text not null,
  sku_id text not null,
  warehouse_id text not null,
  qty int not null check (qty > 0),
  -- Of a committed (sold) quantity, how much buyers have sent back.
  returned_qty int not null default 0,
  status text not null check (status in ('held', 'committed', 'released')),
  expires_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (order_id, sku_id, warehouse_id),
  check (returned_qty >= 0 and returned_qty <= qty)
);
create index reservations_held on reservations (expires_at) where status = 'held';

create table stock_movements (
  id text primary key,
  sku_id text not null,
  warehouse_id text not null,
  delta_on_hand int not null,
  delta_reserved int not null,
  reason text not null check (reason in ('reservation', 'release', 'sale', 'return', 'adjustment', 'receipt')),
  -- The order, return or document behind the change.
  ref text,
  note text,
  at timestamptz not null
);
create index stock_movements_sku on stock_movements (sku_id, id desc);
create index stock_movements_ref on stock_movements (ref);
