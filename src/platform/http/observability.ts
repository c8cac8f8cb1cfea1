import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import client from "prom-client";
import { type Db, sqlStats } from "../db/database.js";

/** /healthz (the process answers), /readyz (the database answers) and /metrics (Prometheus). */
export function installObservability(app: FastifyInstance, db: Db): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new client.Counter({
    name: "sql_statements_total",
    help: "SQL statements sent to the database by this process",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sqlStats.statements);
    },
  });
  new client.Gauge({
    name: "outbox_pending_events",
    help: "Domain events written but not yet delivered to every subscriber (the dispatcher's lag)",
    registers: [registry],
    async collect() {
      const row = await sql<{ n: number }>`select count(*)::int as n from outbox_events where dispatched_at is null`.execute(db);
      this.set(row.rows[0].n);
    },
  });
  app.addHook("onResponse", async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const hidden = { hide: true } as const;
  app.get("/healthz", { config: { access: "public" }, schema: hidden }, async () => ({ status: "ok" }));
  app.get("/readyz", { config: { access: "public" }, schema: hidden }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: "ready" };
    } catch {
      return reply.status(503).send({ code: "not_ready", message: "database unreachable" });
    }
  });
  app.get("/metrics", { config: { access: "public" }, schema: hidden }, async (_req, reply) => {
    void reply.header("content-type", registry.contentType);
    return registry.metrics();
  });
}
