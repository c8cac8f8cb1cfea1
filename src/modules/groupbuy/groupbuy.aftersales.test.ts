import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { systemActor } from "../../platform/auth/principal.js";
import { HOUR } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { recordRefund, restockOrderItems } from "../orders/orders.service.js";
import { refundOrder } from "../payments/refunds.service.js";
import { deadlineKey, HOLD } from "./teams.service.js";
import { available, buyerOrder, createActivity, joinTeam, openPaidTeam, operatorHeaders, pay, shopper, type Shopper, stockLeft, team } from "./groupbuy.fixtures.js";

// After-sales on a member's order: none while the team is forming (a failed team refunds its members
// itself), the usual rules once it has succeeded; and the deadline job never pays an order back twice.

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
const requestsOn = (orderId: string) => ctx.deps.db.selectFrom("aftersale_requests").select("id").where("order_id", "=", orderId).execute();
const restocked = async (orderId: string) =>
  (await ctx.deps.db.selectFrom("stock_movements").select("delta_on_hand").where("ref", "=", orderId).where("reason", "=", "return").execute()).reduce((n, m) => n + m.delta_on_hand, 0);
const seatStates = async (teamId: string) => (await ctx.deps.db.selectFrom("groupbuy_members").select("state").where("team_id", "=", teamId).orderBy("created_at").orderBy("id").execute()).map((s) => s.state);
const deadlineJob = (teamId: string) => ctx.deps.db.selectFrom("jobs").select(["status", "last_error"]).where("dedupe_key", "=", deadlineKey(teamId)).executeTakeFirstOrThrow();
const staffDoes = (id: string, action: string) => ctx.app.inject({ method: "POST", url: `/admin/aftersales/${id}/${action}`, headers: staff });

/** The buyer asks for something to be put right on the whole of their group-buy order's only line. */
async function ask(who: Shopper, orderId: string, type = "refund_only") {
  const item = (await buyerOrder(ctx, who, orderId)).items[0];
  return ctx.app.inject({ method: "POST", url: `/orders/${orderId}/aftersales`, headers: who.headers, payload: { type, items: [{ orderItemId: item.id, qty: item.qty }], reasonCode: "other", description: "不想等了" } });
}

async function passTime(ms: number) {
  ctx.clock.advance(ms);
  await ctx.deps.jobs.drain();
  await ctx.deps.events.drain();
}

describe("after-sales on a group-buy order while its team is forming (拼团中)", () => {
  it("refuses every request with 422 order_on_hold; the failed team then refunds each member once, and the closed order takes no request", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const stockBefore = await available(ctx, skuId);
    const [leader, a] = [await shopper(ctx), await shopper(ctx)];
    const { teamId, orderId: leaderOrder } = await openPaidTeam(ctx, leader, id, skuId);
    const aOrder = (await joinTeam(ctx, a, teamId, skuId)).json().orderId;
    await pay(ctx, a, aOrder);
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "paid", fulfilmentHold: HOLD });

    for (const [who, orderId] of [[leader, leaderOrder], [a, aOrder]] as const) {
      for (const type of ["refund_only", "return_refund", "exchange", "repair"]) {
        const refused = await ask(who, orderId, type);
        expect([refused.statusCode, refused.json().code, refused.json().details], `${type}: ${refused.body}`).toEqual([422, "order_on_hold", { hold: HOLD }]);
        expect(refused.json().message).toMatch(/team is still forming.*refunded automatically/);
      }
      expect(await requestsOn(orderId)).toEqual([]);
    }
    expect(await seatStates(teamId)).toEqual(["paid", "paid"]);
    expect((await team(ctx, teamId)).state).toBe("open");

    await passTime(24 * HOUR);
    expect(await deadlineJob(teamId)).toEqual({ status: "done", last_error: null });
    expect((await team(ctx, teamId)).state).toBe("failed");
    expect(await refunds(aOrder)).toEqual([{ amount: 3990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) }]);
    expect(await refunds(leaderOrder)).toEqual([{ amount: 2990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) }]);
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "closed", refundedAmount: 3990, items: [expect.objectContaining({ qty: 1, refundedQty: 1 })] });
    expect(await buyerOrder(ctx, leader, leaderOrder)).toMatchObject({ status: "closed", refundedAmount: 2990, items: [expect.objectContaining({ qty: 1, refundedQty: 1 })] });
    expect([await restocked(aOrder), await restocked(leaderOrder)]).toEqual([1, 1]);
    expect([await available(ctx, skuId), await stockLeft(ctx, id)]).toEqual([stockBefore, 100]);
    expect(await seatStates(teamId)).toEqual(["refunded", "refunded"]);

    const late = await ask(a, aOrder);
    expect([late.statusCode, late.json().code]).toEqual([422, "order_not_eligible"]);
    expect(await requestsOn(aOrder)).toEqual([]);
    expect(await refunds(aOrder)).toHaveLength(1);
  });
});

