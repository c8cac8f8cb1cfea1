/**
 * npm run bench:checkout — many distinct users through add-to-cart → checkout → test-provider payment
 * over HTTP, against PostgreSQL (BENCH_DATABASE_URL) or embedded PGlite when unset; then, in the same
 * run and against the same engine, pgbench's TPC-B-like script with the same number of clients as the
 * baseline. Loopback only; bounded by BENCH_SECONDS.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { embeddedTpcbTps, pgbenchTps } from "./baseline.js";
import { call, metric, must, percentile, round, startServer } from "./lib.js";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const baseUrl = process.env.BENCH_DATABASE_URL;
// On PostgreSQL the server can leave the outbox and the jobs to a worker process (LIEBIAN_ROLE): BENCH_WORKER=1.
const WORKER = Boolean(baseUrl) && process.env.BENCH_WORKER === "1";

async function withDatabase(base: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

type Step = "cart" | "checkout" | "pay" | "confirm";

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-bench-"));
  const appDb = baseUrl ? await withDatabase(baseUrl, "liebian_bench_checkout") : undefined;
  const engine = baseUrl ? `PostgreSQL (${new URL(baseUrl).host})` : "embedded PGlite";
  console.log(`bench:checkout on ${engine}: ${CLIENTS} clients, ${SECONDS} s, ${USERS} distinct users${WORKER ? "; a web process and a worker process" : "; one process"}`);

  const env = {
    LIEBIAN_DATA_DIR: tmp,
    LIEBIAN_DATA_KEY: crypto.randomBytes(32).toString("hex"),
    ...(appDb ? { DATABASE_URL: appDb.url } : {}),
  };
  const server = await startServer({ ...env, ...(WORKER ? { LIEBIAN_ROLE: "web" } : {}) });
  const B = server.url;
  const worker = WORKER ? await startServer({ ...env, LIEBIAN_ROLE: "worker" }) : undefined;
  // Statements sent by both processes.
  const statementsSent = async () => (await metric(B, "sql_statements_total")) + (worker ? await metric(worker.url, "sql_statements_total") : 0);
  try {
    // A product with ample stock, set up as an operator would.
    const admin = (await must(`${B}/auth/login`, { body: { username: "admin", password: "liebian-admin" } })).token;
    const merchant = (await must(`${B}/admin/merchants?limit=1`, { token: admin })).items[0].id;
    const category = (await must(`${B}/categories`)).items[0].id;
    const product = await must(`${B}/admin/products`, { token: admin, body: { merchantId: merchant, categoryId: category, title: "压测商品", role: "basic", skus: [{ code: "BENCH-1", price: 1990 }] } });
    await must(`${B}/admin/products/${product.id}/status`, { method: "PUT", token: admin, body: { status: "on_sale" } });
    const skuId = product.skus[0].id;
    await must(`${B}/admin/stock`, { method: "PUT", token: admin, body: { skuId, onHand: 1_000_000, reason: "receipt" } });

    // Distinct consumers, each signed in by phone code, with an address.
    const users: Array<{ token: string; addressId: string; ip: string }> = [];
    for (let i = 0; i < USERS; i++) {
      const phone = `137${String(10_000_000 + i).slice(-8)}`;
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const code = (await must(`${B}/auth/sms-codes`, { body: { phone }, ip })).devCode;
      const token = (await must(`${B}/auth/consumer/login`, { body: { phone, code }, ip })).token;
      const addressId = (await must(`${B}/me/addresses`, { token, ip, body: { recipient: `用户${i}`, phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: `文三路 ${i} 号` } })).id;
      users.push({ token, addressId, ip });
    }

    const statementsBefore = await statementsSent();
    const latency: Record<Step, number[]> = { cart: [], checkout: [], pay: [], confirm: [] };
    let paid = 0;
    let failed = 0;

    const timed = async (step: Step, fn: () => Promise<{ status: number; body: any }>) => {
      const t0 = performance.now();
      const res = await fn();
      latency[step].push(performance.now() - t0);
      if (res.status >= 400) throw new Error(`${step} → ${res.status}`);
      return res;
    };
    const started = performance.now();
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      // Each client takes its own users in turn, so no user is ever in two checkouts at once.
      Array.from({ length: CLIENTS }, async (_, client) => {
        const mine = users.filter((_, i) => i % CLIENTS === client);
        for (let n = 0; Date.now() < end; n++) {
          const u = mine[n % mine.length];
          try {
            await timed("cart", () => call(`${B}/cart/items`, { token: u.token, ip: u.ip, body: { skuId, qty: 1 } }));
            const placed = await timed("checkout", () => call(`${B}/orders`, { token: u.token, ip: u.ip, body: { fromCart: true, addressId: u.addressId } }));
            const payment = await timed("pay", () => call(`${B}/payments`, { token: u.token, ip: u.ip, body: { orderIds: placed.body.orders.map((o: { id: string }) => o.id), provider: "test" } }));
            await timed("confirm", () => call(`${B}/pay/test/${payment.body.paymentId}/confirm`, { method: "POST", ip: u.ip }));
            paid += 1;
          } catch (err) {
            failed += 1;
            if (failed <= 3) console.error(String(err));
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    // What the orders set off (commissions, rewards, analytics, attribution) is delivered from the outbox
    // after the responses; the statement count waits for it, so that it is the whole cost of an order.
    const backlog = await metric(B, "outbox_pending_events");
    const drainStarted = performance.now();
    while ((await metric(B, "outbox_pending_events")) > 0 && performance.now() - drainStarted < 120_000) await new Promise((r) => setTimeout(r, 200));
    const drained = (performance.now() - drainStarted) / 1000;
    const statements = (await statementsSent()) - statementsBefore;
    const paidInDb = (await must(`${B}/admin/orders?status=paid&limit=1`, { token: admin })).items.length;
    if (paid > 0 && paidInDb === 0) throw new Error("no paid order found after the run");

    const ordersPerSecond = paid / elapsed;
    console.log(`paid orders: ${paid} in ${round(elapsed)} s (${failed} failed) → ${round(ordersPerSecond)} orders/s`);
    for (const step of Object.keys(latency) as Step[]) {
      console.log(`  ${step.padEnd(9)} p50 ${round(percentile(latency[step], 50))} ms   p99 ${round(percentile(latency[step], 99))} ms   (${latency[step].length} calls)`);
    }
    console.log(`events waiting for delivery when the load stopped: ${backlog}, all delivered ${round(drained)} s later → ${round(paid / (elapsed + drained))} orders/s counting that time`);
    console.log(`SQL statements per paid checkout (cart + order + payment + notification + the event subscribers they set off): ${round(statements / Math.max(1, paid))}`);
    await server.stop();
    await worker?.stop();

    const baseline = baseUrl ? await pgbenchOn(baseUrl) : await embeddedTpcbTps(path.join(tmp, "tpcb"), CLIENTS, SECONDS);
    console.log(`baseline: pgbench TPC-B-like, ${CLIENTS} clients, ${SECONDS} s → ${round(baseline)} tps${baseUrl ? "" : " (script run in-process: pgbench cannot reach an embedded database)"}`);
    console.log(`checkout orders/s=${round(ordersPerSecond)} baseline tps=${round(baseline)} ratio=${round(ordersPerSecond / baseline, 3)}`);
  } finally {
    await server.stop();
    await worker?.stop();
    await appDb?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function pgbenchOn(base: string): Promise<number> {
  const db = await withDatabase(base, "liebian_bench_pgbench");
  try {
    return pgbenchTps(db.url, CLIENTS, SECONDS);
  } finally {
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
