import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_ACCOUNTS, seedDemoStore } from "../demo/seed.js";
import { bearer, createTestContext, type TestContext } from "./testing/harness.js";

/** A context on a fresh database whose uploads (the demo's product images) go to a temporary folder. */
async function demoContext(): Promise<{ ctx: TestContext; close: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-demo-"));
  const ctx = await createTestContext({ config: { dataDir } });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function signIn(ctx: TestContext, login: string): Promise<Record<string, string>> {
  const password = DEMO_ACCOUNTS.find((a) => a.login === login)!.password;
  const res = await ctx.app.inject({ method: "POST", url: "/auth/login", payload: /^\d+$/.test(login) ? { phone: login, password } : { username: login, password } });
  expect(res.statusCode).toBe(200);
  return bearer(res.json().token);
}

async function get(ctx: TestContext, url: string, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: "GET", url, headers });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
}

const count = async (ctx: TestContext, query: string) => Number((await sql.raw<{ n: number }>(query).execute(ctx.deps.db)).rows[0].n);

/** What a shopper sees the moment the store opens, with or without its history. */
async function expectLiveCampaigns(ctx: TestContext) {
  const teams = await get(ctx, "/groupbuy/activities");
  expect(teams.items.map((a: { teamSize: number; phase: string }) => [a.teamSize, a.phase])).toEqual([
    [3, "active"],
    [2, "active"],
  ]);
  expect((await get(ctx, "/bargain-activities")).items.map((a: { helpersNeeded: number }) => a.helpersNeeded).sort()).toEqual([5, 8]);
  const flash = await get(ctx, "/flash/now");
  expect(flash.slots.map((s: { title: string; state: string }) => [s.title, s.state])).toEqual([
    ["限时秒杀 · 车厘子 & 充电宝", "open"],
    ["整点秒杀 · 空气炸锅 & 补水面膜", "upcoming"],
  ]);
  const running = await get(ctx, `/flash/slots/${flash.slots[0].id}`);
  expect(running.items.map((i: { stock: number }) => i.stock)).toEqual([24, 30]);
  const [lottery] = (await get(ctx, "/lottery")).items;
  expect((await get(ctx, `/lottery/${lottery.id}`)).prizes).toHaveLength(6);
  const centre = await get(ctx, "/coupon-templates?limit=50");
  expect(centre.items.map((t: { name: string }) => t.name).sort()).toEqual(
    ["新人专享 无门槛5元券", "全场通用 满99减15", "鲜果时光 满59减8", "美妆个护 8.5折 最高减30", "包邮券", "分享3位好友 解锁20元券"].sort(),
  );
  const admin = await signIn(ctx, "admin");
  const rules = await get(ctx, "/admin/reward-rules?limit=50", admin);
  expect(rules.items.map((r: { trigger: string }) => r.trigger).sort()).toEqual(["invitee_first_order_completed", "invitee_registered", "order_completed", "order_completed", "share_order_paid"]);
  expect((await get(ctx, "/admin/coupon-pairs", admin)).items).toHaveLength(1);
  expect(await get(ctx, "/admin/distribution/settings", await signIn(ctx, "finance"))).toMatchObject({ levels: 2, level1RateBp: 1000, level2RateBp: 500 });
}

