import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Db } from "../db/database.js";
import { operator } from "../auth/access.js";
import { PageQuery, pageOf } from "./schemas.js";

/** Operators read the audit log: who did what, when, with the before/after of each change. */
export function auditRoutes(app: FastifyInstance, db: Db): void {
  app.get(
    "/admin/audit-log",
    {
      config: { access: operator("audit") },
      schema: {
        tags: ["audit"],
        summary: "Operator and merchant actions, newest first",
        querystring: Type.Intersect([PageQuery, Type.Object({ entity: Type.Optional(Type.String({ maxLength: 64 })), entityId: Type.Optional(Type.String({ maxLength: 64 })), actorId: Type.Optional(Type.String({ maxLength: 64 })) })]),
      },
    },
    async (request) => {
      const q = request.query as { limit?: number; after?: string; entity?: string; entityId?: string; actorId?: string };
      const limit = q.limit ?? 20;
      let query = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit + 1);
      if (q.after) query = query.where("id", "<", q.after);
      if (q.entity) query = query.where("entity", "=", q.entity);
      if (q.entityId) query = query.where("entity_id", "=", q.entityId);
      if (q.actorId) query = query.where("actor_id", "=", q.actorId);
      const rows = await query.execute();
      return pageOf(
        rows.map((r) => ({ id: r.id, actorId: r.actor_id, actorKind: r.actor_kind, action: r.action, entity: r.entity, entityId: r.entity_id, before: r.before, after: r.after, requestId: r.request_id, at: r.at })),
        limit,
      );
    },
  );
}
