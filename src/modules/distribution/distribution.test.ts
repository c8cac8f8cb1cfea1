import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { ok, shop, shopper } from "../promotions/testing/shop.js";
import { register } from "../referral/testing/register.js";
import { balance } from "../rewards/ledger.js";

let ctx: TestContext;
let s: Awaited<ReturnType<typeof shop>>;
let book: { productId: string; skuId: string };
let pen: { productId: string; skuId: string };

beforeAll(async () => {
  ctx = await createTestContext();
  s = await shop(ctx);
  // ¥100.00: at or above ¥99 shipping is free, so the whole payable is goods.
  book = await s.product("分销书", 10000);
  pen = await s.product("钢笔", 10000);
});
afterAll(async () => ctx?.close());

type Person = Awaited<ReturnType<typeof shopper>>;

async function promoter(): Promise<Person> {
  const p = await shopper(ctx);
  const applied = await ok(ctx, { method: "POST", url: "/distribution/apply", headers: p.headers, payload: { acceptTerms: true } });
  expect(applied.status).toBe("approved");
  return p;
}
const bind = (customer: Person, to: Person) => ok(ctx, { method: "POST", url: "/distribution/bindings", headers: customer.headers, payload: { promoterId: to.userId } });
const centre = (p: Person) => ok(ctx, { method: "GET", url: "/me/promoter", headers: p.headers });
const money = async (p: Person) => {
  const c = await centre(p);
  return { pending: c.pending, frozen: c.frozen, available: c.available, withdrawing: c.withdrawing, withdrawn: c.withdrawn };
};
const commissionsOf = async (p: Person, orderId: string) =>
  (await ok(ctx, { method: "GET", url: "/me/promoter/commissions", headers: p.headers })).items
    .filter((c: { orderId: string }) => c.orderId === orderId)
    .map((c: { level: number; amount: number; kept: number; status: string }) => [c.level, c.amount, c.kept, c.status]);

/** A → B → C promoters, each bound to the one before; D a customer of C. */
async function chain() {
  const [a, b, c] = [await promoter(), await promoter(), await promoter()];
  const d = await shopper(ctx);
  await bind(b, a);
  await bind(c, b);
  await bind(d, c);
  return { a, b, c, d };
}

describe("two-level commission", () => {
  it("pays exactly levels 1 and 2 on a 3-deep chain; the third level gets nothing", async () => {
    const { a, b, c, d } = await chain();
    const order = await d.paidOrder([{ skuId: book.skuId, qty: 1 }]);
    expect(order.payable).toBe(10000);
    expect(await commissionsOf(c, order.id)).toEqual([[1, 1000, 1000, "pending"]]);
    expect(await commissionsOf(b, order.id)).toEqual([[2, 500, 500, "pending"]]);
    expect(await commissionsOf(a, order.id)).toEqual([]);
    expect([await money(c), await money(b), await money(a)].map((m) => m.pending)).toEqual([1000, 500, 0]);
    expect((await centre(c)).customers).toBe(1);
  });

  it("uses a product's own rate over the default", async () => {
    const { b, c, d } = await chain();
    const rate = await ok(ctx, { method: "PUT", url: "/admin/distribution/rates", headers: s.adminH, payload: { scope: "product", targetId: book.productId, level: 1, rateBp: 1550 } });
    const order = await d.paidOrder([{ skuId: book.skuId, qty: 1 }]);
    await ok(ctx, { method: "DELETE", url: `/admin/distribution/rates/${rate.id}`, headers: s.adminH });
    expect([await commissionsOf(c, order.id), await commissionsOf(b, order.id)]).toEqual([[[1, 1550, 1550, "pending"]], [[2, 500, 500, "pending"]]]);
  });

  it("refuses a configuration that would pay a third level, saying it is illegal pyramid selling", async () => {
    const levels = await ctx.app.inject({ method: "PATCH", url: "/admin/distribution/settings", headers: s.adminH, payload: { levels: 3 } });
    expect([levels.statusCode, levels.json().code]).toEqual([422, "pyramid_selling_forbidden"]);
    expect(levels.json().message).toContain("illegal pyramid selling");
    const rate = await ctx.app.inject({ method: "PUT", url: "/admin/distribution/rates", headers: s.adminH, payload: { scope: "category", targetId: s.categoryId, level: 3, rateBp: 100 } });
    expect([rate.statusCode, rate.json().code]).toEqual([422, "pyramid_selling_forbidden"]);
    expect((await ok(ctx, { method: "GET", url: "/admin/distribution/settings", headers: s.adminH })).levels).toBe(2);
    expect((await ok(ctx, { method: "GET", url: "/admin/distribution/rates", headers: s.adminH })).items).toEqual([]);
  });
});

