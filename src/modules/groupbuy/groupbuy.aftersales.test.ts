import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HOUR } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { deadlineKey } from "./teams.service.js";
import { available, buyerOrder, createActivity, joinTeam, openPaidTeam, operatorHeaders, pay, shopper, type Shopper, stockLeft, team } from "./groupbuy.fixtures.js";

// A member refunded through after-sales while the team is still open, and the team's deadline.

let ctx: TestContext;
let admin: Record<string, string>;
let staff: Record<string, string>;
let skuId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  skuId = await storeSelling(ctx, 5000);
});
afterAll(async () => ctx?.close());
// Staff sessions are short; each test moves the clock by a day.
beforeEach(async () => {
  admin = await operatorHeaders(ctx);
  staff = bearer((await signInStaff(ctx, "operator", { permissions: ["aftersales"] })).token);
});

const refunds = (orderId: string) => ctx.deps.db.selectFrom("refunds").select(["amount", "status", "key"]).where("order_id", "=", orderId).orderBy("created_at").orderBy("id").execute();
const restocked = async (orderId: string) =>
  (await ctx.deps.db.selectFrom("stock_movements").select("delta_on_hand").where("ref", "=", orderId).where("reason", "=", "return").execute()).reduce((n, m) => n + m.delta_on_hand, 0);
const deadlineJob = (teamId: string) => ctx.deps.db.selectFrom("jobs").select(["status", "last_error"]).where("dedupe_key", "=", deadlineKey(teamId)).executeTakeFirstOrThrow();
const ask = (who: Shopper, orderId: string, payload: Record<string, unknown>) => ctx.app.inject({ method: "POST", url: `/orders/${orderId}/aftersales`, headers: who.headers, payload });
const staffDoes = (id: string, action: string) => ctx.app.inject({ method: "POST", url: `/admin/aftersales/${id}/${action}`, headers: staff });

/** The buyer asks for a refund-only on their unshipped group-buy order and an operator approves it: refunded at once. */
async function refundedByAftersales(who: Shopper, orderId: string, qty: number, refundAmount?: number): Promise<{ id: string; refundAmount: number }> {
  const itemId = (await buyerOrder(ctx, who, orderId)).items[0].id;
  const asked = await ask(who, orderId, { type: "refund_only", items: [{ orderItemId: itemId, qty }], reasonCode: "other", description: "不想等了", ...(refundAmount ? { refundAmount } : {}) });
  expect(asked.statusCode, asked.body).toBe(201);
  const approved = await staffDoes(asked.json().id, "approve");
  expect([approved.statusCode, approved.json().status], approved.body).toEqual([200, "refunded"]);
  await ctx.deps.events.drain();
  return asked.json();
}

async function passTime(ms: number) {
  ctx.clock.advance(ms);
  await ctx.deps.jobs.drain();
  await ctx.deps.events.drain();
}

