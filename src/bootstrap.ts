import path from "node:path";
import { pino, type Logger } from "pino";
import type { Adapters, Deps } from "./deps.js";
import type { Module } from "./module.js";
import { modules as allModules } from "./modules/index.js";
import { DevSmsProvider } from "./modules/identity/sms.js";
import { paymentProvidersFromEnv } from "./modules/payments/providers/config.js";
import { type Clock, systemClock } from "./platform/clock.js";
import type { Config } from "./platform/config.js";
import { FieldCipher, loadMasterKey } from "./platform/crypto.js";
import { connectPostgres, type DbHandle, openPGlite } from "./platform/db/database.js";
import { collectMigrations, migrate } from "./platform/db/migrate.js";
import { EventDispatcher } from "./platform/events/dispatcher.js";
import { JobRunner } from "./platform/jobs/jobs.js";
import type { Kv } from "./platform/kv/kv.js";
import { MemoryKv } from "./platform/kv/memory.js";
import { RedisKv } from "./platform/kv/redis.js";
import { MemoryFlashCounter } from "./modules/flashsale/counter.js";
import { RedisFlashCounter } from "./modules/flashsale/counter.redis.js";
import { InProcessFlashQueue } from "./modules/flashsale/queue.js";
import { NatsFlashQueue } from "./modules/flashsale/queue.nats.js";

const PLATFORM_MIGRATIONS = new URL("./platform/migrations", import.meta.url).pathname;

export function migrationsOf(modules: Module[]) {
  return collectMigrations([PLATFORM_MIGRATIONS, ...modules.flatMap((m) => (m.migrations ? [m.migrations] : []))]);
}

export async function openDatabase(config: Config): Promise<DbHandle> {
  return config.databaseUrl ? connectPostgres(config.databaseUrl) : openPGlite(path.join(config.dataDir, "pg"));
}

export function defaultAdapters(log: Logger, ctx: { config: Config; cipher: FieldCipher; clock: Clock }): Adapters {
  return {
    sms: new DevSmsProvider(log),
    payments: paymentProvidersFromEnv(process.env, ctx),
    flashCounter: ctx.config.redisUrl ? new RedisFlashCounter(ctx.config.redisUrl) : new MemoryFlashCounter(),
    flashQueue: ctx.config.natsUrl ? new NatsFlashQueue(ctx.config.natsUrl) : new InProcessFlashQueue(),
  };
}

export interface AssembleOptions {
  config: Config;
  handle: DbHandle;
  clock?: Clock;
  kv?: Kv;
  masterKey?: Buffer;
  /** The cipher of deps already running on this database (a second wiring over it must read its data). */
  cipher?: FieldCipher;
  log?: Logger;
  adapters?: Partial<Adapters>;
  modules?: Module[];
}

/**
 * Wires dependencies and module subscribers/jobs over an open database, after migrating it.
 * main.ts and the test harness both start here, so tests run the same wiring as production.
 */
export async function assemble(opts: AssembleOptions): Promise<Deps> {
  const { config, handle } = opts;
  const modules = opts.modules ?? allModules;
  const log = opts.log ?? pino({ level: config.logLevel });
  const clock = opts.clock ?? systemClock;
  await migrate(handle.db, migrationsOf(modules));
  const kv = opts.kv ?? (config.redisUrl ? new RedisKv(config.redisUrl) : new MemoryKv(clock));
  const cipher = opts.cipher ?? new FieldCipher(opts.masterKey ?? loadMasterKey(config.dataKey, config.dataDir));
  const deps: Deps = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    clock,
    kv,
    cipher,
    log,
    events: new EventDispatcher(handle.db, clock, log, handle.deferredDurability),
    jobs: new JobRunner(handle.db, clock, log),
    adapters: { ...defaultAdapters(log, { config, cipher, clock }), ...opts.adapters },
    adjusters: [],
  };
  for (const mod of modules) {
    for (const sub of mod.subscribers?.(deps) ?? []) deps.events.subscribe(sub);
    for (const [type, handler] of Object.entries(mod.jobs?.(deps) ?? {})) deps.jobs.register(type, handler);
    deps.adjusters.push(...(mod.adjusters?.(deps) ?? []));
  }
  return deps;
}
