import Fastify, { type FastifyBaseLogger } from "fastify";
import { buildApp } from "./app.js";
import { assemble, openDatabase } from "./bootstrap.js";
import { loadConfig } from "./platform/config.js";
import { installObservability } from "./platform/http/observability.js";
import { seedDemoStore } from "../demo/seed.js";

/**
 * `npm start`: config → database → migrations → demo data (empty database only) → HTTP → clocks.
 * LIEBIAN_ROLE splits the work over processes: `web` serves HTTP and leaves the outbox and the jobs to
 * `worker` processes, so that delivering events never queues behind requests (and the reverse).
 */
async function main() {
  const config = loadConfig();
  const handle = await openDatabase(config);
  const deps = await assemble({ config, handle });
  const where = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PostgreSQL in ${config.dataDir}/pg`;
  deps.log.info(`database: ${where}; hot counters: ${config.redisUrl ? "Redis" : "in-process"}; role: ${config.role}`);

  const stopping: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stopping) await s();
    await deps.events.stop();
    await deps.jobs.stop();
    await deps.kv.close();
    await handle.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  if (config.role === "worker") {
    // Polled often: web processes do not wake this one after their commits.
    deps.events.start(100);
    deps.jobs.start();
    // Health and metrics only (outbox backlog, statements), for probes and dashboards.
    const probes = Fastify({ loggerInstance: deps.log as FastifyBaseLogger });
    installObservability(probes, deps.db);
    stopping.push(() => probes.close());
    await probes.listen({ port: config.port, host: config.host });
    console.log(`Liebian worker: delivering events and running jobs; /healthz /readyz /metrics on port ${config.port}`);
    return;
  }

  const accounts = config.demoData ? await seedDemoStore(deps) : [];
  const app = await buildApp(deps);
  stopping.push(() => app.close());
  await app.listen({ port: config.port, host: config.host });
  if (config.role === "all") {
    deps.events.start();
    deps.jobs.start();
  } else {
    deps.events.leaveDeliveryToWorkers();
  }

  const url = `http://localhost:${config.port}`;
  const lines = [
    "",
    `Liebian is running at ${url}`,
    `  store ${url}/   admin ${url}/admin   API docs ${url}/docs`,
  ];
  if (accounts.length > 0) {
    lines.push("  demo accounts (POST /auth/login with username + password; consumers may also sign in by phone code):");
    for (const a of accounts) lines.push(`    ${a.role.padEnd(16)} ${a.login.padEnd(14)} ${a.password.padEnd(18)} ${a.note}`);
  }
  console.log(lines.join("\n") + "\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
