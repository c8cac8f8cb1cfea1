import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type { Db } from "./database.js";

export interface Migration {
  name: string;
  sql: string;
}

/**
 * Reads every `migrations/*.sql` file of the given folders. File names start with a global sequence
 * number (`0350_orders.sql`), so modules can depend on tables created before them.
 */
export function collectMigrations(dirs: string[]): Migration[] {
  const all: Migration[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir)) {
      if (file.endsWith(".sql")) all.push({ name: file, sql: fs.readFileSync(path.join(dir, file), "utf8") });
    }
  }
  all.sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Set<string>();
  for (const m of all) {
    if (seen.has(m.name)) throw new Error(`two migrations are named ${m.name}`);
    seen.add(m.name);
  }
  return all;
}

/** Applies pending migrations, each in its own transaction; an advisory lock keeps two processes apart. */
export async function migrate(db: Db, migrations: Migration[]): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(727274)`.execute(trx);
    await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(trx);
    const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(trx)).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await sql.raw(m.sql).execute(trx);
      await sql`insert into schema_migrations (name) values (${m.name})`.execute(trx);
      applied.push(m.name);
    }
    return applied;
  });
}