describe("the demo store with its weeks of history", () => {
  let demo: Awaited<ReturnType<typeof demoContext>>;
  let ctx: TestContext;
  beforeAll(async () => {
    demo = await demoContext();
    ctx = demo.ctx;
    expect(await seedDemoStore(ctx.deps)).toBe(DEMO_ACCOUNTS);
  }, 900_000);
  afterAll(() => demo?.close());

  test("its campaigns are live when the store opens", () => expectLiveCampaigns(ctx));

  test("every account signs in", async () => {
    for (const a of DEMO_ACCOUNTS) await signIn(ctx, a.login);
  });

  test("orders were placed, paid and received across at least six weeks", async () => {
    const weeks = await count(ctx, "select count(distinct date_trunc('week', created_at)) as n from orders");
    expect(weeks).toBeGreaterThanOrEqual(6);
    const byStatus = Object.fromEntries((await sql<{ status: string; n: number }>`select status, count(*)::int as n from orders group by status`.execute(ctx.deps.db)).rows.map((r) => [r.status, r.n]));
    for (const status of ["completed", "shipped", "cancelled", "closed"]) expect(byStatus[status], status).toBeGreaterThan(0);
    const campaigns = (await sql<{ type: string }>`select distinct campaign_type as type from orders where campaign_type is not null order by 1`.execute(ctx.deps.db)).rows;
    expect(campaigns.map((c) => c.type)).toEqual(["bargain", "flashsale", "groupbuy"]);
    expect(await count(ctx, "select count(*) as n from groupbuy_teams where state = 'succeeded'")).toBeGreaterThan(0);
  });

  test("the invite tree goes at least four levels deep", async () => {
    expect(await count(ctx, "select max(depth) as n from referral_members")).toBeGreaterThanOrEqual(4);
    const tree = await get(ctx, "/admin/analytics/invite-tree?depth=6", await signIn(ctx, "admin"));
    expect(Math.max(...tree.nodes.map((n: { depth: number }) => n.depth))).toBeGreaterThanOrEqual(4);
  });

  test("analytics has the browser's events and the business events, and reports on them", async () => {
    const types = (await sql<{ type: string }>`select distinct type from analytics_events order by 1`.execute(ctx.deps.db)).rows.map((r) => r.type);
    for (const type of ["page_view", "product_view", "add_to_cart", "click", "share", "registration", "order", "payment", "share_created", "reward", "commission"]) expect(types).toContain(type);
    const admin = await signIn(ctx, "admin");
    const overview = await get(ctx, "/admin/analytics/overview?grain=week", admin);
    for (const metric of ["pv", "uv", "newUsers", "orders", "gmv", "payingUsers", "rewardCost", "commissionCost"]) expect(overview.totals[metric], metric).toBeGreaterThan(0);
    const funnel = await get(ctx, "/admin/analytics/funnel?steps=product_view,add_to_cart,order,payment&windowHours=24", admin);
    expect(funnel.steps.every((s: { users: number }) => s.users > 0)).toBe(true);
    expect((await get(ctx, "/admin/analytics/cohorts?weeks=8", admin)).cohorts.length).toBeGreaterThanOrEqual(4);
    expect((await get(ctx, "/admin/analytics/channels", admin)).rows.map((r: { channel: string }) => r.channel)).toContain("wechat_friend");
  });

  test("小红 has orders behind her and a friend she invited", async () => {
    const buyer = await signIn(ctx, "13800000001");
    expect((await get(ctx, "/orders?limit=50", buyer)).items.filter((o: { status: string }) => o.status === "completed").length).toBeGreaterThanOrEqual(3);
    expect((await get(ctx, "/me/invite", buyer)).invitees).toBeGreaterThanOrEqual(1);
    expect((await get(ctx, "/me/addresses", buyer)).items).toHaveLength(1);
  });

  test("阿杰 is a promoter with customers, commission on its way and commission come through", async () => {
    const promoter = await get(ctx, "/me/promoter", await signIn(ctx, "13800000002"));
    expect(promoter.status).toBe("approved");
    expect(promoter.customers).toBeGreaterThan(0);
    expect(promoter.pending + promoter.frozen).toBeGreaterThan(0);
    expect(promoter.available + promoter.withdrawn).toBeGreaterThan(0);
  });

  test("every event was delivered and no job failed", async () => {
    expect(await count(ctx, "select count(*) as n from outbox_events where dispatched_at is null")).toBe(0);
    expect(await count(ctx, "select count(*) as n from jobs where status = 'failed' or last_error is not null")).toBe(0);
  });

  test("loading it again changes nothing", async () => {
    const tables = ["users", "orders", "analytics_events", "shares", "flash_slots", "groupbuy_activities"];
    const before = await Promise.all(tables.map((t) => count(ctx, `select count(*) as n from ${t}`)));
    expect(await seedDemoStore(ctx.deps)).toBe(DEMO_ACCOUNTS);
    expect(await Promise.all(tables.map((t) => count(ctx, `select count(*) as n from ${t}`)))).toEqual(before);
  });
});

describe("the demo store without history (browser tests)", () => {
  let demo: Awaited<ReturnType<typeof demoContext>>;
  let ctx: TestContext;
  beforeAll(async () => {
    demo = await demoContext();
    ctx = demo.ctx;
    await seedDemoStore(ctx.deps, { history: false });
  }, 300_000);
  afterAll(() => demo?.close());

  test("opens with the same live campaigns and no past", async () => {
    await expectLiveCampaigns(ctx);
    expect(await count(ctx, "select count(*) as n from orders")).toBe(0);
    expect(await count(ctx, "select count(*) as n from users where kind = 'consumer'")).toBe(2);
  });

  test("阿杰 is an approved promoter and 小红 has an address", async () => {
    expect((await get(ctx, "/me/promoter", await signIn(ctx, "13800000002"))).status).toBe("approved");
    const addresses = await get(ctx, "/me/addresses", await signIn(ctx, "13800000001"));
    expect(addresses.items.map((a: { recipient: string; isDefault: boolean }) => [a.recipient, a.isDefault])).toEqual([["李小红", true]]);
  });
});
