-- What every module stands on: the outbox, durable jobs, idempotency keys and the audit log.

create table outbox_events (
  id text primary key,
  type text not null,
  aggregate_id text not null,
  payload jsonb not null,
  created_at timestamptz not null,
  dispatched_at timestamptz,
  locked_until timestamptz,
  attempts int not null default 0,
  last_error text
);
create index outbox_events_pending on outbox_events (id) where dispatched_at is null;

-- One row per (event, subscriber) that has handled it, written in the subscriber's own transaction:
-- a redelivered event finds its row and is skipped, so handlers take effect once.
create table event_deliveries (
  event_id text not null,
  subscriber text not null,
  delivered_at timestamptz not null default now(),
  primary key (event_id, subscriber)
);

create table jobs (
  id text primary key,
  type text not null,
  run_at timestamptz not null,
  payload jsonb not null,
  dedupe_key text unique,
  status text not null default 'pending' check (status in ('pending', 'done', 'failed', 'cancelled')),
  attempts int not null default 0,
  last_error text,
  locked_until timestamptz,
  created_at timestamptz not null,
  finished_at timestamptz
);
create index jobs_due on jobs (run_at) where status = 'pending';

create table idempotency_keys (
  principal text not null,
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status_code int,
  response_body text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (principal, key)
);

create table audit_log (
  id text primary key,
  actor_id text,
  actor_kind text not null,
  action text not null,
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  at timestamptz not null
);
create index audit_log_entity on audit_log (entity, entity_id);
create index audit_log_actor on audit_log (actor_id, at);
