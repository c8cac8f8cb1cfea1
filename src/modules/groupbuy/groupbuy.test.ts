import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "../../platform/clock.js";
import { createTestContext, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { PLATFORM_FILL_NOTICE } from "./activities.service.js";
import { HOLD } from "./teams.service.js";
import { activityBody, available, buyerOrder, createActivity, joinTeam, openPaidTeam, openTeam, operatorHeaders, pay, shopper, type Shopper, stockLeft, team } from "./groupbuy.fixtures.js";

let ctx: TestContext;
let admin: Record<string, string>;
let skuId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  skuId = await storeSelling(ctx, 5000);
});
afterAll(async () => ctx?.close());
// Staff sessions are short; tests move the clock by days.
beforeEach(async () => {
  admin = await operatorHeaders(ctx);
});

const ship = (orderId: string) => ctx.app.inject({ method: "POST", url: `/admin/orders/${orderId}/shipments`, headers: admin, payload: { carrier: "SF", trackingNo: `SF${orderId.slice(-10)}` } });
const events = async (type: string, id: string) => (await ctx.deps.db.selectFrom("outbox_events").select("payload").where("type", "=", type).where("aggregate_id", "=", id).execute()).map((e) => e.payload);
async function passTime(ms: number) {
  ctx.clock.advance(ms);
  await ctx.deps.jobs.drain();
  await ctx.deps.events.drain();
}

describe("group-buy activities", () => {
  it("are created by operators within the SKU's price and available stock, audited", async () => {
    const post = (overrides: Record<string, unknown>) => ctx.app.inject({ method: "POST", url: "/admin/groupbuy/activities", headers: admin, payload: activityBody(ctx, skuId, overrides) });
    const tooMany = await post({ skus: [{ skuId, groupPrice: 2990, leaderPrice: 1990, stock: 1001 }] });
    expect([tooMany.statusCode, tooMany.json().details]).toEqual([400, [{ field: "skus.0.stock", message: "only 1000 units of this SKU are available" }]]);
    const leaderAbove = await post({ skus: [{ skuId, groupPrice: 2990, leaderPrice: 3000, stock: 10 }] });
    expect(leaderAbove.json().details).toEqual([{ field: "skus.0.leaderPrice", message: "must not exceed the group price" }]);
    const aboveList = await post({ skus: [{ skuId, groupPrice: 5001, leaderPrice: 1990, stock: 10 }] });
    expect(aboveList.json().details).toEqual([{ field: "skus.0.groupPrice", message: "must not exceed the SKU's price of 5000 fen" }]);
    expect((await post({ teamSize: 11 })).json().details[0].field).toBe("teamSize");

    const created = await post({});
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ phase: "active", teamSize: 3, fillMinutes: 1440, paymentMinutes: 15, perUserLimit: 2, platformFill: { enabled: false, notice: null } });
    expect(created.json().skus).toEqual([{ skuId, productId: expect.stringMatching(/^prd_/), title: "测试商品", specs: {}, image: null, listPrice: 5000, groupPrice: 2990, leaderPrice: 1990, stock: 100, stockLeft: 100 }]);
    const audited = await ctx.deps.db.selectFrom("audit_log").select(["action", "entity"]).where("entity_id", "=", created.json().id).execute();
    expect(audited).toEqual([{ action: "groupbuy.activity.create", entity: "groupbuy_activity" }]);
  });

  it("say so on the activity and team pages when the platform fills the last seat", async () => {
    const id = await createActivity(ctx, admin, skuId, { platformFillsLastSeat: true, title: "平台补位团" });
    const detail = (await ctx.app.inject({ method: "GET", url: `/groupbuy/activities/${id}` })).json();
    expect(detail.platformFill).toEqual({ enabled: true, notice: PLATFORM_FILL_NOTICE });
    expect(PLATFORM_FILL_NOTICE).toContain("平台补位");
    const listed = (await ctx.app.inject({ method: "GET", url: "/groupbuy/activities" })).json().items.find((a: { id: string }) => a.id === id);
    expect(listed.platformFill).toEqual({ enabled: true, notice: PLATFORM_FILL_NOTICE });
    const leader = await shopper(ctx, "王小明");
    const { teamId } = await openPaidTeam(ctx, leader, id, skuId);
    expect((await team(ctx, teamId)).platformFill).toEqual({ enabled: true, notice: PLATFORM_FILL_NOTICE, filled: false });
  });

  it("stop taking new teams when ended early, and list only active ones", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const ended = await ctx.app.inject({ method: "POST", url: `/admin/groupbuy/activities/${id}/end`, headers: admin });
    expect(ended.json().phase).toBe("ended");
    const listed = (await ctx.app.inject({ method: "GET", url: "/groupbuy/activities" })).json().items.map((a: { id: string }) => a.id);
    expect(listed).not.toContain(id);
    const who = await shopper(ctx);
    const refused = await openTeam(ctx, who, id, skuId);
    expect([refused.statusCode, refused.json().code]).toEqual([409, "activity_not_active"]);
  });

  it("are listed for operators with how many of their teams are in each state", async () => {
    const id = await createActivity(ctx, admin, skuId, { title: "计数团" });
    await openPaidTeam(ctx, await shopper(ctx), id, skuId);
    await openPaidTeam(ctx, await shopper(ctx), id, skuId);
    expect((await openTeam(ctx, await shopper(ctx), id, skuId)).statusCode).toBe(201);
    const listed = (await ctx.app.inject({ method: "GET", url: "/admin/groupbuy/activities?limit=1", headers: admin })).json();
    expect(listed.items.map((a: { id: string; title: string; teams: unknown }) => [a.id, a.title, a.teams])).toEqual([[id, "计数团", { pending: 1, open: 2, succeeded: 0, failed: 0, abandoned: 0 }]]);
  });
});

