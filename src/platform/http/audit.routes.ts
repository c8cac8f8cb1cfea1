import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Db } from "../db/database.js";
import { operator } from "../auth/access.js";
import { PageQuery, pageOf, Timestamp } from "./schemas.js";

/** The display names of the people behind actor ids: the log keeps ids, the identity module owns names. */
export type ActorNames = (ids: string[]) => Promise<Map<string, string>>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Operators read the audit log: who did what, when, with the before/after of each change. */
export function auditRoutes(app: FastifyInstance, db: Db, actorNames: ActorNames = async () => new Map()): void {
  app.get(
    "/admin/audit-log",
    {
      config: { access: operator("audit") },
      schema: {
        tags: ["audit"],
        summary: "Operator and merchant actions, newest first",
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            entity: Type.Optional(Type.String({ maxLength: 64 })),
            entityId: Type.Optional(Type.String({ maxLength: 64 })),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
            action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "an action or its start: `product.` finds every product action" })),
            requestId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "the request that made the change (x-request-id)" })),
            since: Type.Optional({ ...Timestamp, description: "at or after this instant" }),
            until: Type.Optional({ ...Timestamp, description: "before this instant" }),
          }),
        ]),
      },
    },
    async (request) => {
      const q = request.query as { limit?: number; after?: string; entity?: string; entityId?: string; actorId?: string; action?: string; requestId?: string; since?: string; until?: string };
      const limit = q.limit ?? 20;
      let query = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit + 1);
      if (q.after) query = query.where("id", "<", q.after);
      if (q.entity) query = query.where("entity", "=", q.entity);
      if (q.entityId) query = query.where("entity_id", "=", q.entityId);
      if (q.actorId) query = query.where("actor_id", "=", q.actorId);
      if (q.action) query = query.where("action", "like", `${escapeLike(q.action)}%`);
      if (q.requestId) query = query.where("request_id", "=", q.requestId);
      if (q.since) query = query.where("at", ">=", new Date(q.since));
      if (q.until) query = query.where("at", "<", new Date(q.until));
      const rows = await query.execute();
      const names = await actorNames(rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])));
      return pageOf(
        rows.map((r) => ({
          id: r.id,
          actorId: r.actor_id,
          actorName: r.actor_id ? (names.get(r.actor_id) ?? null) : null,
          actorKind: r.actor_kind,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          requestId: r.request_id,
          at: r.at,
        })),
        limit,
      );
    },
  );
}
