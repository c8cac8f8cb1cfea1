import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR } from "../../platform/clock.js";
import { createUser, REGISTRATION_LIMITS } from "./identity.service.js";
import { bearer, createTestContext, signInConsumer, signInStaff, type TestContext } from "../../testing/harness.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("consumer sign-in by phone code", () => {
  it("registers on first sign-in and signs in again later", async () => {
    const phone = "13800138001";
    await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone } });
    const first = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code: ctx.sms.lastCode(phone) } });
    expect(first.statusCode).toBe(201);
    expect(first.json().user.phone).toBe(phone);
    ctx.clock.advance(61_000);
    await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone } });
    const again = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code: ctx.sms.lastCode(phone) } });
    expect(again.statusCode).toBe(200);
    expect(again.json().user.id).toBe(first.json().user.id);
  });

  it("accepts a code once, and refuses it after five wrong tries", async () => {
    const phone = "13800138002";
    await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone } });
    const code = ctx.sms.lastCode(phone)!;
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code: wrong } });
      expect(res.json().code).toBe("code_invalid");
    }
    const late = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code } });
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe("code_expired");
  });

  it("expires codes after five minutes", async () => {
    const phone = "13800138003";
    await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone } });
    ctx.clock.advance(5 * 60_000 + 1);
    const res = await ctx.app.inject({ method: "POST", url: "/auth/consumer/login", payload: { phone, code: ctx.sms.lastCode(phone) } });
    expect(res.json().code).toBe("code_expired");
  });

  it("rate-limits sends per phone with 429 and Retry-After", async () => {
    const phone = "13800138004";
    const ok = await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone } });
    expect(ok.statusCode).toBe(200);
    const again = await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone } });
    expect(again.statusCode).toBe(429);
    expect(again.headers["retry-after"]).toBe("60");
  });

  it("rate-limits sends per IP", async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const res = await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone: `1370000${String(i).padStart(4, "0")}` }, remoteAddress: "10.1.1.1" });
      last = res.statusCode;
    }
    expect(last).toBe(429);
  });
});

describe("registration limits", () => {
  let seq = 0;
  /** Asks for a code from an address of its own, then signs in from `ip` (and `device`, when given). */
  async function signUp(phone: string, ip: string, device?: string) {
    seq += 1;
    await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone }, remoteAddress: `10.20.${seq}.1` });
    return ctx.app.inject({ method: "POST", url: "/auth/consumer/login", headers: device ? { "x-device-id": device } : {}, payload: { phone, code: ctx.sms.lastCode(phone) }, remoteAddress: ip });
  }
  const usersWithPhone = async (phone: string) => (await ctx.deps.db.selectFrom("users").select("id").where("phone_hash", "=", ctx.deps.cipher.hash(phone)).execute()).length;

  it("lets five new accounts a day register from one device, refuses the sixth with 429, and still signs existing ones in", async () => {
    const phones = Array.from({ length: REGISTRATION_LIMITS.perDeviceDay + 1 }, (_, i) => `1360000${String(i).padStart(4, "0")}`);
    const codes = [];
    for (const [i, phone] of phones.entries()) codes.push((await signUp(phone, `10.21.0.${i + 1}`, "family-phone-1")).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
    expect(await usersWithPhone(phones[5])).toBe(0);
    ctx.clock.advance(61_000);
    expect((await signUp(phones[0], "10.21.0.99", "family-phone-1")).statusCode).toBe(200);
  });

  it("lets twenty new accounts an hour register from one IP, and refuses the next with Retry-After up to the end of the hour", async () => {
    for (let i = 0; i < REGISTRATION_LIMITS.perIpHour; i++) expect((await signUp(`1350000${String(i).padStart(4, "0")}`, "10.22.0.1")).statusCode).toBe(201);
    const refused = await signUp("13500009999", "10.22.0.1");
    expect([refused.statusCode, refused.json().code]).toEqual([429, "rate_limited"]);
    expect(refused.headers["retry-after"]).toBe(String(Math.ceil((HOUR - (ctx.clock.now().getTime() % HOUR)) / 1000)));
    expect(await usersWithPhone("13500009999")).toBe(0);
    expect((await signUp("13500009998", "10.22.0.2")).statusCode).toBe(201);
  });
});

