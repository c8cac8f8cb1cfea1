-- A bundle line records the components it held stock on, so returned bundles restock exactly those.
alter table order_items add column components jsonb not null default '[]';
