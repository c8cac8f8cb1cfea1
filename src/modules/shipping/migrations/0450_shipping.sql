-- Shipments (parcels) of orders, what each parcel holds, carrier tracking events, and carrier webhook secrets.

create table shipments (
  id text primary key,
  order_id text not null,
  merchant_id text not null,
  carrier_code text not null,
  carrier_name text not null,
  tracking_no text not null,
  status text not null check (status in ('in_transit', 'delivered')),
  created_by text,
  created_at timestamptz not null,
  delivered_at timestamptz
);
-- A tracking number names one parcel at its carrier; webhooks find the shipment by it.
create unique index shipments_tracking on shipments (carrier_code, tracking_no);
create index shipments_order on shipments (order_id, id);

create table shipment_items (
  shipment_id text not null references shipments (id),
  order_item_id text not null,
  sku_id text not null,
  qty int not null check (qty > 0),
  primary key (shipment_id, order_item_id)
);
create index shipment_items_item on shipment_items (order_item_id);

create table shipment_events (
  id text primary key,
  shipment_id text not null references shipments (id),
  occurred_at timestamptz not null,
  status text not null,
  location text,
  description text not null,
  source text not null check (source in ('staff', 'carrier')),
  created_at timestamptz not null
);
-- Carriers push the same event again when they retry: the second copy is ignored.
create unique index shipment_events_once on shipment_events (shipment_id, occurred_at, status);
create index shipment_events_shipment on shipment_events (shipment_id, occurred_at);

create table carrier_webhook_secrets (
  carrier_code text primary key,
  -- Sealed with the field cipher; only the signature check ever opens it.
  secret_enc text not null,
  updated_at timestamptz not null
);