describe("a team", () => {
  it("prices the leader at the leader price and members at the group price", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const leader = await shopper(ctx, "张三");
    const opened = await openTeam(ctx, leader, id, skuId);
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toEqual({ teamId: expect.stringMatching(/^gbt_/), orderId: expect.stringMatching(/^ord_/), payable: 2990 });
    const leaderOrder = await buyerOrder(ctx, leader, opened.json().orderId);
    expect(leaderOrder).toMatchObject({ status: "pending_payment", payable: 2990, campaign: { type: "groupbuy", ref: expect.stringMatching(/^gbm_/) }, fulfilmentHold: HOLD });
    expect(leaderOrder.adjustments).toEqual([
      { type: "shipping", label: "运费", amount: 1000 },
      { type: "groupbuy_leader_price", label: "团长价", amount: -3010 },
    ]);

    const friend = await shopper(ctx, "李四");
    const early = await joinTeam(ctx, friend, opened.json().teamId, skuId);
    expect([early.statusCode, early.json().code]).toEqual([409, "team_not_open"]);
    await pay(ctx, leader, opened.json().orderId);
    const joined = await joinTeam(ctx, friend, opened.json().teamId, skuId);
    expect(joined.statusCode).toBe(201);
    expect(joined.json().payable).toBe(3990);
    expect((await buyerOrder(ctx, friend, joined.json().orderId)).adjustments).toEqual([
      { type: "shipping", label: "运费", amount: 1000 },
      { type: "groupbuy_price", label: "拼团价", amount: -2010 },
    ]);
    const again = await joinTeam(ctx, leader, opened.json().teamId, skuId);
    expect([again.statusCode, again.json().code]).toEqual([409, "already_in_team"]);
  });

  it("succeeds the moment N members have paid, releasing every member's order for shipping", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const [leader, a, b] = [await shopper(ctx, "张三"), await shopper(ctx, "李四"), await shopper(ctx, "Wang")];
    const { teamId, orderId: leaderOrder } = await openPaidTeam(ctx, leader, id, skuId);
    const aOrder = (await joinTeam(ctx, a, teamId, skuId)).json().orderId;
    await pay(ctx, a, aOrder);
    const bOrder = (await joinTeam(ctx, b, teamId, skuId)).json().orderId;

    const before = await team(ctx, teamId);
    expect(before).toMatchObject({ state: "open", size: 3, seatsTaken: 3, seatsLeft: 0, paidCount: 2, msLeft: 24 * HOUR, serverTime: ctx.clock.now().toISOString() });
    expect(before.members).toEqual([
      { kind: "leader", label: "团长 (leader)", displayName: "张**", avatar: null, paid: true, joinedAt: expect.any(String) },
      { kind: "member", label: "团员 (member)", displayName: "李**", avatar: null, paid: true, joinedAt: expect.any(String) },
      { kind: "member", label: "团员 (member)", displayName: "W**", avatar: null, paid: false, joinedAt: expect.any(String) },
    ]);
    const held = await ship(aOrder);
    expect([held.statusCode, held.json().code]).toEqual([409, "order_on_hold"]);

    await pay(ctx, b, bOrder);
    const after = await team(ctx, teamId);
    expect(after).toMatchObject({ state: "succeeded", seatsLeft: 0, paidCount: 3, msLeft: 0 });
    expect(after.members.map((m: { paid: boolean }) => m.paid)).toEqual([true, true, true]);
    for (const [who, o] of [[leader, leaderOrder], [a, aOrder], [b, bOrder]] as const) expect(await buyerOrder(ctx, who, o)).toMatchObject({ status: "paid", fulfilmentHold: null });
    expect((await ship(aOrder)).statusCode).toBe(201);
    expect(await events("groupbuy.team_succeeded", teamId)).toEqual([
      {
        teamId,
        activityId: id,
        platformFilled: false,
        members: [
          { memberId: expect.stringMatching(/^gbm_/), kind: "leader", userId: leader.userId, orderId: leaderOrder },
          { memberId: expect.stringMatching(/^gbm_/), kind: "member", userId: a.userId, orderId: aOrder },
          { memberId: expect.stringMatching(/^gbm_/), kind: "member", userId: b.userId, orderId: bOrder },
        ],
      },
    ]);
    await passTime(25 * HOUR);
    expect((await team(ctx, teamId)).state).toBe("succeeded");
    expect(await ctx.deps.db.selectFrom("refunds").select("id").where("order_id", "in", [leaderOrder, aOrder, bOrder]).execute()).toEqual([]);
  });

  it("refunds every paid member through the provider when the deadline passes unfilled, cancels the unpaid and returns the stock", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const stockBefore = await available(ctx, skuId);
    const [leader, a, b] = [await shopper(ctx), await shopper(ctx), await shopper(ctx)];
    const { teamId, orderId: leaderOrder } = await openPaidTeam(ctx, leader, id, skuId);
    const aOrder = (await joinTeam(ctx, a, teamId, skuId)).json().orderId;
    await pay(ctx, a, aOrder);
    ctx.clock.advance(24 * HOUR - 10 * MINUTE);
    // B joins 10 minutes before the deadline: B's 15 minutes to pay outlast the team.
    const bOrder = (await joinTeam(ctx, b, teamId, skuId)).json().orderId;
    expect([await available(ctx, skuId), await stockLeft(ctx, id)]).toEqual([stockBefore! - 3, 97]);

    await passTime(10 * MINUTE);
    expect((await team(ctx, teamId)).state).toBe("failed");
    const refunds = await ctx.deps.db.selectFrom("refunds").select(["order_id", "amount", "status", "key"]).where("order_id", "in", [leaderOrder, aOrder, bOrder]).orderBy("order_id").execute();
    expect(refunds).toEqual(
      [
        { order_id: leaderOrder, amount: 2990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) },
        { order_id: aOrder, amount: 3990, status: "succeeded", key: expect.stringMatching(/^groupbuy:gbm_/) },
      ].sort((x, y) => (x.order_id < y.order_id ? -1 : 1)),
    );
    expect(await buyerOrder(ctx, leader, leaderOrder)).toMatchObject({ status: "closed", refundedAmount: 2990 });
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "closed", refundedAmount: 3990 });
    expect(await buyerOrder(ctx, b, bOrder)).toMatchObject({ status: "cancelled" });
    expect([await available(ctx, skuId), await stockLeft(ctx, id)]).toEqual([stockBefore, 100]);
    const [failed] = await events("groupbuy.team_failed", teamId);
    expect(failed).toMatchObject({ teamId, activityId: id, cancelledOrderIds: [bOrder] });
    expect((failed as { refunds: { orderId: string; amount: number }[] }).refunds.map((r) => [r.orderId, r.amount])).toEqual([
      [leaderOrder, 2990],
      [aOrder, 3990],
    ]);
    const mine = (await ctx.app.inject({ method: "GET", url: "/me/groupbuy/teams", headers: b.headers })).json().items;
    expect(mine.map((s: { state: string; orderId: string; team: { state: string } }) => [s.state, s.orderId, s.team.state])).toEqual([["voided", bOrder, "failed"]]);
  });

  it("frees the seat of a joiner whose order times out, and someone else takes it", async () => {
    const id = await createActivity(ctx, admin, skuId, { teamSize: 2 });
    const [leader, late, next] = [await shopper(ctx), await shopper(ctx), await shopper(ctx)];
    const { teamId } = await openPaidTeam(ctx, leader, id, skuId);
    const lateOrder = (await joinTeam(ctx, late, teamId, skuId)).json().orderId;
    const full = await joinTeam(ctx, next, teamId, skuId);
    expect([full.statusCode, full.json()]).toEqual([409, { code: "team_full", message: "this team is already full; open a team of your own", details: { teamId, activityId: id } }]);

    await passTime(16 * MINUTE);
    expect(await buyerOrder(ctx, late, lateOrder)).toMatchObject({ status: "cancelled" });
    expect(await team(ctx, teamId)).toMatchObject({ state: "open", seatsTaken: 1, seatsLeft: 1 });
    const taken = await joinTeam(ctx, next, teamId, skuId);
    expect(taken.statusCode).toBe(201);
    await pay(ctx, next, taken.json().orderId);
    expect(await team(ctx, teamId)).toMatchObject({ state: "succeeded", paidCount: 2 });
    expect(await stockLeft(ctx, id)).toBe(98);
  });

  it("is abandoned when its leader never pays", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const leader = await shopper(ctx);
    const opened = (await openTeam(ctx, leader, id, skuId)).json();
    await passTime(15 * MINUTE);
    expect(await team(ctx, opened.teamId)).toMatchObject({ state: "abandoned", seatsTaken: 0 });
    expect(await buyerOrder(ctx, leader, opened.orderId)).toMatchObject({ status: "cancelled" });
    expect(await stockLeft(ctx, id)).toBe(100);
  });

  it("is filled at its deadline by a labelled platform member when the activity says so", async () => {
    const id = await createActivity(ctx, admin, skuId, { platformFillsLastSeat: true });
    const [leader, a] = [await shopper(ctx, "张三"), await shopper(ctx, "李四")];
    const { teamId, orderId: leaderOrder } = await openPaidTeam(ctx, leader, id, skuId);
    const aOrder = (await joinTeam(ctx, a, teamId, skuId)).json().orderId;
    await pay(ctx, a, aOrder);
    await passTime(24 * HOUR);
    const filled = await team(ctx, teamId);
    expect(filled).toMatchObject({ state: "succeeded", seatsTaken: 3, paidCount: 3, platformFill: { enabled: true, notice: PLATFORM_FILL_NOTICE, filled: true } });
    expect(filled.members.map((m: { kind: string; label: string; displayName: string }) => [m.kind, m.label, m.displayName])).toEqual([
      ["leader", "团长 (leader)", "张**"],
      ["member", "团员 (member)", "李**"],
      ["platform", "平台补位 (platform fill)", "平台补位"],
    ]);
    expect(await buyerOrder(ctx, a, aOrder)).toMatchObject({ status: "paid", fulfilmentHold: null });
    expect(await buyerOrder(ctx, leader, leaderOrder)).toMatchObject({ status: "paid", fulfilmentHold: null });
    expect((await events("groupbuy.team_succeeded", teamId))[0]).toMatchObject({ platformFilled: true });
  });
});

