import { buildApp } from "./app.js";
import { assemble, openDatabase } from "./bootstrap.js";
import { loadConfig } from "./platform/config.js";
import { seedDemoStore } from "../demo/seed.js";

/** `npm start`: config → database → migrations → demo data (empty database only) → HTTP → clocks. */
async function main() {
  const config = loadConfig();
  const handle = await openDatabase(config);
  const deps = await assemble({ config, handle });
  const where = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PostgreSQL in ${config.dataDir}/pg`;
  deps.log.info(`database: ${where}; hot counters: ${config.redisUrl ? "Redis" : "in-process"}`);

  const accounts = config.demoData ? await seedDemoStore(deps) : [];
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  deps.events.start();
  deps.jobs.start();

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

  const stop = async () => {
    await app.close();
    await deps.events.stop();
    await deps.jobs.stop();
    await deps.kv.close();
    await handle.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