describe("refunds", () => {
  it("reverses exactly the refunded share on a partial refund, and cancels on the full refund", async () => {
    const { b, c, d } = await chain();
    const placed = (await d.place([{ skuId: book.skuId, qty: 1 }, { skuId: pen.skuId, qty: 1 }])).json().orders[0];
    await d.pay([placed.id]);
    expect([await commissionsOf(c, placed.id), await commissionsOf(b, placed.id)]).toEqual([[[1, 2000, 2000, "pending"]], [[2, 1000, 1000, "pending"]]]);

    const refund = async (item: string, refundAmount: number) => {
      const asked = await ok(ctx, { method: "POST", url: `/orders/${placed.id}/aftersales`, headers: d.headers, payload: { type: "refund_only", items: [{ orderItemId: item, qty: 1 }], reasonCode: "other", refundAmount } });
      await ok(ctx, { method: "POST", url: `/admin/aftersales/${asked.id}/approve`, headers: s.merchantH, payload: {} });
      await ctx.deps.events.drain();
    };
    // ¥70.01 of ¥200.00 back: level 1 keeps floor(2000 × 12999 / 20000) = 1299, level 2 floor(1000 × 12999 / 20000) = 649.
    await refund(placed.items[0].id, 7001);
    expect([await commissionsOf(c, placed.id), await commissionsOf(b, placed.id)]).toEqual([[[1, 2000, 1299, "pending"]], [[2, 1000, 649, "pending"]]]);
    expect([(await money(c)).pending, (await money(b)).pending]).toEqual([1299, 649]);

    await refund(placed.items[1].id, 12999);
    expect((await ok(ctx, { method: "GET", url: `/orders/${placed.id}`, headers: d.headers })).status).toBe("closed");
    expect([await commissionsOf(c, placed.id), await commissionsOf(b, placed.id)]).toEqual([[[1, 2000, 0, "cancelled"]], [[2, 1000, 0, "cancelled"]]]);
    expect([(await money(c)).pending, (await money(b)).pending]).toEqual([0, 0]);
  });
});

describe("promoters and bindings", () => {
  it("reviews applications when auto-approve is off; approval makes the user a promoter", async () => {
    await ok(ctx, { method: "PATCH", url: "/admin/distribution/settings", headers: s.adminH, payload: { autoApprove: false } });
    const p = await shopper(ctx);
    expect((await ok(ctx, { method: "POST", url: "/distribution/apply", headers: p.headers, payload: { acceptTerms: true } })).status).toBe("pending");
    expect((await ctx.app.inject({ method: "GET", url: "/me/promoter/customers", headers: p.headers })).statusCode).toBe(403);
    const customer = await shopper(ctx);
    expect((await bind(customer, p)).bound).toBe(false);
    const users = await signInStaff(ctx, "operator", { permissions: ["users"] });
    const approved = await ok(ctx, { method: "POST", url: `/admin/promoters/${p.userId}/approve`, headers: bearer(users.token), payload: {} });
    expect(approved.status).toBe("approved");
    expect((await ctx.app.inject({ method: "GET", url: "/me/promoter/customers", headers: p.headers })).statusCode).toBe(200);
    const again = await ctx.app.inject({ method: "POST", url: `/admin/promoters/${p.userId}/approve`, headers: bearer(users.token), payload: {} });
    expect(again.statusCode).toBe(409);
    await ok(ctx, { method: "PATCH", url: "/admin/distribution/settings", headers: s.adminH, payload: { autoApprove: true } });
  });

  it("keeps the first promoter under the `first` rule, switches under `last`, and never binds a promoter to themselves", async () => {
    const [p1, p2] = [await promoter(), await promoter()];
    const x = await shopper(ctx);
    expect((await bind(x, p1)).promoterId).toBe(p1.userId);
    expect(await bind(x, p2)).toMatchObject({ bound: false, promoterId: p1.userId });
    await ok(ctx, { method: "PATCH", url: "/admin/distribution/settings", headers: s.adminH, payload: { bindingRule: "last" } });
    expect(await bind(x, p2)).toMatchObject({ bound: true, promoterId: p2.userId });
    await ok(ctx, { method: "PATCH", url: "/admin/distribution/settings", headers: s.adminH, payload: { bindingRule: "first" } });
    const self = await ctx.app.inject({ method: "POST", url: "/distribution/bindings", headers: p1.headers, payload: { promoterId: p1.userId } });
    expect([self.statusCode, self.json().code]).toEqual([422, "self_binding"]);
    // p2 is p1's promoter, so p1 cannot become p2's (a cycle would pay p1 on p1's own orders).
    await bind(p1, p2);
    expect((await bind(p2, p1)).bound).toBe(false);
  });
});

