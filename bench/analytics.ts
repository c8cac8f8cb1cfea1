/**
 * npm run bench:analytics — a synthetic store (BENCH_USERS users in an invite tree, about 12 events each:
 * ≥ 1 000 000 at the default 100 000 users) over BENCH_DAYS days, ingested through `recordEvents` (the
 * function POST /track and the outbox subscribers use) in batches of BENCH_BATCH; then the reports,
 * each timed over the last 30 days. Against PostgreSQL (BENCH_DATABASE_URL: a scratch database of its
 * own, dropped at the end) or embedded PGlite when unset. BENCH_STREAMS concurrent ingestion streams
 * (default 2, as concurrent /track calls would be).
 */
import fs from "node:fs";
import os from "node:os";
import { sql } from "kysely";
import pg from "pg";
import { migrationsOf } from "../src/bootstrap.js";
import type { Deps } from "../src/deps.js";
import { modules } from "../src/modules/index.js";
import { addDays } from "../src/modules/analytics/calendar.js";
import { reportQuery } from "../src/modules/analytics/filters.js";
import { type ReportName, runReport } from "../src/modules/analytics/reports.js";
import { type AnalyticsEventInput, recordEvents } from "../src/modules/analytics/tracking.service.js";
import { type Clock, DAY, HOUR, MINUTE } from "../src/platform/clock.js";
import { connectPostgres, type DbHandle, openPGlite } from "../src/platform/db/database.js";
import { migrate } from "../src/platform/db/migrate.js";
import { percentile, round } from "./lib.js";

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 56);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 2);
const REPEAT = Number(process.env.BENCH_QUERY_RUNS ?? 3);
const baseUrl = process.env.BENCH_DATABASE_URL;
const DB_NAME = "liebian_bench_analytics";

/** The first day of data: a Monday, so the weeks line up with cohorts. */
const START = "2026-09-07";
const startMs = Date.parse(`${START}T00:00:00+08:00`);

const CHANNELS = ["wechat_friend", "wechat_moments", "qq", "weibo", "douyin", "xiaohongshu", "poster", "link"];
const CAMPAIGNS = Array.from({ length: 10 }, (_, i) => `gba_BENCH${String(i).padStart(21, "0")}`);
const PRODUCTS = Array.from({ length: 500 }, (_, i) => `prd_BENCH${String(i).padStart(21, "0")}`);
const SOURCES = ["baidu", "wechat_ad", "douyin_ad", null, null, null];

/** A seeded generator (mulberry32): the same store every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261130);
const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
const chance = (p: number) => random() < p;

const userId = (u: number) => `usr_BENCH${String(u).padStart(21, "0")}`;
/** The person an event is about (a user id and that user's browser id end in the same number). */
const personNumber = (e: AnalyticsEventInput) => Number(/(\d+)$/.exec(e.userId ?? e.anonymousId ?? "0")![1]);

interface Person {
  registeredAt: number;
  inviter: number | null;
  channel: string | null;
  campaign: string | null;
  browser: string;
}

/**
 * Everyone's sign-up, in order: a third come on their own, the rest are invited by someone who signed up
 * before them (three in ten by one of the first 1 %, so some trees grow wide and deep).
 */
function people(): Person[] {
  const span = DAYS * DAY;
  return Array.from({ length: USERS }, (_, u) => {
    const invited = u > 100 && chance(0.65);
    const inviter = invited ? (chance(0.3) ? Math.floor(random() * Math.max(1, Math.floor(USERS / 100))) : Math.floor(random() * u)) : null;
    return {
      registeredAt: startMs + Math.floor((u / USERS) * span),
      inviter: inviter !== null && inviter < u ? inviter : null,
      channel: invited ? pick(CHANNELS) : null,
      campaign: invited && chance(0.4) ? pick(CAMPAIGNS) : null,
      browser: `bench-browser-${u}`,
    };
  });
}

let orderSeq = 0;
let costSeq = 0;