describe("a team that fails after a member was refunded through after-sales", () => {
  it("does not refund or restock that member again, and the deadline job completes", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const stockBefore = await available(ctx, skuId);
    const [leader, a] = [await shopper(ctx), await shopper(ctx)];
    const { teamId, orderId: leaderOrder } = await openPaidTeam(ctx, leader, id, skuId);
    const aOrder = (await joinTeam(ctx, a, teamId, skuId)).json().orderId;
    await pay(ctx, a, aOrder);
    expect(await available(ctx, skuId)).toBe(stockBefore - 2);

    const request = await refundedByAftersales(a, aOrder, 1);
    expect(request.refundAmount).toBe(3990);
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "closed", refundedAmount: 3990 });
    expect(await available(ctx, skuId)).toBe(stockBefore - 1);

    await passTime(24 * HOUR);
    expect(await deadlineJob(teamId)).toEqual({ status: "done", last_error: null });
    expect((await team(ctx, teamId)).state).toBe("failed");
    expect(await refunds(aOrder)).toEqual([{ amount: 3990, status: "succeeded", key: request.id }]);
    expect(await refunds(leaderOrder)).toEqual([{ amount: 2990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) }]);
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "closed", refundedAmount: 3990, items: [expect.objectContaining({ qty: 1, refundedQty: 1 })] });
    expect(await buyerOrder(ctx, leader, leaderOrder)).toMatchObject({ status: "closed", refundedAmount: 2990, items: [expect.objectContaining({ qty: 1, refundedQty: 1 })] });
    expect([await restocked(aOrder), await restocked(leaderOrder)]).toEqual([1, 1]);
    expect([await available(ctx, skuId), await stockLeft(ctx, id)]).toEqual([stockBefore, 100]);
    const seats = await ctx.deps.db.selectFrom("groupbuy_members").select("state").where("team_id", "=", teamId).execute();
    expect(seats.map((s) => s.state)).toEqual(["refunded", "refunded"]);
  });

  it("refunds and restocks only the remainder of a partly refunded order", async () => {
    const id = await createActivity(ctx, admin, skuId, { teamSize: 4 });
    const stockBefore = await available(ctx, skuId);
    const [leader, twoUnits, compensated] = [await shopper(ctx), await shopper(ctx), await shopper(ctx)];
    const { teamId } = await openPaidTeam(ctx, leader, id, skuId);
    const twoOrder = (await joinTeam(ctx, twoUnits, teamId, skuId, 2)).json().orderId;
    await pay(ctx, twoUnits, twoOrder);
    // ¥100.00 at list price ships free: 2 × ¥29.90 = ¥59.80 paid.
    expect((await buyerOrder(ctx, twoUnits, twoOrder)).payable).toBe(5980);
    const compOrder = (await joinTeam(ctx, compensated, teamId, skuId)).json().orderId;
    await pay(ctx, compensated, compOrder);
    expect(await available(ctx, skuId)).toBe(stockBefore - 4);

    const one = await refundedByAftersales(twoUnits, twoOrder, 1);
    expect(one.refundAmount).toBe(2990);
    // ¥10.00 back as a compensation: the unit stays the buyer's, so it is not restocked.
    const comp = await refundedByAftersales(compensated, compOrder, 1, 1000);
    expect(comp.refundAmount).toBe(1000);
    expect([await restocked(twoOrder), await restocked(compOrder), await available(ctx, skuId)]).toEqual([1, 0, stockBefore - 3]);

    await passTime(24 * HOUR);
    expect(await deadlineJob(teamId)).toEqual({ status: "done", last_error: null });
    expect((await team(ctx, teamId)).state).toBe("failed");
    expect(await refunds(twoOrder)).toEqual([
      { amount: 2990, status: "succeeded", key: one.id },
      { amount: 2990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) },
    ]);
    expect(await refunds(compOrder)).toEqual([
      { amount: 1000, status: "succeeded", key: comp.id },
      { amount: 2990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) },
    ]);
    expect(await buyerOrder(ctx, twoUnits, twoOrder)).toMatchObject({ status: "closed", refundedAmount: 5980, items: [expect.objectContaining({ qty: 2, refundedQty: 2 })] });
    expect(await buyerOrder(ctx, compensated, compOrder)).toMatchObject({ status: "closed", refundedAmount: 3990, items: [expect.objectContaining({ qty: 1, refundedQty: 1 })] });
    expect([await restocked(twoOrder), await restocked(compOrder)]).toEqual([2, 1]);
    expect([await available(ctx, skuId), await stockLeft(ctx, id)]).toEqual([stockBefore, 100]);
  });
});

describe("an after-sales request on a member's order after the team failed", () => {
  it("pays nothing more: a new request is refused, and one asked before the deadline refunds nothing", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const stockBefore = await available(ctx, skuId);
    const [leader, a] = [await shopper(ctx), await shopper(ctx)];
    const { teamId } = await openPaidTeam(ctx, leader, id, skuId);
    const aOrder = (await joinTeam(ctx, a, teamId, skuId)).json().orderId;
    await pay(ctx, a, aOrder);
    const itemId = (await buyerOrder(ctx, a, aOrder)).items[0].id;
    const early = await ask(a, aOrder, { type: "refund_only", items: [{ orderItemId: itemId, qty: 1 }], reasonCode: "other" });
    expect([early.statusCode, early.json().status, early.json().refundAmount]).toEqual([201, "requested", 3990]);

    await passTime(24 * HOUR);
    expect(await deadlineJob(teamId)).toEqual({ status: "done", last_error: null });
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "closed", refundedAmount: 3990 });
    staff = bearer((await signInStaff(ctx, "operator", { permissions: ["aftersales"] })).token);

    const late = await ask(a, aOrder, { type: "refund_only", items: [{ orderItemId: itemId, qty: 1 }], reasonCode: "other" });
    expect([late.statusCode, late.json().code]).toEqual([422, "order_not_eligible"]);
    const approved = await staffDoes(early.json().id, "approve");
    expect([approved.statusCode, approved.json().status, approved.json().refundId]).toEqual([200, "approved", null]);
    const paid = await staffDoes(early.json().id, "refund");
    expect([paid.statusCode, paid.json().code]).toEqual([422, "refund_exceeds_paid"]);
    expect(await refunds(aOrder)).toEqual([{ amount: 3990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) }]);
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "closed", refundedAmount: 3990 });
    expect([await restocked(aOrder), await available(ctx, skuId), await stockLeft(ctx, id)]).toEqual([1, stockBefore, 100]);
  });
});
