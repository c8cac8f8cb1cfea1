import { execFileSync } from "node:child_process";
import { PGlite } from "@electric-sql/pglite";
import { PGlitePool } from "../src/platform/db/pglite-pool.js";

/**
 * The baseline: pgbench's built-in "TPC-B (sort of)" script — per transaction one account update and
 * read, one teller and one branch update, one history insert — with the same number of clients as the
 * checkout load, against the same database engine.
 */
export function pgbenchTps(url: string, clients: number, seconds: number): number {
  execFileSync("pgbench", ["-i", "-q", "-s", "1", url], { stdio: "ignore" });
  const out = execFileSync("pgbench", ["-c", String(clients), "-j", String(Math.min(clients, 2)), "-T", String(seconds), "-n", url], { encoding: "utf8" });
  const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(out);
  if (!m) throw new Error(`could not read pgbench output:\n${out}`);
  return Number(m[1]);
}

/**
 * pgbench cannot connect to an embedded database, so for PGlite the same script runs in this process:
 * `clients` concurrent loops through the same one-connection pool the server uses.
 */
export async function embeddedTpcbTps(dataDir: string, clients: number, seconds: number): Promise<number> {
  const lite = await PGlite.create({ dataDir, relaxedDurability: true });
  await lite.exec(`
    create table pgbench_branches (bid int primary key, bbalance int, filler char(88));
    create table pgbench_tellers (tid int primary key, bid int, tbalance int, filler char(84));
    create table pgbench_accounts (aid int primary key, bid int, abalance int, filler char(84));
    create table pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
    insert into pgbench_branches select 1, 0;
    insert into pgbench_tellers select t, 1, 0 from generate_series(1, 10) t;
    insert into pgbench_accounts select a, 1, 0 from generate_series(1, 100000) a;`);
  await lite.exec("vacuum analyze");
  const pool = new PGlitePool(lite);
  const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
  let done = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        const [aid, tid, delta] = [rand(1, 100000), rand(1, 10), rand(-5000, 5000)];
        const c = await pool.connect();
        try {
          await c.query("begin");
          await c.query("update pgbench_accounts set abalance = abalance + $1 where aid = $2", [delta, aid]);
          await c.query("select abalance from pgbench_accounts where aid = $1", [aid]);
          await c.query("update pgbench_tellers set tbalance = tbalance + $1 where tid = $2", [delta, tid]);
          await c.query("update pgbench_branches set bbalance = bbalance + $1 where bid = $2", [delta, 1]);
          await c.query("insert into pgbench_history (tid, bid, aid, delta, mtime) values ($1, $2, $3, $4, current_timestamp)", [tid, 1, aid, delta]);
          await c.query("commit");
          done += 1;
        } finally {
          c.release();
        }
      }
    }),
  );
  await lite.close();
  return done / seconds;
}
