import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "../../database.js";
import { PGlitePool } from "./pglite-pool.js";

export type Db = Kysely<Database>;

// bigint (sums of fen, counts) as JS numbers: every amount we store is far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** SQL statements sent by this process (exposed on /metrics; the checkout bench reads it). */
export const sqlStats = { statements: 0 };
const countStatements = () => {
  sqlStats.statements += 1;
};

export interface DbHandle {
  db: Db;
  /**
   * The same database for work whose commit need not wait for its WAL flush: event subscribers, whose
   * delivery is marked done afterwards through `db`. PostgreSQL flushes WAL in order, so that later
   * durable commit makes the earlier ones durable too; a crash between them only means a redelivery.
   */
  deferredDurability: Db;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

function pgPool(url: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, options });
  // An idle connection the server ended (a restart, a terminated backend) is dropped by the pool and
  // replaced on demand; without a listener, pg would rethrow the event and end the process.
  pool.on("error", () => undefined);
  return pool;
}

export function connectPostgres(url: string, max = 10): DbHandle {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pgPool(url, max) }), log: countStatements });
  const deferred = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pgPool(url, 2, "-c synchronous_commit=off") }), log: countStatements });
  return {
    db,
    deferredDurability: deferred,
    kind: "postgres",
    close: async () => {
      await deferred.destroy();
      await db.destroy();
    },
  };
}

/**
 * Embedded PostgreSQL (PGlite). `dataDir` undefined means in memory. fsync is off: fine for development
 * and tests, not crash-durable; production uses DATABASE_URL.
 */
export async function openPGlite(dataDir?: string): Promise<DbHandle> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create({
    dataDir,
    relaxedDurability: true,
    parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) },
  });
  const pool = new PGlitePool(lite);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }), log: countStatements });
  return { db, deferredDurability: db, kind: "pglite", close: () => db.destroy() };
}
