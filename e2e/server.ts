import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { buildApp } from "../src/app.js";
import { assemble, openDatabase } from "../src/bootstrap.js";
import type { Deps } from "../src/deps.js";
import { DevSmsProvider } from "../src/modules/identity/sms.js";
import { ManualClock } from "../src/platform/clock.js";
import { loadConfig } from "../src/platform/config.js";
import { seedDemoStore } from "../demo/seed.js";

export interface E2eServer {
  url: string;
  deps: Deps;
  clock: ManualClock;
  sms: DevSmsProvider;
  /** Moves the server's clock and runs whatever became due (jobs, then the events they wrote). */
  advance(ms: number): Promise<void>;
  /** Delivers pending domain events now instead of waiting for the dispatcher's next tick. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The server as `npm start` runs it — fresh embedded database in a temporary data directory, demo
 * data, HTTP, background dispatcher and job runner — except that its clock is a ManualClock the test
 * moves, so journeys can open flash slots and close after-sales windows.
 */
export async function startServer(opts: { start?: Date } = {}): Promise<E2eServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-e2e-"));
  const config = { ...loadConfig({ ...process.env, LIEBIAN_DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "", NATS_URL: "", PORT: "0" }), port: 0 };
  const clock = new ManualClock(opts.start ?? new Date());
  const handle = await openDatabase(config);
  const sms = new DevSmsProvider();
  const deps = await assemble({ config, handle, clock, masterKey: crypto.randomBytes(32), log: pino({ level: process.env.E2E_LOG_LEVEL ?? "warn" }), adapters: { sms } });
  await seedDemoStore(deps);
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: "127.0.0.1" });
  deps.events.start(200);
  deps.jobs.start(200);
  const settle = async () => {
    await deps.events.drain();
  };
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    deps,
    clock,
    sms,
    settle,
    advance: async (ms) => {
      clock.advance(ms);
      await deps.jobs.drain();
      await settle();
    },
    close: async () => {
      await app.close();
      await deps.events.stop();
      await deps.jobs.stop();
      await deps.kv.close();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