describe("after-sales on a group-buy order once its team has succeeded", () => {
  it("takes a request: a refund-only before shipment is refunded at once, and the team and its deadline are left as they were", async () => {
    const id = await createActivity(ctx, admin, skuId, { teamSize: 2 });
    const [leader, a] = [await shopper(ctx), await shopper(ctx)];
    const { teamId, orderId: leaderOrder } = await openPaidTeam(ctx, leader, id, skuId);
    const aOrder = (await joinTeam(ctx, a, teamId, skuId)).json().orderId;
    await pay(ctx, a, aOrder);
    expect((await team(ctx, teamId)).state).toBe("succeeded");
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "paid", fulfilmentHold: null });
    const stock = await available(ctx, skuId);

    const asked = await ask(a, aOrder);
    expect([asked.statusCode, asked.json().status, asked.json().refundAmount], asked.body).toEqual([201, "requested", 3990]);
    const approved = await staffDoes(asked.json().id, "approve");
    expect([approved.statusCode, approved.json().status], approved.body).toEqual([200, "refunded"]);
    await ctx.deps.events.drain();
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "closed", refundedAmount: 3990 });
    expect(await available(ctx, skuId)).toBe(stock + 1);

    await passTime(24 * HOUR);
    expect(await deadlineJob(teamId)).toEqual({ status: "cancelled", last_error: null });
    expect((await team(ctx, teamId)).state).toBe("succeeded");
    expect(await seatStates(teamId)).toEqual(["fulfilled", "fulfilled"]);
    expect(await refunds(aOrder)).toEqual([{ amount: 3990, status: "succeeded", key: asked.json().id }]);
    expect(await refunds(leaderOrder)).toEqual([]);
  });
});

/** Pays part of an order back outside the team's own flow, as after-sales does: provider, order, stock. */
async function refundedBefore(orderId: string, amount: number, units: number): Promise<string> {
  const key = `before-deadline:${orderId}`;
  await ctx.deps.db.transaction().execute(async (trx) => {
    await refundOrder(ctx.deps, trx, { orderId, amount, reason: "refunded before the team's deadline", key });
    await recordRefund(ctx.deps, trx, { orderId, amount, items: units > 0 ? [{ skuId, qty: units }] : undefined, actor: systemActor });
    if (units > 0) await restockOrderItems(trx, orderId, [{ skuId, qty: units }], "refunded before the team's deadline", ctx.clock.now());
  });
  return key;
}

describe("a failed team whose members' orders were already partly refunded", () => {
  it("refunds and restocks only the remainder, and nothing for an order already closed", async () => {
    const id = await createActivity(ctx, admin, skuId, { teamSize: 5 });
    const stockBefore = await available(ctx, skuId);
    const [leader, full, twoUnits, compensated] = [await shopper(ctx), await shopper(ctx), await shopper(ctx), await shopper(ctx)];
    const { teamId, orderId: leaderOrder } = await openPaidTeam(ctx, leader, id, skuId);
    const fullOrder = (await joinTeam(ctx, full, teamId, skuId)).json().orderId;
    await pay(ctx, full, fullOrder);
    const twoOrder = (await joinTeam(ctx, twoUnits, teamId, skuId, 2)).json().orderId;
    await pay(ctx, twoUnits, twoOrder);
    // ¥100.00 at list price ships free: 2 × ¥29.90 = ¥59.80 paid.
    expect((await buyerOrder(ctx, twoUnits, twoOrder)).payable).toBe(5980);
    const compOrder = (await joinTeam(ctx, compensated, teamId, skuId)).json().orderId;
    await pay(ctx, compensated, compOrder);
    expect(await available(ctx, skuId)).toBe(stockBefore - 5);

    const fullKey = await refundedBefore(fullOrder, 3990, 1);
    const oneKey = await refundedBefore(twoOrder, 2990, 1);
    // ¥10.00 back as a compensation: the unit stays the buyer's, so it is not restocked.
    const compKey = await refundedBefore(compOrder, 1000, 0);
    expect(await buyerOrder(ctx, full, fullOrder)).toMatchObject({ status: "closed", refundedAmount: 3990 });
    expect(await available(ctx, skuId)).toBe(stockBefore - 3);

    await passTime(24 * HOUR);
    expect(await deadlineJob(teamId)).toEqual({ status: "done", last_error: null });
    expect((await team(ctx, teamId)).state).toBe("failed");
    const byTeam = { amount: expect.any(Number), status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) };
    expect(await refunds(leaderOrder)).toEqual([{ ...byTeam, amount: 2990 }]);
    expect(await refunds(fullOrder)).toEqual([{ amount: 3990, status: "succeeded", key: fullKey }]);
    expect(await refunds(twoOrder)).toEqual([{ amount: 2990, status: "succeeded", key: oneKey }, { ...byTeam, amount: 2990 }]);
    expect(await refunds(compOrder)).toEqual([{ amount: 1000, status: "succeeded", key: compKey }, { ...byTeam, amount: 2990 }]);
    expect(await buyerOrder(ctx, full, fullOrder)).toMatchObject({ status: "closed", refundedAmount: 3990, items: [expect.objectContaining({ qty: 1, refundedQty: 1 })] });
    expect(await buyerOrder(ctx, twoUnits, twoOrder)).toMatchObject({ status: "closed", refundedAmount: 5980, items: [expect.objectContaining({ qty: 2, refundedQty: 2 })] });
    expect(await buyerOrder(ctx, compensated, compOrder)).toMatchObject({ status: "closed", refundedAmount: 3990, items: [expect.objectContaining({ qty: 1, refundedQty: 1 })] });
    expect([await restocked(leaderOrder), await restocked(fullOrder), await restocked(twoOrder), await restocked(compOrder)]).toEqual([1, 1, 2, 1]);
    expect([await available(ctx, skuId), await stockLeft(ctx, id)]).toEqual([stockBefore, 100]);
    expect(await seatStates(teamId)).toEqual(["refunded", "refunded", "refunded", "refunded"]);
  });
});
