import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../platform/clock.js";
import { createTestContext, type TestContext } from "../../testing/harness.js";
import { ok, registerInvited, shop, shopper } from "../promotions/testing/shop.js";
import { register } from "../referral/testing/register.js";

let ctx: TestContext;
let s: Awaited<ReturnType<typeof shop>>;
let goods: { productId: string; skuId: string };

beforeAll(async () => {
  ctx = await createTestContext();
  s = await shop(ctx);
  goods = await s.product("保温杯", 5000);
});
afterAll(async () => ctx?.close());

const template = (payload: Record<string, unknown>, headers: Record<string, string> = s.merchantH) =>
  ok(ctx, { method: "POST", url: "/admin/coupon-templates", headers, payload: { validDays: 30, ...payload } });
const claim = (templateId: string, headers: Record<string, string>) => ctx.app.inject({ method: "POST", url: `/coupons/${templateId}/claim`, headers });
const mine = async (headers: Record<string, string>, state = "usable") => (await ok(ctx, { method: "GET", url: `/me/coupons?state=${state}`, headers })).items;
const coupons = (part: { adjustments: { type: string; amount: number; source?: string }[] }) => part.adjustments.filter((a) => a.type === "coupon").map((a) => [a.amount, a.source]);

describe("claiming", () => {
  it("hands out exactly the stock when 20 people claim 5 coupons at once", async () => {
    const t = await template({ name: "限量券", kind: "fixed", amount: 500, stock: 5, perUserLimit: 1 });
    const people = await Promise.all(Array.from({ length: 20 }, () => shopper(ctx)));
    const results = await Promise.all(people.map((p) => claim(t.id, p.headers)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([...Array(5).fill(201), ...Array(15).fill(409)]);
    expect(new Set(results.filter((r) => r.statusCode === 409).map((r) => r.json().code))).toEqual(new Set(["coupon_sold_out"]));
    expect((await ok(ctx, { method: "GET", url: `/admin/coupon-templates/${t.id}`, headers: s.merchantH })).issued).toBe(5);
  });

  it("holds the per-user limit under concurrent claims by one person, and replays an idempotent claim", async () => {
    const t = await template({ name: "每人两张", kind: "fixed", amount: 300, perUserLimit: 2 });
    const p = await shopper(ctx);
    const results = await Promise.all(Array.from({ length: 8 }, () => claim(t.id, p.headers)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe("coupon_limit_reached");
    expect((await mine(p.headers)).length).toBe(2);

    const q = await shopper(ctx);
    const headers = { ...q.headers, "idempotency-key": "claim-once" };
    const first = await claim(t.id, headers);
    const again = await claim(t.id, headers);
    expect([first.statusCode, again.statusCode, again.headers["idempotent-replayed"], again.json().id]).toEqual([201, 201, "true", first.json().id]);
    expect((await mine(q.headers)).length).toBe(1);
  });
});

describe("at checkout", () => {
  it("lists the coupon, marks it used by the order, and refuses it a second time", async () => {
    const t = await template({ name: "满100减30", kind: "threshold", amount: 3000, threshold: 10000 });
    const p = await shopper(ctx);
    const c = (await claim(t.id, p.headers)).json();
    const below = await p.preview([{ skuId: goods.skuId, qty: 1 }], { couponIds: [c.id] });
    expect([below.statusCode, below.json().code]).toEqual([422, "coupon_threshold_not_met"]);

    const preview = (await p.preview([{ skuId: goods.skuId, qty: 2 }], { couponIds: [c.id] })).json().parts[0];
    expect([coupons(preview), preview.payable]).toEqual([[[-3000, c.id]], 7000]);
    const placed = await p.place([{ skuId: goods.skuId, qty: 2 }], { couponIds: [c.id] });
    expect(placed.statusCode).toBe(201);
    const order = placed.json().orders[0];
    expect([order.payable, order.discountTotal]).toEqual([7000, 4000]);
    const used = await mine(p.headers, "used");
    expect(used.map((x: { id: string; orderId: string }) => [x.id, x.orderId])).toEqual([[c.id, order.id]]);
    const twice = await p.place([{ skuId: goods.skuId, qty: 2 }], { couponIds: [c.id] });
    expect([twice.statusCode, twice.json().code]).toEqual([422, "coupon_used"]);
  });

  it("lets only one of two concurrent checkouts use the same coupon", async () => {
    const t = await template({ name: "立减10元", kind: "fixed", amount: 1000 });
    const p = await shopper(ctx);
    const c = (await claim(t.id, p.headers)).json();
    const results = await Promise.all([1, 2].map(() => p.place([{ skuId: goods.skuId, qty: 1 }], { couponIds: [c.id] })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(201);
    expect([409, 422]).toContain(codes[1]);
    const winner = results.find((r) => r.statusCode === 201)!.json().orders[0];
    expect((await mine(p.headers, "used")).map((x: { orderId: string }) => x.orderId)).toEqual([winner.id]);
    const orders = (await ok(ctx, { method: "GET", url: "/orders", headers: p.headers })).items;
    expect(orders.length).toBe(1);
  });

  it("gives the coupon back when the unpaid order is cancelled", async () => {
    const t = await template({ name: "取消退回券", kind: "fixed", amount: 800 });
    const p = await shopper(ctx);
    const c = (await claim(t.id, p.headers)).json();
    const order = (await p.place([{ skuId: goods.skuId, qty: 1 }], { couponIds: [c.id] })).json().orders[0];
    expect(await mine(p.headers)).toEqual([]);
    await ok(ctx, { method: "POST", url: `/orders/${order.id}/cancel`, headers: p.headers });
    await ctx.deps.events.drain();
    const back = await mine(p.headers);
    expect(back.map((x: { id: string; orderId: string | null; state: string }) => [x.id, x.orderId, x.state])).toEqual([[c.id, null, "usable"]]);
  });

  it("refuses another store's coupon list entry it cannot use, and two exclusive coupons in one store's order", async () => {
    const a = await template({ name: "A", kind: "fixed", amount: 100 });
    const b = await template({ name: "B", kind: "fixed", amount: 200 });
    const p = await shopper(ctx);
    const ca = (await claim(a.id, p.headers)).json();
    const cb = (await claim(b.id, p.headers)).json();
    const res = await p.preview([{ skuId: goods.skuId, qty: 1 }], { couponIds: [ca.id, cb.id] });
    expect([res.statusCode, res.json().code]).toEqual([422, "coupons_not_stackable"]);
    const other = await shopper(ctx);
    const stolen = await other.preview([{ skuId: goods.skuId, qty: 1 }], { couponIds: [ca.id] });
    expect([stolen.statusCode, stolen.json().code]).toEqual([422, "coupon_not_found"]);
  });

  it("stacks limited-time price → 满减 → coupons, and never lets the payable go below 0", async () => {
    const store = await shop(ctx);
    const sku = (await store.product("茶壶", 5000)).skuId;
    const window = { startsAt: new Date(ctx.clock.now().getTime() - HOUR).toISOString(), endsAt: new Date(ctx.clock.now().getTime() + DAY).toISOString() };
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: store.merchantH, payload: { kind: "limited_price", name: "限时", skuId: sku, price: 4000, ...window } });
    await ok(ctx, { method: "POST", url: "/admin/promotions", headers: store.merchantH, payload: { kind: "full_reduction", name: "满减", tiers: [{ threshold: 3000, off: 1000 }], ...window } });
    const big = await template({ name: "大额券", kind: "fixed", amount: 5000 }, store.merchantH);
    const ship = await template({ name: "包邮券", kind: "free_shipping", stackable: true }, store.merchantH);
    const pct = await template({ name: "八折券", kind: "percent", percentOff: 20, maxOff: 550 }, store.merchantH);
    const p = await shopper(ctx);
    const ids = [(await claim(big.id, p.headers)).json().id, (await claim(ship.id, p.headers)).json().id];
    const part = (await p.preview([{ skuId: sku, qty: 1 }], { couponIds: ids })).json().parts[0];
    // ¥50 → ¥40 limited → ¥30 after 满减; the ¥50 coupon takes only the ¥30 left, free shipping the ¥10 fee.
    expect(part.adjustments.map((a: { type: string; amount: number }) => [a.type, a.amount])).toEqual([
      ["shipping", 1000],
      ["limited_time_price", -1000],
      ["full_reduction", -1000],
      ["coupon", -3000],
      ["coupon", -1000],
    ]);
    expect([part.payable, part.discountTotal]).toEqual([0, 6000]);

    // 20% of the ¥30 left is ¥6.00, capped at ¥5.50.
    const pctId = (await claim(pct.id, p.headers)).json().id;
    const capped = (await p.preview([{ skuId: sku, qty: 1 }], { couponIds: [pctId] })).json().parts[0];
    expect([coupons(capped), capped.payable]).toEqual([[[-550, pctId]], 3450]);
  });
});

describe("coupon fission (裂变券)", () => {
  it("unlocks at exactly N distinct friends; the owner and repeat opens do not count", async () => {
    const t = await template({ name: "分享解锁券", kind: "fixed", amount: 1000, fissionShares: 3 });
    const owner = await shopper(ctx);
    const c = (await claim(t.id, owner.headers)).json();
    expect([c.state, c.fission]).toEqual(["locked", { required: 3, opened: 0 }]);
    const locked = await owner.preview([{ skuId: goods.skuId, qty: 1 }], { couponIds: [c.id] });
    expect([locked.statusCode, locked.json().code]).toEqual([422, "coupon_locked"]);

    const link = await ok(ctx, { method: "POST", url: `/coupons/${c.id}/fission-link`, headers: owner.headers });
    expect(await ok(ctx, { method: "POST", url: `/coupons/${c.id}/fission-link`, headers: owner.headers })).toMatchObject({ token: link.token });
    const open = async (headers: Record<string, string>) => {
      const r = await ok(ctx, { method: "GET", url: link.path, headers });
      return [r.counted, r.opened, r.unlocked];
    };
    const [f1, f2, f3, f4] = await Promise.all([1, 2, 3, 4].map(() => shopper(ctx)));
    expect(await open(owner.headers)).toEqual([false, 0, false]);
    expect(await open(f1.headers)).toEqual([true, 1, false]);
    expect(await open(f1.headers)).toEqual([false, 1, false]);
    expect(await open(f2.headers)).toEqual([true, 2, false]);
    expect((await mine(owner.headers, "locked")).map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(await open(f3.headers)).toEqual([true, 3, true]);
    expect(await open(f4.headers)).toEqual([true, 4, true]);
    expect((await mine(owner.headers)).map((x: { id: string; fission: unknown }) => [x.id, x.fission])).toEqual([[c.id, { required: 3, opened: 4 }]]);
    const unlockEvents = await ctx.deps.db.selectFrom("outbox_events").select("id").where("type", "=", "coupon.unlocked").where("aggregate_id", "=", c.id).execute();
    expect(unlockEvents.length).toBe(1);
  });
});

describe("double-sided coupons (双向券)", () => {
  it("gives the inviter and the friend one coupon each on the friend's first paid order, once", async () => {
    const forInviter = await template({ name: "邀请人券", kind: "fixed", amount: 1000, claimable: false }, s.adminH);
    const forFriend = await template({ name: "新人券", kind: "fixed", amount: 500, claimable: false }, s.adminH);
    expect((await claim(forFriend.id, (await shopper(ctx)).headers)).json().code).toBe("coupon_not_claimable");
    await ok(ctx, { method: "POST", url: "/admin/coupon-pairs", headers: s.adminH, payload: { name: "邀新双向券", inviterTemplateId: forInviter.id, friendTemplateId: forFriend.id } });

    const inviter = await shopper(ctx);
    const friend = await shopper(ctx, await registerInvited(ctx, inviter.headers));
    const names = async (headers: Record<string, string>) => (await mine(headers)).map((x: { name: string }) => x.name);
    expect([await names(inviter.headers), await names(friend.headers)]).toEqual([[], []]);
    await friend.paidOrder([{ skuId: goods.skuId, qty: 1 }]);
    expect([await names(inviter.headers), await names(friend.headers)]).toEqual([["邀请人券"], ["新人券"]]);
    await friend.paidOrder([{ skuId: goods.skuId, qty: 1 }]);
    expect([await names(inviter.headers), await names(friend.headers)]).toEqual([["邀请人券"], ["新人券"]]);

    // Someone nobody invited gets nothing from their first order.
    const loner = await shopper(ctx);
    await loner.paidOrder([{ skuId: goods.skuId, qty: 1 }]);
    expect(await names(loner.headers)).toEqual([]);

    // Inviting oneself from a second account on the same phone earns neither side anything.
    const self = await shopper(ctx, await register(ctx, { deviceId: "one-phone-two-accounts" }));
    const { code } = await ok(ctx, { method: "GET", url: "/me/invite", headers: self.headers });
    const alt = await shopper(ctx, await register(ctx, { deviceId: "one-phone-two-accounts", inviteCode: code }));
    await alt.paidOrder([{ skuId: goods.skuId, qty: 1 }]);
    expect([await names(self.headers), await names(alt.headers)]).toEqual([[], []]);
  });
});

describe("issueCoupon", () => {
  it("issues once per key and null once the stock is gone", async () => {
    const { issueCoupon } = await import("./coupons.service.js");
    const t = await template({ name: "奖励券", kind: "fixed", amount: 100, stock: 1, claimable: false }, s.adminH);
    const p = await shopper(ctx);
    const now = ctx.clock.now();
    const first = await issueCoupon(ctx.deps.db, { templateId: t.id, userId: p.userId, key: "reward:evt_1", reason: "reward" }, now);
    const replay = await issueCoupon(ctx.deps.db, { templateId: t.id, userId: p.userId, key: "reward:evt_1", reason: "reward" }, now);
    const other = await issueCoupon(ctx.deps.db, { templateId: t.id, userId: p.userId, key: "reward:evt_2", reason: "reward" }, now);
    expect([replay, other]).toEqual([first, null]);
    expect(first!.couponId).toMatch(/^cpn_/);
  });
});

// Last: it moves the clock a week, past every staff session.
describe("validity", () => {
  it("shows validity N days after claim, and the coupon as expired past it", async () => {
    const t = await template({ name: "七天券", kind: "fixed", amount: 200, validDays: 7 });
    const p = await shopper(ctx);
    const c = (await claim(t.id, p.headers)).json();
    expect([c.state, new Date(c.validUntil).getTime() - new Date(c.validFrom).getTime()]).toEqual(["usable", 7 * DAY]);
    ctx.clock.advance(7 * DAY);
    expect((await mine(p.headers, "expired")).map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(await mine(p.headers)).toEqual([]);
  });
});