/** One visit: views, maybe a cart, an order, a payment, a share; server events as the outbox would bring them. */
function session(u: number, p: Person, at: number, out: AnalyticsEventInput[], first: boolean): void {
  const base = { userId: userId(u), anonymousId: p.browser, sessionId: `s-${u}-${at}`, channel: first ? p.channel : null, campaignId: first ? p.campaign : null };
  let t = at;
  const next = () => new Date((t += MINUTE + Math.floor(random() * 2 * MINUTE)));
  out.push({ type: "page_view", at: next(), ...base });
  const views = 1 + Math.floor(random() * 3);
  let product = pick(PRODUCTS);
  for (let i = 0; i < views; i++) out.push({ type: "product_view", at: next(), ...base, productId: (product = pick(PRODUCTS)) });
  if (chance(0.3)) out.push({ type: "click", at: next(), ...base });
  if (chance(first ? 0.15 : 0.05)) {
    const channel = pick(CHANNELS);
    out.push({ type: "share", at: next(), ...base, channel });
    out.push({ type: "share_created", at: next(), userId: userId(u), channel, campaignId: p.campaign, path: "share", productId: product, promoterId: userId(u) });
  }
  if (!chance(first ? 0.4 : 0.25)) return;
  out.push({ type: "add_to_cart", at: next(), ...base, productId: product });
  if (!chance(0.35)) return;
  const orderId = `ord_BENCH${String((orderSeq += 1)).padStart(21, "0")}`;
  const amount = 1990 + Math.floor(random() * 40) * 500;
  const promoter = p.inviter !== null && chance(0.3) ? userId(p.inviter) : null;
  const facts = { userId: userId(u), orderId, amount, channel: p.channel, campaignId: p.campaign, sharerId: p.inviter !== null && p.channel ? userId(p.inviter) : null, promoterId: promoter };
  out.push({ type: "order", at: next(), ...facts, productIds: [product] });
  if (!chance(0.85)) return;
  out.push({ type: "payment", at: next(), ...facts });
  if (promoter) out.push({ type: "commission", at: next(), userId: promoter, costId: `cms_BENCH${(costSeq += 1)}`, orderId, amount: Math.floor(amount / 10), channel: p.channel, campaignId: p.campaign, path: "distribution", promoterId: promoter });
  if (chance(0.03)) out.push({ type: "refund", at: new Date(t + 2 * DAY), userId: userId(u), orderId, amount: Math.floor(amount / 2) });
}

