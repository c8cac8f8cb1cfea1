import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Db } from "../db/database.js";
import { conflict, unprocessable } from "../errors.js";

const HEADER = "idempotency-key";

function requestHash(request: FastifyRequest): string {
  return crypto
    .createHash("sha256")
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest("base64url");
}

/**
 * Stripe-style idempotency for routes marked `config.idempotent`: the first response to a key is stored;
 * the same key and body again returns it unchanged (header `Idempotent-Replayed: true`); the same key with
 * another body is a 422; a second request while the first is still running is a 409.
 * Keys are scoped to the caller (their user id, or their IP when anonymous).
 */
export function installIdempotency(app: FastifyInstance, db: Db): void {
  app.addHook("preHandler", async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config.idempotent) return;
    const key = request.headers[HEADER];
    if (typeof key !== "string" || key === "") return;
    if (key.length > 255) throw unprocessable("idempotency_key_invalid", "Idempotency-Key is at most 255 characters");
    const principal = request.principal?.userId ?? `ip:${request.ip}`;
    const hash = requestHash(request);
    const inserted = await db
      .insertInto("idempotency_keys")
      .values({ principal, key, method: request.method, path: request.url, request_hash: hash, status_code: null, response_body: null, completed_at: null })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
      request.idempotency = { principal, key };
      return;
    }
    const row = await db.selectFrom("idempotency_keys").selectAll().where("principal", "=", principal).where("key", "=", key).executeTakeFirstOrThrow();
    if (row.request_hash !== hash) {
      throw unprocessable("idempotency_key_reused", "this Idempotency-Key was used with a different request", { field: "Idempotency-Key" });
    }
    if (row.completed_at === null || row.status_code === null) {
      throw conflict("idempotency_in_progress", "a request with this Idempotency-Key is still being processed");
    }
    void reply.header("idempotent-replayed", "true").header("content-type", "application/json; charset=utf-8").status(row.status_code);
    return reply.send(row.response_body);
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500) {
      // A failure on our side is not an answer: let the client retry with the same key.
      await db.deleteFrom("idempotency_keys").where("principal", "=", idem.principal).where("key", "=", idem.key).execute();
    } else {
      await db
        .updateTable("idempotency_keys")
        .set({ status_code: reply.statusCode, response_body: typeof payload === "string" ? payload : JSON.stringify(payload), completed_at: new Date() })
        .where("principal", "=", idem.principal)
        .where("key", "=", idem.key)
        .execute();
    }
    return payload;
  });
}