describe("sessions", () => {
  it("logs out: the token stops working", async () => {
    const { token } = await signInConsumer(ctx);
    expect((await ctx.app.inject({ method: "GET", url: "/me", headers: bearer(token) })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: "POST", url: "/auth/logout", headers: bearer(token) })).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: "GET", url: "/me", headers: bearer(token) })).statusCode).toBe(401);
  });

  it("expires consumer sessions after 30 days", async () => {
    const { token } = await signInConsumer(ctx);
    ctx.clock.advance(31 * 24 * 3600_000);
    expect((await ctx.app.inject({ method: "GET", url: "/me", headers: bearer(token) })).statusCode).toBe(401);
  });

  it("signs staff in by password and refuses a wrong one", async () => {
    await createUser(ctx.deps, ctx.deps.db, { kind: "operator", username: "ops.zhang", password: "correct-horse-1", displayName: "运营小张", permissions: ["orders"] });
    const good = await ctx.app.inject({ method: "POST", url: "/auth/login", payload: { username: "ops.zhang", password: "correct-horse-1" } });
    expect(good.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: "GET", url: "/me", headers: bearer(good.json().token) })).json()).toMatchObject({ kind: "operator", permissions: ["orders"] });
    const wrong = await ctx.app.inject({ method: "POST", url: "/auth/login", payload: { username: "ops.zhang", password: "wrong-horse-1" } });
    expect(wrong.statusCode).toBe(401);
    const unknown = await ctx.app.inject({ method: "POST", url: "/auth/login", payload: { username: "nobody", password: "x" } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe("invalid_credentials");
    const stored = await ctx.deps.db.selectFrom("users").select("password_hash").where("username", "=", "ops.zhang").executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
  });
});

describe("personal data", () => {
  it("stores phone numbers sealed, never in clear text", async () => {
    const { userId, phone, token } = await signInConsumer(ctx);
    await ctx.app.inject({
      method: "POST",
      url: "/me/addresses",
      headers: bearer(token),
      payload: { recipient: "张三", phone: "13911112222", province: "上海市", city: "上海市", district: "浦东新区", detail: "世纪大道 100 号" },
    });
    const user = await ctx.deps.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
    expect(JSON.stringify(user)).not.toContain(phone);
    expect(user.phone_enc).toMatch(/^v1\./);
    const addresses = await ctx.deps.db.selectFrom("addresses").selectAll().execute();
    expect(JSON.stringify(addresses)).not.toContain("13911112222");
  });

  it("masks phones to operators, matching by keyed hash", async () => {
    const { phone } = await signInConsumer(ctx);
    const op = await signInStaff(ctx, "operator", { permissions: ["users"] });
    const res = await ctx.app.inject({ method: "GET", url: `/admin/users/lookup?phone=${phone}`, headers: bearer(op.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json().phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  });

  it("audits staff creation", async () => {
    const op = await signInStaff(ctx, "operator");
    const res = await ctx.app.inject({
      method: "POST",
      url: "/admin/staff",
      headers: bearer(op.token),
      payload: { kind: "operator", username: "finance.li", password: "a-long-password", displayName: "财务小李", preset: "finance" },
    });
    expect(res.statusCode).toBe(201);
    const log = await ctx.app.inject({ method: "GET", url: `/admin/audit-log?entityId=${res.json().id}`, headers: bearer(op.token) });
    expect(log.json().items).toHaveLength(1);
    expect(log.json().items[0]).toMatchObject({ action: "staff.create", actorId: op.userId, after: { permissions: ["finance", "orders", "audit"] } });
  });
});