describe("anti-abuse", () => {
  /** A promoter or shopper who signed up on a given device. */
  const onDevice = async (deviceId: string) => shopper(ctx, await register(ctx, { deviceId }));
  const reviews = async (h: Record<string, string>) => (await ok(ctx, { method: "GET", url: "/admin/risk/reviews?subjectType=commission&status=pending", headers: h })).items;
  const decide = (h: Record<string, string>, id: string, action: "approve" | "reject", payload: object = {}) => ok(ctx, { method: "POST", url: `/admin/risk/reviews/${id}/${action}`, headers: h, payload });

  it("pays nothing when the buyer is the promoter under another account (same device)", async () => {
    const p = await onDevice("twin-device-01");
    await ok(ctx, { method: "POST", url: "/distribution/apply", headers: p.headers, payload: { acceptTerms: true } });
    const twin = await onDevice("twin-device-01");
    expect((await bind(twin, p)).bound).toBe(true);
    const order = await twin.paidOrder([{ skuId: book.skuId, qty: 1 }]);
    expect(await commissionsOf(p, order.id)).toEqual([]);
    expect((await money(p)).pending).toBe(0);
  });

  it("holds a risky commission for review: nothing owed until approved, then it lands where the order is; rejected, never paid", async () => {
    const users = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
    const p = await promoter();
    // Four sign-ups from one phone in an hour: the fourth is flagged as a burst, on a device shared by four accounts.
    for (let i = 0; i < 3; i++) await register(ctx, { deviceId: "farm-device-09" });
    const farmed = await onDevice("farm-device-09");
    await bind(farmed, p);

    const order = await farmed.paidOrder([{ skuId: book.skuId, qty: 1 }]);
    expect(await commissionsOf(p, order.id)).toEqual([[1, 1000, 1000, "flagged"]]);
    const [queued] = await reviews(users);
    expect(queued).toMatchObject({ subjectType: "commission", score: 80, reasons: ["registration_burst", "shared_device"], status: "pending" });
    await ok(ctx, { method: "POST", url: `/admin/orders/${order.id}/shipments`, headers: s.merchantH, payload: { carrier: "SF", trackingNo: `SF${order.id.slice(-12)}` } });
    await ok(ctx, { method: "POST", url: `/orders/${order.id}/confirm-receipt`, headers: farmed.headers });
    await ctx.deps.events.drain();
    expect(await commissionsOf(p, order.id)).toEqual([[1, 1000, 1000, "flagged"]]);
    expect(await money(p)).toEqual({ pending: 0, frozen: 0, available: 0, withdrawing: 0, withdrawn: 0 });

    await decide(users, queued.id, "approve");
    await ctx.deps.events.drain();
    expect(await commissionsOf(p, order.id)).toEqual([[1, 1000, 1000, "frozen"]]);
    expect(await money(p)).toEqual({ pending: 0, frozen: 1000, available: 0, withdrawing: 0, withdrawn: 0 });

    const second = await farmed.paidOrder([{ skuId: pen.skuId, qty: 1 }]);
    const [again] = await reviews(users);
    expect(again.subjectId).not.toBe(queued.subjectId);
    await decide(users, again.id, "reject", { note: "设备农场" });
    await ctx.deps.events.drain();
    expect(await commissionsOf(p, second.id)).toEqual([[1, 1000, 0, "rejected"]]);
    expect(await money(p)).toEqual({ pending: 0, frozen: 1000, available: 0, withdrawing: 0, withdrawn: 0 });
    const moves = await ctx.deps.db.selectFrom("commission_events").select(["event", "from_status", "to_status"]).where("commission_id", "=", queued.subjectId).orderBy("id").execute();
    expect(moves.map((m) => [m.event, m.from_status, m.to_status])).toEqual([
      ["flag", "flagged", "flagged"],
      ["approve", "flagged", "pending"],
      ["freeze", "pending", "frozen"],
    ]);
  });
});

