import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../platform/clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { storeSelling } from "../../testing/store.js";
import { startWechatPayStub } from "../payments/testing/wechatpay-stub.js";
import { register } from "../referral/testing/register.js";
import { isSelfReferral, scoreReward } from "./risk.service.js";

const clock = new ManualClock(new Date("2026-06-01T02:00:00Z"));
let ctx: TestContext;
let wx: Awaited<ReturnType<typeof startWechatPayStub>>;
beforeAll(async () => {
  wx = await startWechatPayStub(clock);
  ctx = await createTestContext({ clock, adapters: { payments: { wechatpay: wx.provider } } });
});
afterAll(async () => {
  await ctx?.close();
  await wx?.close();
});

describe("anti-abuse", () => {
  it("knows the same person by account, device or phone, from how each registered", async () => {
    const a = await register(ctx, { deviceId: "dev-a" });
    const b = await register(ctx, { deviceId: "dev-a" });
    const c = await register(ctx, { deviceId: "dev-c" });
    const db = ctx.deps.db;
    expect(await isSelfReferral(db, { userId: a.userId }, { userId: a.userId })).toBe(true);
    expect(await isSelfReferral(db, { userId: a.userId }, { userId: b.userId })).toBe(true);
    expect(await isSelfReferral(db, { userId: a.userId }, { userId: c.userId })).toBe(false);
    expect(await isSelfReferral(db, { userId: a.userId, phoneHash: "h1" }, { userId: c.userId, phoneHash: "h1" })).toBe(true);
  });

  it("knows the same person by the WeChat Pay account their orders were paid from", async () => {
    const skuId = await storeSelling(ctx, 3000);
    const payWith = async (who: Awaited<ReturnType<typeof register>>, openid: string) => {
      const address = await ctx.app.inject({ method: "POST", url: "/me/addresses", headers: who.headers, payload: { recipient: "李四", phone: who.phone, province: "北京市", city: "北京市", district: "朝阳区", detail: "建国路 1 号" } });
      const placed = (await ctx.app.inject({ method: "POST", url: "/orders", headers: who.headers, payload: { items: [{ skuId, qty: 1 }], addressId: address.json().id } })).json().orders[0];
      const payment = (await ctx.app.inject({ method: "POST", url: "/payments", headers: who.headers, payload: { orderIds: [placed.id], provider: "wechatpay", openid } })).json();
      const n = wx.notification({ paymentId: payment.paymentId, amount: placed.payable, payerOpenid: openid });
      const res = await ctx.app.inject({ method: "POST", url: "/payments/notify/wechatpay", headers: n.headers as Record<string, string>, payload: n.rawBody });
      expect(res.statusCode).toBe(204);
    };
    const [inviter, invitee, stranger] = [await register(ctx, { deviceId: "pay-dev-1" }), await register(ctx, { deviceId: "pay-dev-2" }), await register(ctx, { deviceId: "pay-dev-3" })];
    const db = ctx.deps.db;
    expect(await isSelfReferral(db, { userId: inviter.userId }, { userId: invitee.userId })).toBe(false);
    await payWith(inviter, "oSameWallet00000000000000001");
    await payWith(invitee, "oSameWallet00000000000000001");
    await payWith(stranger, "oOtherWallet0000000000000002");
    expect(await isSelfReferral(db, { userId: inviter.userId }, { userId: invitee.userId })).toBe(true);
    expect(await isSelfReferral(db, { userId: invitee.userId }, { userId: inviter.userId })).toBe(true);
    expect(await isSelfReferral(db, { userId: inviter.userId }, { userId: stranger.userId })).toBe(false);
  });

  it("flags a burst of sign-ups from one device and scores their rewards for review", async () => {
    const farm = [];
    for (let i = 0; i < 4; i++) farm.push(await register(ctx, { deviceId: "farm-phone" }));
    const profiles = await ctx.deps.db.selectFrom("risk_profiles").select(["user_id", "flags"]).where("device_id", "=", "farm-phone").orderBy("user_id").execute();
    expect(profiles.map((p) => p.flags)).toEqual([[], [], [], ["registration_burst"]]);
    const honest = await register(ctx, { deviceId: "honest-phone" });
    expect(await scoreReward(ctx.deps.db, { beneficiaryId: honest.userId, sourceUserId: farm[3].userId, kind: "points", amount: 100 }, ctx.clock.now())).toEqual({ score: 80, reasons: ["registration_burst", "shared_device"] });
    expect(await scoreReward(ctx.deps.db, { beneficiaryId: honest.userId, sourceUserId: null, kind: "cash", amount: 10_000 }, ctx.clock.now())).toEqual({ score: 20, reasons: ["large_cash"] });
  });

  it("limits reward claims per user per minute", async () => {
    const u = await register(ctx);
    const codes = [];
    for (let i = 0; i < 11; i++) codes.push((await ctx.app.inject({ method: "POST", url: `/me/rewards/rwd_${"0".repeat(26)}/claim`, headers: u.headers })).statusCode);
    expect(codes).toEqual([...Array(10).fill(404), 429]);
  });

  it("lets only operators with the users permission change thresholds, and audits it", async () => {
    const finance = bearer((await signInStaff(ctx, "operator", { permissions: ["finance"] })).token);
    const support = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
    expect((await ctx.app.inject({ method: "PUT", url: "/admin/risk/settings/review_threshold", headers: finance, payload: { value: 1 } })).statusCode).toBe(403);
    const changed = await ctx.app.inject({ method: "PUT", url: "/admin/risk/settings/review_threshold", headers: support, payload: { value: 70 } });
    expect(changed.json()).toEqual({ key: "review_threshold", value: 70 });
    expect((await ctx.app.inject({ method: "PUT", url: "/admin/risk/settings/nonsense", headers: support, payload: { value: 1 } })).statusCode).toBe(404);
    const audit = await ctx.deps.db.selectFrom("audit_log").select(["action", "before", "after"]).where("entity", "=", "risk_setting").execute();
    expect(audit).toEqual([{ action: "risk.setting.change", before: { key: "review_threshold", value: 60 }, after: { key: "review_threshold", value: 70 } }]);
  });
});
