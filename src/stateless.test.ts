import crypto from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, must, startServer } from "../bench/lib.js";
import type { DbHandle } from "./platform/db/database.js";
import { freshDatabase } from "./testing/harness.js";

/**
 * Stateless by design: two `npm start` processes on one PostgreSQL, Redis and NATS, the crowd split
 * between them, driven over HTTP only. PGlite lives inside one process, so this runs only against the
 * real services (.ci/run sets all three URLs).
 */
const services = { database: process.env.TEST_DATABASE_URL, redis: process.env.TEST_REDIS_URL, nats: process.env.TEST_NATS_URL };
const missing = Object.entries(services).filter(([, url]) => !url).map(([name]) => `TEST_${name.toUpperCase()}_URL`);

const FLASH_UNITS = 10;
const SHOPPERS = 40;

type Server = Awaited<ReturnType<typeof startServer>>;
interface Shopper {
  token: string;
  userId: string;
  addressId: string;
  ip: string;
  device: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Polls `probe` until it returns a value (not undefined), or fails naming what never happened. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Stops a server that may already have exited, and does not wait for a hung one forever. */
async function stopServer(server: Server): Promise<void> {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
  const killed = setTimeout(() => server.proc.kill("SIGKILL"), 10_000);
  await server.stop();
  clearTimeout(killed);
}

describe.skipIf(missing.length > 0)(`two server processes on one PostgreSQL, Redis and NATS${missing.length ? ` (skipped: ${missing.join(", ")} not set; PGlite cannot be shared by two processes)` : ""}`, () => {
  let handle: DbHandle & { url?: string };
  const servers: Server[] = [];
  let A: string;
  let B: string;
  /** The other process than `base`: every follow-up goes to the process that did not take the write. */
  const other = (base: string) => (base === A ? B : A);
  let admin: string;
  const shoppers: Shopper[] = [];
  const counterKeys: string[] = [];
  // Addresses no other test file (or an earlier run within the SMS per-IP hour) uses.
  const net = `172.${16 + crypto.randomInt(16)}.${crypto.randomInt(256)}`;

  async function product(base: string, title: string, price: number, onHand: number): Promise<string> {
    const merchant = (await must(`${base}/admin/merchants?limit=1`, { token: admin })).items[0].id;
    const category = (await must(`${base}/categories`)).items[0].id;
    const made = await must(`${base}/admin/products`, { token: admin, body: { merchantId: merchant, categoryId: category, title, role: "basic", skus: [{ code: `SL-${crypto.randomInt(1e9)}`, price }] } });
    await must(`${base}/admin/products/${made.id}/status`, { method: "PUT", token: admin, body: { status: "on_sale" } });
    await must(`${base}/admin/stock`, { method: "PUT", token: admin, body: { skuId: made.skus[0].id, onHand, reason: "receipt" } });
    return made.skus[0].id;
  }

  /** A consumer signed in by phone code (the dev provider hands back the code), with an address. */
  async function signUp(base: string, i: number): Promise<Shopper> {
    const phone = `137${String(i).padStart(8, "0")}`;
    const ip = `${net}.${i + 1}`;
    const { devCode } = await must(`${base}/auth/sms-codes`, { body: { phone }, ip });
    const login = await must(`${base}/auth/consumer/login`, { body: { phone, code: devCode, displayName: `买家${i}` }, ip });
    const address = await must(`${other(base)}/me/addresses`, { token: login.token, ip, body: { recipient: `买家${i}`, phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: `文三路 ${i} 号` } });
    return { token: login.token, userId: login.user.id, addressId: address.id, ip, device: `stateless-${login.user.id}` };
  }

  async function pay(base: string, who: Shopper, orderId: string): Promise<void> {
    const started = await must(`${base}/payments`, { token: who.token, ip: who.ip, body: { orderIds: [orderId], provider: "test" } });
    expect((await call(`${other(base)}/pay/test/${started.paymentId}/confirm`, { method: "POST" })).status).toBe(303);
  }

  const order = (base: string, who: Shopper, orderId: string) => must(`${base}/orders/${orderId}`, { token: who.token });
  const jobs = (keys: string[]) =>
    handle.db.selectFrom("jobs").select(["dedupe_key", "status", "attempts"]).where("dedupe_key", "in", keys).orderBy("dedupe_key").execute();
  const outbox = (type: string, aggregateIds: string[]) =>
    handle.db.selectFrom("outbox_events").select("aggregate_id").where("type", "=", type).where("aggregate_id", "in", aggregateIds).orderBy("aggregate_id").execute();

  beforeAll(async () => {
    handle = await freshDatabase();
    const env = {
      DATABASE_URL: handle.url!,
      REDIS_URL: services.redis!,
      NATS_URL: services.nats!,
      LIEBIAN_DATA_KEY: crypto.randomBytes(32).toString("hex"),
      LIEBIAN_DEMO_DATA: "1",
      LIEBIAN_DATA_DIR: "/nonexistent",
    };
    // One after the other: the first migrates the empty database and seeds the demo store, as the
    // first instance of a deployment does; the second finds both done.
    servers.push(await startServer(env));
    servers.push(await startServer(env));
    [A, B] = servers.map((s) => s.url);
    admin = (await must(`${A}/auth/login`, { body: { username: "admin", password: "liebian-admin" } })).token;
    for (let i = 0; i < SHOPPERS; i += 8) {
      shoppers.push(...(await Promise.all(Array.from({ length: Math.min(8, SHOPPERS - i) }, (_, k) => signUp(servers[(i + k) % 2].url, i + k)))));
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    if (counterKeys.length > 0) {
      const redis = new Redis(services.redis!);
      await redis.del(...counterKeys);
      redis.disconnect();
    }
    await handle?.close();
  }, 60_000);

  // Filled by the first two tests, checked by the last: the clock jobs they left behind.
  const flash = { slotId: "", itemId: "", paidOrder: "", unpaid: [] as Array<{ who: Shopper; orderId: string; base: string }>, lastExpiry: 0 };
  const group = { teamId: "", paid: [] as Array<{ who: Shopper; orderId: string; payable: number }>, unpaid: { who: undefined as unknown as Shopper, orderId: "" } };

  it(`sells exactly ${FLASH_UNITS} flash units when every buyer tries on both processes at once`, async () => {
    const skuId = await product(A, "双进程秒杀商品", 19900, 100);
    const opensAt = Date.now() + 3000;
    const slot = await must(`${A}/admin/flash/slots`, { token: admin, body: { title: "双进程场", opensAt: new Date(opensAt).toISOString(), closesAt: new Date(opensAt + 3_600_000).toISOString() } });
    const item = await must(`${B}/admin/flash/slots/${slot.id}/items`, { token: admin, body: { skuId, flashPrice: 990, stock: FLASH_UNITS, perUserLimit: 1, paymentMinutes: 1 } });
    Object.assign(flash, { slotId: slot.id, itemId: item.id });
    counterKeys.push(...["m", "u", "a"].map((k) => `lb:fs:{${item.id}}:${k}`));
    await sleep(opensAt - Date.now() + 200);

    // Each buyer fires one attempt at each process, all at once: stock and the per-buyer limit are
    // decided across both processes or not at all.
    const fired = await Promise.all(
      shoppers.flatMap((who) =>
        [A, B].map(async (base) => ({
          who,
          base,
          res: await call(`${base}/flash/items/${item.id}/attempts`, { token: who.token, ip: who.ip, headers: { "x-device-id": who.device }, body: { addressId: who.addressId, qty: 1 } }),
        })),
      ),
    );
    const won = fired.filter((f) => f.res.status === 202);
    const lost = fired.filter((f) => f.res.status !== 202);
    expect(won).toHaveLength(FLASH_UNITS);
    expect(new Set(won.map((w) => w.who.userId)).size).toBe(FLASH_UNITS);
    // Losers are refused by stock or by their own win on the other process, nothing else.
    expect(lost.filter((l) => l.res.status !== 409 || !["sold_out", "limit_reached"].includes(l.res.body.code)).map((l) => [l.res.status, l.res.body])).toEqual([]);

    // The buyer polls the other process until the queue (a JetStream consumer shared by both) has placed the order.
    const placed = await Promise.all(
      won.map(async (w) => {
        const done = await until(`attempt ${w.res.body.attemptId} ordered`, 30_000, async () => {
          const a = await must(`${other(w.base)}/flash/attempts/${w.res.body.attemptId}`, { token: w.who.token });
          return a.orderId ? a : undefined;
        });
        expect(done.status).toBe("ordered");
        return { who: w.who, base: w.base, orderId: done.orderId as string };
      }),
    );
    expect(new Set(placed.map((p) => p.orderId)).size).toBe(FLASH_UNITS);
    const orders = await Promise.all(placed.map((p) => order(p.base, p.who, p.orderId)));
    expect(orders.map((o) => [o.status, o.items.map((i: { skuId: string; qty: number; unitPrice: number }) => [i.skuId, i.qty])])).toEqual(orders.map(() => ["pending_payment", [[skuId, 1]]]));
    const view = await must(`${B}/admin/flash/slots/${slot.id}`, { token: admin });
    expect(view.items[0]).toMatchObject({ remaining: 0, units: { queued: 0, ordered: FLASH_UNITS, paid: 0, released: 0, failed: 0 } });

    // One buyer pays; the others' orders are left to the payment timeout (the item's 1 minute).
    await pay(A, placed[0].who, placed[0].orderId);
    flash.paidOrder = placed[0].orderId;
    flash.unpaid = placed.slice(1);
    flash.lastExpiry = Math.max(...orders.map((o) => new Date(o.expiresAt).getTime()));
    await until("the paid flash order", 15_000, async () => ((await order(B, placed[0].who, placed[0].orderId)).status === "paid" ? true : undefined));
  });

  it("never over-fills a team of 3 when joins race on both processes", async () => {
    const skuId = await product(B, "双进程拼团商品", 3990, 100);
    const activity = await must(`${A}/admin/groupbuy/activities`, {
      token: admin,
      body: {
        title: "三人团 · 双进程",
        teamSize: 3,
        fillMinutes: 10,
        paymentMinutes: 5,
        perUserLimit: 1,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        platformFillsLastSeat: false,
        skus: [{ skuId, groupPrice: 2990, leaderPrice: 1990, stock: 50 }],
      },
    });
    const [leader, ...joiners] = shoppers;
    const opened = await must(`${A}/groupbuy/activities/${activity.id}/teams`, { token: leader.token, ip: leader.ip, body: { skuId, qty: 1, addressId: leader.addressId } });
    await pay(B, leader, opened.orderId);
    await until("the team to open", 15_000, async () => ((await must(`${A}/groupbuy/teams/${opened.teamId}`)).state === "open" ? true : undefined));

    const joins = await Promise.all(
      joiners.map(async (who, i) => {
        const base = i % 2 === 0 ? A : B;
        return { who, base, res: await call(`${base}/groupbuy/teams/${opened.teamId}/join`, { token: who.token, ip: who.ip, body: { skuId, qty: 1, addressId: who.addressId } }) };
      }),
    );
    const seated = joins.filter((j) => j.res.status === 201);
    expect(seated).toHaveLength(2);
    expect(joins.filter((j) => j.res.status !== 201).map((j) => [j.res.status, j.res.body.code])).toEqual(Array.from({ length: joiners.length - 2 }, () => [409, "team_full"]));
    const team = await must(`${B}/groupbuy/teams/${opened.teamId}`);
    expect(team).toMatchObject({ state: "open", size: 3, seatsTaken: 3, seatsLeft: 0 });
    expect(team.members.map((m: { kind: string }) => m.kind).sort()).toEqual(["leader", "member", "member"]);

    // One joiner pays, one does not: at the deadline the paid two are refunded, the unpaid one cancelled.
    const [payer, idle] = seated;
    await pay(other(payer.base), payer.who, payer.res.body.orderId);
    await until("the joiner's payment", 15_000, async () => ((await must(`${A}/groupbuy/teams/${opened.teamId}`)).paidCount === 2 ? true : undefined));
    group.teamId = opened.teamId;
    group.paid = await Promise.all(
      [
        { who: leader, orderId: opened.orderId as string },
        { who: payer.who, orderId: payer.res.body.orderId as string },
      ].map(async (p) => ({ ...p, payable: (await order(A, p.who, p.orderId)).payable as number })),
    );
    group.unpaid = { who: idle.who, orderId: idle.res.body.orderId };
  });

  it("runs each clock job once across both processes: flash auto-cancel and team expiry", async () => {
    expect(group.teamId, "needs the teams and orders of the tests above").not.toBe("");
    // A team has at least 10 minutes to fill and neither process's clock can be moved from here, so
    // the deadline job is made due now, as if the time had passed; both processes poll for due jobs.
    const deadlineKey = `groupbuy.team_deadline:${group.teamId}`;
    const moved = await handle.db.updateTable("jobs").set({ run_at: new Date(Date.now() - 1000) }).where("dedupe_key", "=", deadlineKey).where("status", "=", "pending").executeTakeFirst();
    expect(Number(moved.numUpdatedRows)).toBe(1);
    const failed = await until("the team to fail at its deadline", 20_000, async () => {
      const t = await must(`${B}/groupbuy/teams/${group.teamId}`);
      return t.state === "failed" ? t : undefined;
    });
    expect(failed).toMatchObject({ state: "failed", paidCount: 2 });

    // The flash orders' own timeout: real minutes, no clock moved.
    expect(flash.lastExpiry - Date.now()).toBeLessThan(60_000);
    await until("the unpaid flash orders to be cancelled", flash.lastExpiry - Date.now() + 15_000, async () => {
      const view = await must(`${A}/admin/flash/slots/${flash.slotId}`, { token: admin });
      return view.items[0].units.released === FLASH_UNITS - 1 ? view : undefined;
    });

    const unpaidFlash = flash.unpaid.map((u) => u.orderId);
    const cancelledOrders = [...unpaidFlash, group.unpaid.orderId];
    expect(await jobs([deadlineKey, ...[flash.paidOrder, ...cancelledOrders].map((id) => `order.auto_cancel:${id}`)])).toEqual(
      [
        { dedupe_key: deadlineKey, status: "done", attempts: 1 },
        { dedupe_key: `order.auto_cancel:${flash.paidOrder}`, status: "cancelled", attempts: 0 },
        ...unpaidFlash.map((id) => ({ dedupe_key: `order.auto_cancel:${id}`, status: "done", attempts: 1 })),
        // Cancelled by the team's deadline before its own 5 minutes ran out.
        { dedupe_key: `order.auto_cancel:${group.unpaid.orderId}`, status: "cancelled", attempts: 0 },
      ].sort((x, y) => (x.dedupe_key < y.dedupe_key ? -1 : 1)),
    );

    // Each cancelled order was cancelled once: one timeline entry, one event, its unit back once.
    for (const u of [...flash.unpaid.map((f) => ({ who: f.who, orderId: f.orderId })), group.unpaid]) {
      const o = await order(A, u.who, u.orderId);
      expect(o.status).toBe("cancelled");
      expect(o.timeline.filter((e: { event: string }) => e.event === "cancel")).toHaveLength(1);
    }
    expect(await outbox("order.cancelled", cancelledOrders)).toEqual([...cancelledOrders].sort().map((id) => ({ aggregate_id: id })));
    const slot = await must(`${B}/flash/slots/${flash.slotId}`);
    expect(slot.items[0].remaining).toBe(FLASH_UNITS - 1);
    const staffView = await must(`${A}/admin/flash/slots/${flash.slotId}`, { token: admin });
    expect(staffView.items[0].units).toEqual({ queued: 0, ordered: 0, paid: 1, released: FLASH_UNITS - 1, failed: 0 });

    // The team failed once: one event, one refund per paid member, for what each paid.
    expect(await outbox("groupbuy.team_failed", [group.teamId])).toEqual([{ aggregate_id: group.teamId }]);
    for (const p of group.paid) {
      const refunds = await must(`${B}/admin/refunds?orderId=${p.orderId}`, { token: admin });
      expect(refunds.items.map((r: { amount: number; status: string }) => [r.amount, r.status])).toEqual([[p.payable, "succeeded"]]);
      expect(await order(A, p.who, p.orderId)).toMatchObject({ status: "closed", refundedAmount: p.payable });
    }
  }, 100_000);
});