// Last: it moves the clock past the after-sales window (and every staff session).
describe("commission lifecycle and withdrawals", () => {
  it("goes pending → frozen on completion → available after the after-sales window, then withdraws with a fee", async () => {
    const p = await promoter();
    const q = await shopper(ctx);
    await bind(q, p);
    await ok(ctx, { method: "PATCH", url: "/admin/distribution/settings", headers: s.adminH, payload: { minWithdrawal: 500, withdrawalFeeBp: 100 } });
    // The promoter sees the rules before asking.
    expect((await centre(p)).withdrawal).toEqual({ minimum: 500, feeBp: 100 });
    const order = await q.paidOrder([{ skuId: book.skuId, qty: 1 }]);
    expect(await money(p)).toEqual({ pending: 1000, frozen: 0, available: 0, withdrawing: 0, withdrawn: 0 });

    await ok(ctx, { method: "POST", url: `/admin/orders/${order.id}/shipments`, headers: s.merchantH, payload: { carrier: "SF", trackingNo: `SF${order.id.slice(-12)}` } });
    await ok(ctx, { method: "POST", url: `/orders/${order.id}/confirm-receipt`, headers: q.headers });
    await ctx.deps.events.drain();
    expect(await money(p)).toEqual({ pending: 0, frozen: 1000, available: 0, withdrawing: 0, withdrawn: 0 });
    expect((await ctx.app.inject({ method: "POST", url: "/me/promoter/withdrawals", headers: p.headers, payload: { amount: 800 } })).json().code).toBe("insufficient_balance");

    ctx.clock.advance(7 * DAY - MINUTE);
    await ctx.deps.jobs.drain();
    await ctx.deps.events.drain();
    expect((await money(p)).frozen).toBe(1000);
    ctx.clock.advance(2 * MINUTE);
    await ctx.deps.jobs.drain();
    await ctx.deps.events.drain();
    expect(await money(p)).toEqual({ pending: 0, frozen: 0, available: 1000, withdrawing: 0, withdrawn: 0 });
    expect(await commissionsOf(p, order.id)).toEqual([[1, 1000, 1000, "available"]]);

    const below = await ctx.app.inject({ method: "POST", url: "/me/promoter/withdrawals", headers: p.headers, payload: { amount: 300 } });
    expect([below.statusCode, below.json().code]).toEqual([422, "withdrawal_below_minimum"]);
    const asked = await ctx.app.inject({ method: "POST", url: "/me/promoter/withdrawals", headers: p.headers, payload: { amount: 500 } });
    expect(asked.statusCode).toBe(201);
    const w = asked.json();
    expect([w.amount, w.fee, w.net, w.status]).toEqual([500, 5, 495, "requested"]);
    const tooMuch = await ctx.app.inject({ method: "POST", url: "/me/promoter/withdrawals", headers: p.headers, payload: { amount: 600 } });
    expect([tooMuch.statusCode, tooMuch.json().code]).toEqual([409, "insufficient_balance"]);
    expect(await money(p)).toEqual({ pending: 0, frozen: 0, available: 500, withdrawing: 500, withdrawn: 0 });

    const support = bearer((await signInStaff(ctx, "operator", { permissions: ["orders", "aftersales", "users"] })).token);
    expect((await ctx.app.inject({ method: "POST", url: `/admin/withdrawals/${w.id}/approve`, headers: support })).statusCode).toBe(403);
    const finance = bearer((await signInStaff(ctx, "operator", { permissions: ["finance"] })).token);
    const queue = await ok(ctx, { method: "GET", url: "/admin/withdrawals?status=requested", headers: finance });
    expect(queue.items.filter((i: { id: string }) => i.id === w.id).map((i: { promoterId: string; promoterName: string; amount: number }) => [i.promoterId, i.promoterName, i.amount])).toEqual([
      [p.userId, `用户${p.phone.slice(-4)}`, 500],
    ]);
    const paid = await ok(ctx, { method: "POST", url: `/admin/withdrawals/${w.id}/approve`, headers: finance });
    expect([paid.status, paid.providerRef]).toEqual(["paid", `balance:${w.id}`]);
    expect(await money(p)).toEqual({ pending: 0, frozen: 0, available: 500, withdrawing: 0, withdrawn: 500 });
    expect(await balance(ctx.deps.db, `user:${p.userId}:available`, "cash")).toBe(495);
    expect((await ctx.app.inject({ method: "POST", url: `/admin/withdrawals/${w.id}/approve`, headers: finance })).json().code).toBe("illegal_transition");

    const second = await ok(ctx, { method: "POST", url: "/me/promoter/withdrawals", headers: p.headers, payload: { amount: 500 } });
    expect((await money(p)).withdrawing).toBe(500);
    await ok(ctx, { method: "POST", url: `/admin/withdrawals/${second.id}/reject`, headers: finance, payload: { reason: "账户信息不全" } });
    expect(await money(p)).toEqual({ pending: 0, frozen: 0, available: 500, withdrawing: 0, withdrawn: 500 });
    const log = await ctx.deps.db.selectFrom("audit_log").select("action").where("entity", "=", "withdrawal").orderBy("id").execute();
    expect(log.map((l) => l.action)).toEqual(["withdrawal.approve", "withdrawal.reject"]);
  });
});
