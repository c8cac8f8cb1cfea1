import type { ColumnType, Generated } from "kysely";

/** A jsonb column: written as a JSON string or value, read back parsed. */
export type Json<T> = ColumnType<T, string | T, string | T>;
/** A timestamptz column with a database default. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface PlatformTables {
  outbox_events: {
    id: string;
    type: string;
    aggregate_id: string;
    payload: Json<Record<string, unknown>>;
    created_at: Date;
    dispatched_at: Date | null;
    locked_until: Date | null;
    attempts: Generated<number>;
    last_error: string | null;
  };
  event_deliveries: { event_id: string; subscriber: string; delivered_at: CreatedAt };
  jobs: {
    id: string;
    type: string;
    run_at: Date;
    payload: Json<Record<string, unknown>>;
    dedupe_key: string | null;
    status: Generated<"pending" | "done" | "failed" | "cancelled">;
    attempts: Generated<number>;
    last_error: string | null;
    locked_until: Date | null;
    created_at: Date;
    finished_at: Date | null;
  };
  idempotency_keys: {
    principal: string;
    key: string;
    method: string;
    path: string;
    request_hash: string;
    status_code: number | null;
    response_body: string | null;
    created_at: CreatedAt;
    completed_at: Date | null;
  };
  audit_log: {
    id: string;
    actor_id: string | null;
    actor_kind: string;
    action: string;
    entity: string;
    entity_id: string | null;
    before: Json<unknown> | null;
    after: Json<unknown> | null;
    request_id: string | null;
    at: Date;
  };
}
