import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";
import { identityModule } from "../identity/index.js";
import { merchantsModule } from "./index.js";

let ctx: TestContext;
let admin: string;
beforeAll(async () => {
  ctx = await createTestContext({ modules: [identityModule, merchantsModule] });
  admin = (await signInStaff(ctx, "operator", { permissions: ["admin"] })).token;
});
afterAll(async () => ctx?.close());

const open = (payload: Record<string, unknown>) => ctx.app.inject({ method: "POST", url: "/admin/merchants", headers: bearer(admin), payload });

describe("merchants", () => {
  it("opens a store, shows its storefront publicly, and hides it once suspended", async () => {
    const res = await open({ name: "上海花果山食品有限公司", storeName: "花果山旗舰店", logo: "/uploads/hgs.png" });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    expect(id).toMatch(/^mch_/);
    const pub = await ctx.app.inject({ method: "GET", url: `/merchants/${id}` });
    expect(pub.json()).toEqual({ id, storeName: "花果山旗舰店", logo: "/uploads/hgs.png", selfOperated: false });

    const suspended = await ctx.app.inject({ method: "PATCH", url: `/admin/merchants/${id}`, headers: bearer(admin), payload: { status: "suspended" } });
    expect(suspended.json().status).toBe("suspended");
    expect((await ctx.app.inject({ method: "GET", url: `/merchants/${id}` })).statusCode).toBe(404);

    const log = await ctx.app.inject({ method: "GET", url: `/admin/audit-log?entityId=${id}`, headers: bearer(admin) });
    expect(log.json().items.map((e: { action: string }) => e.action)).toEqual(["merchant.update", "merchant.create"]);
    expect(log.json().items[0]).toMatchObject({ before: { status: "active" }, after: { status: "suspended" } });
  });

  it("allows one self-operated store and unique store names", async () => {
    expect((await open({ name: "裂变科技", storeName: "裂变优选", selfOperated: true })).statusCode).toBe(201);
    const second = await open({ name: "裂变科技", storeName: "裂变优选二号", selfOperated: true });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe("self_operated_exists");
    const dup = await open({ name: "别家", storeName: "裂变优选" });
    expect(dup.json().code).toBe("store_name_taken");
  });

  it("keeps store administration to admin operators and refuses bad input by field", async () => {
    const catalogOp = await signInStaff(ctx, "operator", { permissions: ["catalog"] });
    expect((await ctx.app.inject({ method: "GET", url: "/admin/merchants", headers: bearer(catalogOp.token) })).statusCode).toBe(403);
    const bad = await open({ name: "x", storeName: "", extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.map((d: { field: string }) => d.field).sort()).toEqual(["extra", "storeName"]);
  });
});