/** Events of day `d` (0-based), in time order: sign-ups of the day with their first visit, and returning visits. */
function eventsOfDay(d: number, all: Person[]): AnalyticsEventInput[] {
  const out: AnalyticsEventInput[] = [];
  const dayStart = startMs + d * DAY;
  for (let u = 0; u < all.length; u++) {
    const p = all[u];
    if (p.registeredAt >= dayStart + DAY) break;
    if (p.registeredAt >= dayStart) {
      // A third browse anonymously first, some from an ad; signing in links the browser to the account.
      if (chance(0.33)) out.push({ type: "page_view", at: new Date(p.registeredAt - 5 * MINUTE), anonymousId: p.browser, sessionId: `s-${u}-anon`, source: pick(SOURCES), medium: "cpc" });
      const inviter = p.inviter === null ? null : userId(p.inviter);
      out.push({ type: "registration", at: new Date(p.registeredAt), userId: userId(u), inviterId: inviter, channel: p.channel, campaignId: p.campaign, sharerId: p.channel ? inviter : null, path: inviter ? (p.channel ? "share" : "invite") : "organic" });
      if (inviter) out.push({ type: "reward", at: new Date(p.registeredAt + MINUTE), userId: inviter, costId: `rwd_BENCH${(costSeq += 1)}`, amount: 300, channel: p.channel, campaignId: p.campaign, path: "invite" });
      session(u, p, p.registeredAt + MINUTE, out, true);
      continue;
    }
    // Returning visits: likelier soon after signing up.
    const age = (dayStart - p.registeredAt) / DAY;
    if (chance(0.12 * 0.93 ** age)) session(u, p, dayStart + 8 * HOUR + Math.floor(random() * 14 * HOUR), out, false);
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

async function scratchDatabase(): Promise<{ handle: DbHandle; engine: string; drop(): Promise<void> }> {
  if (!baseUrl) return { handle: await openPGlite(), engine: "embedded PGlite (in memory)", drop: async () => undefined };
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  await admin.query(`create database ${DB_NAME}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${DB_NAME}`;
  const handle = connectPostgres(url.toString(), Math.max(2, STREAMS));
  return {
    handle,
    engine: `PostgreSQL (${url.host})`,
    drop: async () => {
      await handle.close();
      const a = new pg.Client({ connectionString: baseUrl });
      await a.connect();
      await a.query(`drop database if exists ${DB_NAME} with (force)`);
      await a.end();
    },
  };
}

/**
 * CPU seconds spent so far by this database's server processes (PostgreSQL on this machine only:
 * read from /proc), so the report can say what ingestion costs apart from what the machine's other
 * work takes from it.
 */
async function serverCpuSeconds(handle: DbHandle): Promise<number | null> {
  if (handle.kind !== "postgres") return null;
  const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`.execute(handle.db);
  let ticks = 0;
  for (const { pid } of pids.rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return ticks / 100;
}

async function main() {
  const { handle, engine, drop } = await scratchDatabase();
  console.log(`bench:analytics on ${engine}: ${USERS} users over ${DAYS} days, batches of ${BATCH}, ${STREAMS} concurrent streams`);
  try {
    await migrate(handle.db, migrationsOf(modules));
    const all = people();
    let events = 0;
    let ingestMs = 0;
    let clientCpuMs = 0;
    const batchMs: number[] = [];
    const serverCpuBefore = await serverCpuSeconds(handle);
    for (let d = 0; d < DAYS; d++) {
      const day = eventsOfDay(d, all);
      // Concurrent streams, as concurrent /track calls would be; each person's events stay in one
      // stream and in order, as their browser and the outbox would send them.
      const lanes: AnalyticsEventInput[][] = Array.from({ length: STREAMS }, () => []);
      for (const e of day) lanes[personNumber(e) % STREAMS].push(e);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await Promise.all(
        lanes.map(async (lane) => {
          for (let i = 0; i < lane.length; i += BATCH) {
            const b0 = performance.now();
            await recordEvents(handle.db, lane.slice(i, i + BATCH));
            batchMs.push(performance.now() - b0);
          }
        }),
      );
      const cpu = process.cpuUsage(cpu0);
      clientCpuMs += (cpu.user + cpu.system) / 1000;
      ingestMs += performance.now() - t0;
      events += day.length;
      if (d % 7 === 6) console.log(`  day ${d + 1}/${DAYS}: ${events} events, ${round(events / (ingestMs / 1000), 0)} events/s so far`);
    }
    const eventsPerSecond = events / (ingestMs / 1000);
    const serverCpuAfter = await serverCpuSeconds(handle);
    console.log(`ingested ${events} events (${USERS} users) in ${round(ingestMs / 1000)} s of recordEvents time: ${round(eventsPerSecond, 0)} events/s; batch p50 ${round(percentile(batchMs, 50))} ms, p99 ${round(percentile(batchMs, 99))} ms`);
    const perThousand = (ms: number) => round((ms / events) * 1000, 1);
    const serverCpuMs = serverCpuBefore !== null && serverCpuAfter !== null ? (serverCpuAfter - serverCpuBefore) * 1000 : null;
    console.log(
      `CPU per 1000 events: this process ${perThousand(clientCpuMs)} ms` +
        (serverCpuMs === null ? "" : `, PostgreSQL ${perThousand(serverCpuMs)} ms (so one stream on otherwise idle cores could do ≈ ${round(events / ((clientCpuMs + serverCpuMs) / 1000), 0)} events/s)`) +
        `; load average now ${os.loadavg().map((l) => round(l)).join(" ")} on ${os.cpus().length} cores`,
    );

    // What autovacuum would have done by now on a live database: statistics and visibility maps.
    // (The embedded database has no autovacuum; its statistics are gathered here.)
    await sql.raw(handle.kind === "postgres" ? "vacuum analyze" : "analyze").execute(handle.db);
    const lastDay = addDays(START, DAYS - 1);
    const clock: Clock = { now: () => new Date(Date.parse(`${lastDay}T12:00:00+08:00`)) };
    const deps = { db: handle.db, clock } as unknown as Deps;
    const q = reportQuery({}, clock);
    console.log(`reports over ${q.from} … ${q.to} (the last 30 days), ${REPEAT} runs each; the median counts:`);
    const timings: Record<string, number> = {};
    const runs: [string, ReportName, Record<string, unknown>][] = [
      ["funnel", "funnel", { steps: "product_view,add_to_cart,order,payment", windowHours: 24 }],
      ["cohort", "cohorts", { weeks: 8 }],
      ["kfactor", "kfactor", {}],
      ["overview", "overview", { grain: "day" }],
      ["overview by channel", "overview", { grain: "week", channel: "wechat_friend" }],
      ["channels", "channels", {}],
      ["campaigns", "campaigns", {}],
      ["leaderboard", "leaderboard", { by: "sharer", metric: "gmv" }],
      ["invite tree", "invite-tree", { depth: 4 }],
    ];
    for (const [label, name, params] of runs) {
      const times: number[] = [];
      let summary = "";
      for (let r = 0; r < REPEAT; r++) {
        const t0 = performance.now();
        const result = await runReport(deps, name, { from: q.from, to: q.to, ...params });
        times.push(performance.now() - t0);
        summary = JSON.stringify(result).slice(0, 110);
      }
      timings[label] = percentile(times, 50);
      console.log(`  ${label.padEnd(20)} median ${round(timings[label])} ms (runs: ${times.map((t) => round(t)).join(", ")})  ${summary}`);
    }
    console.log(`analytics ingest events/s=${round(eventsPerSecond, 0)} funnel_ms=${round(timings.funnel, 0)} cohort_ms=${round(timings.cohort, 0)} kfactor_ms=${round(timings.kfactor, 0)}`);
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
