import crypto from "node:crypto";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { buildApp } from "../app.js";
import { assemble } from "../bootstrap.js";
import type { Adapters, Deps } from "../deps.js";
import type { Module } from "../module.js";
import { DevSmsProvider } from "../modules/identity/sms.js";
import { createSession, createUser } from "../modules/identity/identity.service.js";
import type { Permission } from "../platform/auth/principal.js";
import { ManualClock } from "../platform/clock.js";
import { loadConfig, type Config } from "../platform/config.js";
import { connectPostgres, type DbHandle, openPGlite } from "../platform/db/database.js";
import type { Kv } from "../platform/kv/kv.js";
import { MemoryKv } from "../platform/kv/memory.js";
import { RedisKv } from "../platform/kv/redis.js";
import { newId } from "../platform/ids.js";
import pg from "pg";

/**
 * A fresh database for one test file: an in-memory PGlite by default, or a new database created on
 * the PostgreSQL server of TEST_DATABASE_URL (dropped on close). Files never share state, so they
 * run in parallel.
 */
export async function freshDatabase(): Promise<DbHandle & { url?: string }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return openPGlite();
  const name = `lb_${newId("t").slice(2).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), 20);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Redis under a unique prefix when TEST_REDIS_URL is set, else the in-process store. */
export function freshKv(clock: ManualClock): Kv {
  const url = process.env.TEST_REDIS_URL;
  return url ? new RedisKv(url, `lbt:${newId("t")}:`) : new MemoryKv(clock);
}

export interface TestContext {
  app: FastifyInstance;
  deps: Deps;
  clock: ManualClock;
  sms: DevSmsProvider;
  handle: DbHandle;
  close(): Promise<void>;
}

export interface TestOptions {
  /** Start from an existing database (restart tests); the default is a fresh one. */
  handle?: DbHandle;
  clock?: ManualClock;
  config?: Partial<Config>;
  adapters?: Partial<Adapters>;
  modules?: Module[];
  masterKey?: Buffer;
}

export async function createTestContext(opts: TestOptions = {}): Promise<TestContext> {
  const handle = opts.handle ?? (await freshDatabase());
  const clock = opts.clock ?? new ManualClock(new Date("2026-06-01T02:00:00Z"));
  const config = { ...loadConfig({ NODE_ENV: "test", LIEBIAN_DATA_DIR: "/nonexistent" }), ...opts.config };
  const sms = new DevSmsProvider();
  const deps = await assemble({
    config,
    handle,
    clock,
    kv: freshKv(clock),
    masterKey: opts.masterKey ?? crypto.randomBytes(32),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    adapters: { sms, ...opts.adapters },
    modules: opts.modules,
  });
  const app = await buildApp(deps, opts.modules);
  await app.ready();
  return {
    app,
    deps,
    clock,
    sms,
    handle,
    close: async () => {
      await app.close();
      await deps.kv.close();
      if (!opts.handle) await handle.close();
    },
  };
}

let phoneSeq = 0;
/** A distinct valid phone number per call within a test file. */
export function testPhone(): string {
  phoneSeq += 1;
  return `139${String(process.pid % 10000).padStart(4, "0")}${String(phoneSeq).padStart(4, "0")}`;
}

/** Signs a consumer in through the real phone-code flow and returns their bearer token. */
export async function signInConsumer(ctx: TestContext, phone = testPhone()): Promise<{ token: string; userId: string; phone: string }> {
  // Each consumer from their own address: the per-IP sms and sign-up limits are for farms, not test files.
  const remoteAddress = `10.9.${phoneSeq % 250}.${(phoneSeq * 7) % 250}`;
  const sent = await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone }, remoteAddress });
  if (sent.statusCode !== 200) throw new Error(`sms code: ${sent.statusCode} ${sent.body}`);
  const code = ctx.sms.lastCode(phone)!;
  const res = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code }, remoteAddress });
  if (res.statusCode >= 300) throw new Error(`login: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { token: body.token, userId: body.user.id, phone };
}

/**
 * Creates a staff account directly and opens a session for it (password sign-in itself is tested in
 * identity; hashing a password per test account would only slow every test down).
 */
export async function signInStaff(
  ctx: TestContext,
  kind: "operator" | "merchant" | "supplier",
  extra: { permissions?: Permission[]; merchantId?: string; supplierId?: string } = {},
): Promise<{ token: string; userId: string }> {
  const username = `${kind}_${newId("u").slice(-10).toLowerCase()}`;
  const user = await createUser(ctx.deps, ctx.deps.db, {
    kind,
    username,
    displayName: username,
    permissions: extra.permissions ?? (kind === "operator" ? ["admin"] : []),
    merchantId: extra.merchantId ?? (kind === "merchant" ? newId("mch") : undefined),
    supplierId: extra.supplierId ?? (kind === "supplier" ? newId("sup") : undefined),
  });
  const session = await createSession(ctx.deps, ctx.deps.db, user);
  return { token: session.token, userId: user.id };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
