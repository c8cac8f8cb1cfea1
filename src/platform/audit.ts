import type { Actor } from "./auth/principal.js";
import type { Db } from "./db/database.js";
import { newId } from "./ids.js";

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Records an operator's or merchant's write in the same transaction as the write itself. */
export async function audit(trx: Db, actor: Actor, entry: AuditEntry, at: Date): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      id: newId("aud"),
      actor_id: actor.userId,
      actor_kind: actor.kind,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: actor.requestId,
      at,
    })
    .execute();
}
