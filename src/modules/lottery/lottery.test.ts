import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR } from "../../platform/clock.js";
import { bearer, createTestContext, signInConsumer, signInStaff, type TestContext } from "../../testing/harness.js";

let ctx: TestContext;
let admin: Record<string, string>;
let auditor: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = bearer((await signInStaff(ctx, "operator", { permissions: ["catalog"] })).token);
  auditor = bearer((await signInStaff(ctx, "operator", { permissions: ["audit"] })).token);
});
afterAll(async () => ctx?.close());

const thanks = (probabilityBp = 0) => ({ kind: "thanks", name: "谢谢参与", probabilityBp });

function body(overrides: Record<string, unknown> = {}) {
  const now = ctx.clock.now().getTime();
  return { title: "幸运大转盘", kind: "wheel", startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + 30 * 24 * HOUR).toISOString(), dailyFreeChances: 1, shareChancesPerDay: 0, prizes: [{ kind: "points", name: "100 积分", probabilityBp: 10000, amount: 100 }, thanks()], ...overrides };
}

async function activity(overrides: Record<string, unknown> = {}) {
  const res = await ctx.app.inject({ method: "POST", url: "/admin/lottery-activities", headers: admin, payload: body(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; prizes: { id: string; kind: string }[]; questions: { id: string; answer: number }[] };
}

async function consumer() {
  const c = await signInConsumer(ctx);
  return { ...c, headers: bearer(c.token) };
}

const drawAs = (id: string, headers: Record<string, string>) => ctx.app.inject({ method: "POST", url: `/lottery/${id}/draw`, headers });
const adminView = async (id: string) => (await ctx.app.inject({ method: "GET", url: `/admin/lottery-activities/${id}`, headers: admin })).json();

describe("lottery activities", () => {
  it("refuses probabilities that do not sum to 100%, naming the field", async () => {
    const res = await ctx.app.inject({ method: "POST", url: "/admin/lottery-activities", headers: admin, payload: body({ prizes: [{ kind: "points", name: "积分", probabilityBp: 5000, amount: 10 }, thanks(4000)] }) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "lottery_config_invalid", details: [{ field: "prizes", message: "probabilities must sum to 10000 basis points (100%), got 9000" }] });
  });

  it("refuses cash prizes without a budget, and a points prize without an amount", async () => {
    const cash = await ctx.app.inject({ method: "POST", url: "/admin/lottery-activities", headers: admin, payload: body({ prizes: [{ kind: "cash", name: "红包", probabilityBp: 5000, amount: 100 }, thanks(5000)] }) });
    expect(cash.json().details[0].field).toBe("cashBudget");
    const points = await ctx.app.inject({ method: "POST", url: "/admin/lottery-activities", headers: admin, payload: body({ prizes: [{ kind: "points", name: "积分", probabilityBp: 5000 }, thanks(5000)] }) });
    expect(points.json().details[0].field).toBe("prizes.0.amount");
  });

  it("shows the public page without quiz answers or the seed", async () => {
    const a = await activity({ questions: [{ prompt: "裂变是什么？", options: ["分享增长", "化学反应"], answer: 0 }] });
    const page = (await ctx.app.inject({ method: "GET", url: `/lottery/${a.id}` })).json();
    expect(page).toMatchObject({ open: true, dailyFreeChances: 1, questions: [{ prompt: "裂变是什么？", options: ["分享增长", "化学反应"] }] });
    expect(page.questions[0].answer).toBeUndefined();
    expect(page.seedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(page)).not.toContain("seed_sealed");
  });
});

describe("the shoppers' list of open lucky draws", () => {
  it("lists active draws within their window, and leaves out paused and future ones", async () => {
    const open = await activity({ title: "周末大转盘" });
    const paused = await activity();
    await ctx.app.inject({ method: "PATCH", url: `/admin/lottery-activities/${paused.id}`, headers: admin, payload: { status: "paused" } });
    const later = await activity({ startsAt: new Date(ctx.clock.now().getTime() + HOUR).toISOString() });
    const res = await ctx.app.inject({ method: "GET", url: "/lottery" });
    expect(res.statusCode).toBe(200);
    const listed = res.json() as { items: { id: string }[]; serverTime: string };
    expect(listed.serverTime).toBe(ctx.clock.now().toISOString());
    const ids = listed.items.map((i) => i.id);
    expect([ids.includes(open.id), ids.includes(paused.id), ids.includes(later.id)]).toEqual([true, false, false]);
    expect(listed.items.find((i) => i.id === open.id)).toEqual({ id: open.id, title: "周末大转盘", kind: "wheel", startsAt: new Date(ctx.clock.now().getTime() - HOUR).toISOString(), endsAt: new Date(ctx.clock.now().getTime() + 30 * 24 * HOUR).toISOString() });
  });
});

describe("chances", () => {
  it("gives the daily free chances per Asia/Shanghai day", async () => {
    const a = await activity({ dailyFreeChances: 2 });
    const c = await consumer();
    const started = ctx.clock.now();
    ctx.clock.set(new Date("2026-06-01T15:00:00Z")); // 23:00 in Shanghai
    expect((await drawAs(a.id, c.headers)).statusCode).toBe(201);
    expect((await drawAs(a.id, c.headers)).statusCode).toBe(201);
    const third = await drawAs(a.id, c.headers);
    expect([third.statusCode, third.json().code]).toEqual([409, "no_chances"]);
    ctx.clock.set(new Date("2026-06-01T16:00:00Z")); // midnight in Shanghai: a new day
    expect((await ctx.app.inject({ method: "GET", url: `/lottery/${a.id}/me`, headers: c.headers })).json().chances).toMatchObject({ day: "2026-06-02", free: 2, earned: 0, left: 2 });
    expect((await drawAs(a.id, c.headers)).statusCode).toBe(201);
    // Back to the start, so the staff sessions of the other tests stay fresh.
    ctx.clock.set(started);
  });

  it("earns one chance per share up to the cap per day", async () => {
    const a = await activity({ dailyFreeChances: 0, shareChancesPerDay: 2 });
    const c = await consumer();
    const share = () => ctx.app.inject({ method: "POST", url: `/lottery/${a.id}/chances/share`, headers: c.headers });
    expect((await share()).json()).toMatchObject({ earned: 1, sharesToday: 1, shareChancesLeft: 1 });
    expect((await share()).json()).toMatchObject({ earned: 2, sharesToday: 2, shareChancesLeft: 0 });
    const capped = await share();
    expect([capped.statusCode, capped.json().code]).toEqual([409, "share_cap_reached"]);
    const drawn = await drawAs(a.id, c.headers);
    expect(drawn.json().chanceSource).toBe("earned");
    expect((await ctx.app.inject({ method: "GET", url: `/lottery/${a.id}/me`, headers: c.headers })).json().chances).toMatchObject({ earned: 1, left: 1 });
  });

  it("earns one chance per question answered right, once a day", async () => {
    const a = await activity({
      dailyFreeChances: 0,
      questions: [
        { prompt: "拼团几人成团？", options: ["看活动设置", "永远 100 人"], answer: 0 },
        { prompt: "砍价最低砍到？", options: ["零元以下", "底价"], answer: 1 },
      ],
    });
    const c = await consumer();
    const [q1, q2] = (await ctx.app.inject({ method: "GET", url: `/lottery/${a.id}` })).json().questions;
    const answer = (q: string, option: number) => ctx.app.inject({ method: "POST", url: `/lottery/${a.id}/quiz/${q}/answer`, headers: c.headers, payload: { option } });
    expect((await answer(q1.id, 1)).json()).toMatchObject({ correct: false, chances: { earned: 0 } });
    const again = await answer(q1.id, 0);
    expect([again.statusCode, again.json().code]).toEqual([409, "already_answered"]);
    expect((await answer(q2.id, 1)).json()).toMatchObject({ correct: true, chances: { earned: 1, left: 1 } });
    expect((await drawAs(a.id, c.headers)).statusCode).toBe(201);
    expect((await drawAs(a.id, c.headers)).statusCode).toBe(409);
  });
});

describe("prizes", () => {
  it("pays points and cash into the winner's ledger, and a coupon through coupons", async () => {
    const template = await ctx.app.inject({ method: "POST", url: "/admin/coupon-templates", headers: admin, payload: { name: "抽奖券", kind: "fixed", amount: 500, validDays: 30 } });
    expect(template.statusCode, template.body).toBe(201);
    const points = await activity();
    const cash = await activity({ cashBudget: 10000, prizes: [{ kind: "cash", name: "¥8.88 红包", probabilityBp: 10000, amount: 888 }, thanks()] });
    const coupon = await activity({ prizes: [{ kind: "coupon", name: "¥5 券", probabilityBp: 10000, couponTemplateId: template.json().id, stock: 10 }, thanks()] });
    const c = await consumer();
    for (const a of [points, cash, coupon]) {
      const res = await drawAs(a.id, c.headers);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ outcome: "won", fulfilment: "fulfilled", fallback: null });
    }
    expect((await ctx.app.inject({ method: "GET", url: "/me/points", headers: c.headers })).json().available).toBe(100);
    expect((await ctx.app.inject({ method: "GET", url: "/me/wallet", headers: c.headers })).json().available).toBe(888);
    const mine = (await ctx.app.inject({ method: "GET", url: "/me/coupons?state=usable", headers: c.headers })).json().items;
    expect(mine.map((x: { templateId: string }) => x.templateId)).toEqual([template.json().id]);
    expect((await adminView(cash.id)).cashSpent).toBe(888);
  });

  it("records physical goods as to be fulfilled until an operator hands them over", async () => {
    const a = await activity({ prizes: [{ kind: "goods", name: "保温杯", probabilityBp: 10000, stock: 3 }, thanks()] });
    const c = await consumer();
    const won = (await drawAs(a.id, c.headers)).json();
    expect(won).toMatchObject({ outcome: "won", fulfilment: "to_fulfil", prize: { name: "保温杯" } });
    const waiting = (await ctx.app.inject({ method: "GET", url: `/admin/lottery-activities/${a.id}/draws?fulfilment=to_fulfil`, headers: admin })).json().items;
    expect(waiting.map((d: { id: string; userId: string }) => [d.id, d.userId])).toEqual([[won.id, c.userId]]);
    const done = await ctx.app.inject({ method: "POST", url: `/admin/lottery-draws/${won.id}/fulfil`, headers: admin, payload: { note: "SF1234567890" } });
    expect(done.json()).toEqual({ id: won.id, fulfilment: "fulfilled", note: "SF1234567890" });
    const twice = await ctx.app.inject({ method: "POST", url: `/admin/lottery-draws/${won.id}/fulfil`, headers: admin, payload: { note: "again" } });
    expect([twice.statusCode, twice.json().code]).toEqual([409, "nothing_to_fulfil"]);
  });

  it("never gives out more than a prize's stock under 200 concurrent draws", async () => {
    const a = await activity({ dailyFreeChances: 50, prizes: [{ kind: "points", name: "大奖", probabilityBp: 9000, amount: 1000, stock: 5 }, thanks(1000)] });
    const people = await Promise.all(Array.from({ length: 4 }, () => consumer()));
    const results = await Promise.all(people.flatMap((p) => Array.from({ length: 50 }, () => drawAs(a.id, p.headers))));
    expect(results.map((r) => r.statusCode)).toEqual(Array(200).fill(201));
    const draws = results.map((r) => r.json());
    expect(draws.filter((d) => d.outcome === "won")).toHaveLength(5);
    expect(draws.filter((d) => d.fallback === "out_of_stock").length).toBeGreaterThan(100);
    expect(new Set(draws.map((d) => d.nonce)).size).toBe(200);
    const view = await adminView(a.id);
    expect(view.prizes[0]).toMatchObject({ stock: 5, won: 5 });
    expect(view.draws).toBe(200);
    const fifth = await drawAs(a.id, people[0].headers);
    expect([fifth.statusCode, fifth.json().code]).toEqual([409, "no_chances"]);
  });

  it("never pays cash past the budget under concurrent draws", async () => {
    const a = await activity({ dailyFreeChances: 30, cashBudget: 1000, prizes: [{ kind: "cash", name: "¥3 红包", probabilityBp: 9000, amount: 300 }, thanks(1000)] });
    const c = await consumer();
    const draws = (await Promise.all(Array.from({ length: 30 }, () => drawAs(a.id, c.headers)))).map((r) => r.json());
    expect(draws.filter((d) => d.outcome === "won")).toHaveLength(3);
    expect(draws.filter((d) => d.fallback === "over_budget").length).toBeGreaterThan(15);
    expect((await adminView(a.id))).toMatchObject({ cashBudget: 1000, cashSpent: 900 });
    expect((await ctx.app.inject({ method: "GET", url: "/me/wallet", headers: c.headers })).json().available).toBe(900);
  });

  it("replays an idempotent draw instead of drawing twice", async () => {
    const a = await activity({ dailyFreeChances: 5 });
    const c = await consumer();
    const headers = { ...c.headers, "idempotency-key": "draw-1" };
    const first = await drawAs(a.id, headers);
    const again = await drawAs(a.id, headers);
    expect([again.statusCode, again.headers["idempotent-replayed"], again.json().id]).toEqual([201, "true", first.json().id]);
    expect((await adminView(a.id)).draws).toBe(1);
  });
});

describe("auditing draws", () => {
  it("re-computes a draw from the server seed and its nonce, and notices a tampered record", async () => {
    const a = await activity({ dailyFreeChances: 3, prizes: [{ kind: "points", name: "小奖", probabilityBp: 5000, amount: 10 }, thanks(5000)] });
    const c = await consumer();
    const d = (await drawAs(a.id, c.headers)).json();
    const verify = async () => (await ctx.app.inject({ method: "GET", url: `/admin/lottery-draws/${d.id}/verify`, headers: auditor })).json();
    const checked = await verify();
    expect(checked).toMatchObject({ drawId: d.id, nonce: 1, seedMatchesHash: true, reproduced: true, computed: { roll: d.roll, pickedPrizeId: d.prize.id } });
    expect(checked.seedHash).toBe((await ctx.app.inject({ method: "GET", url: `/lottery/${a.id}` })).json().seedHash);
    expect((await ctx.app.inject({ method: "GET", url: `/admin/lottery-draws/${d.id}/verify`, headers: admin })).statusCode).toBe(403);
    await ctx.deps.db.updateTable("lottery_draws").set({ roll: (d.roll + 5000) % 10000 }).where("id", "=", d.id).execute();
    expect((await verify()).reproduced).toBe(false);
  });
});
