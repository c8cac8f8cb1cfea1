import type { PGlite } from "@electric-sql/pglite";

/**
 * Presents one PGlite instance as the small part of a `pg.Pool` that Kysely's PostgresDialect uses.
 * PGlite is a single connection, so a connection is lent to one caller at a time: a transaction holds
 * it from BEGIN to COMMIT and every other query waits its turn. That makes concurrent requests run one
 * after another on the embedded database, with the same SQL and the same results as on PostgreSQL.
 */
const WAIT_LIMIT_MS = 60_000;

export class PGlitePool {
  private queue: Array<() => void> = [];
  private busy = false;

  constructor(private readonly db: PGlite) {}

  async connect() {
    if (this.busy) {
      await new Promise<void>((resolve, reject) => {
        const waiter = () => {
          clearTimeout(timer);
          resolve();
        };
        // A query that waits this long is almost always code inside a transaction querying through
        // another handle (deps.db instead of the transaction): on one connection that can never proceed.
        const timer = setTimeout(() => {
          this.queue = this.queue.filter((w) => w !== waiter);
          reject(new Error(`waited ${WAIT_LIMIT_MS / 1000}s for the embedded database: is a query running outside the transaction that holds it?`));
        }, WAIT_LIMIT_MS);
        this.queue.push(waiter);
      });
    }
    this.busy = true;
    let released = false;
    return {
      query: async (sql: string, params?: unknown[]) => {
        if ((!params || params.length === 0) && /;\s*\S/.test(sql)) {
          // Several statements (a migration file): only the simple query protocol accepts those.
          const results = await this.db.exec(sql);
          const last = results[results.length - 1];
          return { command: commandOf(sql), rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
        }
        const res = await this.db.query(sql, params as unknown[]);
        return { command: commandOf(sql), rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
      },
      release: () => {
        if (released) return;
        released = true;
        const next = this.queue.shift();
        if (next) next();
        else this.busy = false;
      },
    };
  }

  async end() {
    await this.db.close();
  }
}

function commandOf(sql: string): string {
  return sql.trimStart().split(/\s+/, 1)[0]?.toUpperCase() ?? "";
}