describe("per-user limits and auto-join", () => {
  it("hold a buyer to the activity's units, and give them back when an order is cancelled", async () => {
    const id = await createActivity(ctx, admin, skuId, { perUserLimit: 2 });
    const who = await shopper(ctx);
    const tooMany = await openTeam(ctx, who, id, skuId, 3);
    expect([tooMany.statusCode, tooMany.json().details]).toEqual([400, [{ field: "qty", message: "at most 2 per buyer in this activity" }]]);
    const first = await openTeam(ctx, who, id, skuId, 2);
    expect(first.statusCode).toBe(201);
    const over = await openTeam(ctx, who, id, skuId, 1);
    expect([over.statusCode, over.json().code, over.json().details]).toEqual([409, "limit_reached", { activityId: id, limit: 2 }]);
    const refusedTeam = await ctx.deps.db.selectFrom("groupbuy_teams").select("state").where("leader_id", "=", who.userId).where("id", "!=", first.json().teamId).execute();
    expect(refusedTeam).toEqual([{ state: "abandoned" }]);
    expect(await stockLeft(ctx, id)).toBe(98);

    await ctx.app.inject({ method: "POST", url: `/orders/${first.json().orderId}/cancel`, headers: who.headers });
    await ctx.deps.events.drain();
    expect((await openTeam(ctx, who, id, skuId, 2)).statusCode).toBe(201);
  });

  it("joins the open team nearest to full, and says when none has a seat", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const [l1, l2, a, b, c] = [await shopper(ctx), await shopper(ctx), await shopper(ctx), await shopper(ctx), await shopper(ctx)];
    const emptier = await openPaidTeam(ctx, l1, id, skuId);
    const fuller = await openPaidTeam(ctx, l2, id, skuId);
    await pay(ctx, a, (await joinTeam(ctx, a, fuller.teamId, skuId)).json().orderId);
    const auto = (who: Shopper) => ctx.app.inject({ method: "POST", url: `/groupbuy/activities/${id}/auto-join`, headers: who.headers, payload: { skuId, qty: 1, addressId: who.addressId } });
    const joined = await auto(b);
    expect([joined.statusCode, joined.json().teamId]).toEqual([201, fuller.teamId]);
    expect((await auto(c)).json().teamId).toBe(emptier.teamId);
    const none = await auto(l1);
    expect([none.statusCode, none.json().code]).toEqual([409, "no_open_team"]);
  });

  it("places one order for a repeated join with the same Idempotency-Key", async () => {
    const id = await createActivity(ctx, admin, skuId);
    const [leader, friend] = [await shopper(ctx), await shopper(ctx)];
    const { teamId } = await openPaidTeam(ctx, leader, id, skuId);
    const send = () => ctx.app.inject({ method: "POST", url: `/groupbuy/teams/${teamId}/join`, headers: { ...friend.headers, "idempotency-key": "join-1" }, payload: { skuId, qty: 1, addressId: friend.addressId } });
    const first = await send();
    const second = await send();
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(second.json()).toEqual(first.json());
    expect(await team(ctx, teamId)).toMatchObject({ seatsTaken: 2 });
  });
});
