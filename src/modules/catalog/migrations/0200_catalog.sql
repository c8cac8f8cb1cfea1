-- The catalog: a category tree, attributes (规格 such as 颜色/尺码), products with their SKUs, bundles, price lists.

create table categories (
  id text primary key,
  parent_id text references categories (id),
  name text not null,
  icon text,
  sort int not null default 0,
  created_at timestamptz not null
);
create unique index categories_sibling_name on categories (coalesce(parent_id, ''), name);
create index categories_parent on categories (parent_id);

-- A spec dimension and the values a SKU may take in it; no values means free text (e.g. 规格: 500g).
create table attributes (
  id text primary key,
  name text not null unique,
  "values" text[] not null default '{}',
  sort int not null default 0,
  created_at timestamptz not null
);

create table products (
  id text primary key,
  merchant_id text not null references merchants (id),
  category_id text not null references categories (id),
  kind text not null default 'standard' check (kind in ('standard', 'bundle')),
  title text not null,
  subtitle text not null default '',
  description text not null default '',
  images text[] not null default '{}',
  role text not null check (role in ('basic', 'profit', 'value_added')),
  after_sale_exempt boolean not null default false,
  status text not null default 'draft' check (status in ('draft', 'on_sale', 'off_sale')),
  tags text[] not null default '{}',
  -- Lowest list price among active SKUs, kept by the catalog service so browsing can sort and page by price.
  price_from int,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index products_on_sale on products (id desc) where status = 'on_sale';
create index products_on_sale_price on products (price_from, id) where status = 'on_sale';
create index products_category on products (category_id);
create index products_merchant on products (merchant_id, id desc);
create index products_tags on products using gin (tags);

create table skus (
  id text primary key,
  product_id text not null references products (id),
  code text not null,
  specs jsonb not null default '{}',
  price int not null check (price >= 0),
  weight_grams int not null default 0 check (weight_grams >= 0),
  status text not null default 'active' check (status in ('active', 'inactive')),
  -- A bundle's single SKU lists what it is made of: [{"skuId": "sku_…", "qty": 2}]; [] otherwise.
  components jsonb not null default '[]',
  created_at timestamptz not null
);
create unique index skus_code on skus (product_id, code);
create unique index skus_specs on skus (product_id, specs);

create table price_lists (
  id text primary key,
  name text not null,
  kind text not null check (kind in ('member', 'channel', 'tiered')),
  -- Null: every channel. A channel list names its channel.
  channel text check (channel ~ '^[a-z][a-z0-9_]{1,31}$'),
  active boolean not null default true,
  created_at timestamptz not null,
  check (kind <> 'channel' or channel is not null)
);

create table price_list_items (
  price_list_id text not null references price_lists (id),
  sku_id text not null references skus (id),
  price int not null check (price >= 0),
  min_qty int not null default 1 check (min_qty >= 1),
  primary key (price_list_id, sku_id, min_qty)
);
create index price_list_items_sku on price_list_items (sku_id);
