/**
 * npm run bench:flashsale — a crowd of distinct signed-in buyers fires purchase attempts at one flash
 * item over HTTP (autocannon, loopback, BENCH_SECONDS), then the same load against a bare Fastify JSON
 * endpoint started by this bench, as the baseline. Redis holds the counter when REDIS_URL is set and
 * NATS JetStream carries won attempts when NATS_URL is set; otherwise both are in-process. After the
 * queue drains, the database is asked how many units were ordered: more than the stock is oversold.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { must, round, startServer } from "./lib.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const USERS = Number(process.env.BENCH_USERS ?? 2000);
const STOCK = Number(process.env.BENCH_STOCK ?? 500);

interface Buyer {
  token: string;
  addressId: string;
  ip: string;
  device: string;
}

async function load(base: string, itemId: string, buyers: Buyer[]) {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        path: `/flash/items/${itemId}/attempts`,
        setupRequest: (req) => {
          const b = buyers[next++ % buyers.length];
          return {
            ...req,
            headers: { "content-type": "application/json", authorization: `Bearer ${b.token}`, "x-device-id": b.device, "x-forwarded-for": b.ip },
            body: JSON.stringify({ addressId: b.addressId, qty: 1 }),
          };
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (s as { count: number }).count;
  const answered = Object.entries(statuses).filter(([c]) => c !== "429").reduce((n, [, v]) => n + v, 0);
  return { perSecond: answered / SECONDS, p50: result.latency.p50, p99: result.latency.p99, statuses, errors: result.errors + result.timeouts };
}

async function startBare(): Promise<{ url: string; stop(): void }> {
  const port = 20000 + crypto.randomInt(20000);
  const proc = spawn(process.execPath, ["--import", "tsx", "bench/bare-server.ts"], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop: () => proc.kill("SIGTERM") };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-bench-flash-"));
  const counter = process.env.REDIS_URL ? "Redis" : "in-process";
  const queue = process.env.NATS_URL ? "NATS JetStream" : "in-process";
  const database = process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
  console.log(`bench:flashsale — counter: ${counter}, queue: ${queue}, database: ${database}; ${USERS} buyers, ${STOCK} units, ${CONNECTIONS} connections, ${SECONDS} s`);
  const server = await startServer({ LIEBIAN_DATA_DIR: tmp, LIEBIAN_DATA_KEY: crypto.randomBytes(32).toString("hex") });
  const B = server.url;
  try {
    const admin = (await must(`${B}/auth/login`, { body: { username: "admin", password: "liebian-admin" } })).token;
    const merchant = (await must(`${B}/admin/merchants?limit=1`, { token: admin })).items[0].id;
    const category = (await must(`${B}/categories`)).items[0].id;
    const product = await must(`${B}/admin/products`, { token: admin, body: { merchantId: merchant, categoryId: category, title: "秒杀压测商品", role: "basic", skus: [{ code: "FLASH-1", price: 19900 }] } });
    await must(`${B}/admin/products/${product.id}/status`, { method: "PUT", token: admin, body: { status: "on_sale" } });
    const skuId = product.skus[0].id;
    await must(`${B}/admin/stock`, { method: "PUT", token: admin, body: { skuId, onHand: STOCK * 10, reason: "receipt" } });

    // Distinct consumers, signed in by phone code, each with an address (8 at a time).
    const buyers: Buyer[] = [];
    let made = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (made < USERS) {
          const i = made++;
          const phone = `136${String(10_000_000 + i).slice(-8)}`;
          const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
          const code = (await must(`${B}/auth/sms-codes`, { body: { phone }, ip })).devCode;
          const token = (await must(`${B}/auth/consumer/login`, { body: { phone, code }, ip })).token;
          const addressId = (await must(`${B}/me/addresses`, { token, ip, body: { recipient: `买家${i}`, phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: `文三路 ${i} 号` } })).id;
          buyers.push({ token, addressId, ip, device: `bench-device-${i}` });
        }
      }),
    );

    // A slot that opens in two seconds, with one item.
    const opensAt = Date.now() + 2000;
    const slot = await must(`${B}/admin/flash/slots`, { token: admin, body: { title: "压测场", opensAt: new Date(opensAt).toISOString(), closesAt: new Date(opensAt + 3_600_000).toISOString() } });
    const item = await must(`${B}/admin/flash/slots/${slot.id}/items`, { token: admin, body: { skuId, flashPrice: 990, stock: STOCK, perUserLimit: 1 } });
    await new Promise((r) => setTimeout(r, Math.max(0, opensAt - Date.now() + 100)));

    const flash = await load(B, item.id, buyers);

    // Let the queue place every order, then ask the database.
    let units = { queued: 1, ordered: 0, paid: 0 };
    const deadline = Date.now() + 120_000;
    while (units.queued > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      units = (await must(`${B}/admin/flash/slots/${slot.id}`, { token: admin })).items[0].units;
    }
    const orders = units.ordered + units.paid;
    const oversold = Math.max(0, orders - STOCK);
    const reconciliation = await must(`${B}/admin/flash/reconciliation`, { token: admin });
    await server.stop();

    const bare = await startBare();
    const baseline = await load(bare.url, item.id, buyers);
    bare.stop();

    const line = (name: string, r: typeof flash) =>
      console.log(`  ${name.padEnd(9)} ${round(r.perSecond)} attempts/s   p50 ${r.p50} ms   p99 ${r.p99} ms   statuses ${JSON.stringify(r.statuses)}${r.errors ? `   errors ${r.errors}` : ""}`);
    line("flashsale", flash);
    line("baseline", baseline);
    console.log(`  after the queue drained: ${orders} orders for ${STOCK} units; still queued ${units.queued}; counter ${reconciliation.consistent ? "agrees with" : "DISAGREES with"} the database`);
    console.log(`flashsale ratio=${round(flash.perSecond / baseline.perSecond, 3)} oversold=${oversold} orders=${orders} stock=${STOCK}`);
  } finally {
    if (server.proc.exitCode === null) await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
