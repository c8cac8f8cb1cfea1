import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net, { type AddressInfo } from "node:net";
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
 * moves, so journeys can open flash slots and close after-sales windows, and that the demo store opens
 * without its weeks of history unless `history` asks for them.
 */
export async function startServer(opts: { start?: Date; history?: boolean } = {}): Promise<E2eServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-e2e-"));
  const port = await freePort();
  // Links the server hands out (shares, invites, pay pages) must point at this server.
  const config = loadConfig({ ...process.env, LIEBIAN_DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "", NATS_URL: "", PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  const clock = new ManualClock(opts.start ?? new Date());
  const handle = await openDatabase(config);
  const sms = new DevSmsProvider();
  const deps = await assemble({ config, handle, clock, masterKey: crypto.randomBytes(32), log: pino({ level: process.env.E2E_LOG_LEVEL ?? "warn" }), adapters: { sms } });
  await seedDemoStore(deps, { history: opts.history ?? false });
  const app = await buildApp(deps);
  await app.listen({ port, host: "127.0.0.1" });
  deps.events.start(200);
  deps.jobs.start(200);
  const settle = async () => {
    await deps.events.drain();
  };
  return {
    url: config.publicUrl,
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

/** A port the OS reports free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
