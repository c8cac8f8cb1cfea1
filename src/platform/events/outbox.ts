import type { Db } from "../db/database.js";
import { newId } from "../ids.js";

/** A domain event as subscribers receive it. */
export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  type: string;
  aggregateId: string;
  payload: P;
  createdAt: Date;
}

/**
 * Records a domain event in the caller's transaction: it exists exactly when the change it describes
 * was committed. The dispatcher delivers it afterwards.
 */
export async function publish(
  trx: Db,
  type: string,
  aggregateId: string,
  payload: Record<string, unknown>,
  at: Date,
): Promise<string> {
  const id = newId("evt");
  await trx
    .insertInto("outbox_events")
    .values({ id, type, aggregate_id: aggregateId, payload: JSON.stringify(payload), created_at: at, dispatched_at: null, locked_until: null, last_error: null })
    .execute();
  return id;
}
