-- Buyers' reviews (评价) of the items they received, with photos (晒单), moderation and the merchant's reply.

create table reviews (
  id text primary key,
  order_id text not null,
  -- One review per order item, ever.
  order_item_id text not null unique,
  product_id text not null,
  sku_id text not null,
  merchant_id text not null,
  user_id text not null,
  rating smallint not null check (rating between 1 and 5),
  text text not null,
  photos jsonb not null,
  has_photos boolean not null,
  anonymous boolean not null,
  status text not null check (status in ('visible', 'hidden')),
  hidden_reason text,
  reply text,
  replied_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index reviews_product on reviews (product_id, id desc) where status = 'visible';
create index reviews_merchant on reviews (merchant_id, id desc);
create index reviews_order on reviews (order_id);
