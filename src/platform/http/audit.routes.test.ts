import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR } from "../clock.js";
import { bearer, createTestContext, signInStaff, type TestContext } from "../../testing/harness.js";

let ctx: TestContext;
let admin: Record<string, string>;
let adminId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  const op = await signInStaff(ctx, "operator");
  admin = bearer(op.token);
  adminId = op.userId;
});
afterAll(async () => ctx?.close());

const log = async (query: string) => {
  const res = await ctx.app.inject({ method: "GET", url: `/admin/audit-log?${query}`, headers: admin });
  expect(res.statusCode).toBe(200);
  return res.json().items as Array<{ action: string; entityId: string; actorId: string; actorName: string | null; requestId: string; before: unknown; after: unknown }>;
};

describe("GET /admin/audit-log", () => {
  it("filters by action start, request id and time, and names the actor", async () => {
    const start = ctx.clock.now();
    const created = await ctx.app.inject({ method: "POST", url: "/admin/categories", headers: { ...admin, "x-request-id": "req-audit-create" }, payload: { name: "审计类目" } });
    const id = created.json().id as string;
    ctx.clock.advance(2 * HOUR);
    const renamed = await ctx.app.inject({ method: "PATCH", url: `/admin/categories/${id}`, headers: { ...admin, "x-request-id": "req-audit-rename" }, payload: { name: "审计类目二" } });
    expect(renamed.statusCode).toBe(200);

    expect((await log("action=category.")).map((e) => e.action)).toEqual(["category.update", "category.create"]);
    expect((await log("action=category.up")).map((e) => e.action)).toEqual(["category.update"]);
    expect(await log("action=category%25")).toEqual([]);

    const [rename] = await log("requestId=req-audit-rename");
    expect(rename).toMatchObject({ action: "category.update", entityId: id, actorId: adminId, requestId: "req-audit-rename", before: { name: "审计类目" }, after: { name: "审计类目二" } });
    expect(rename.actorName).toMatch(/^operator_/);

    const oneHourIn = new Date(start.getTime() + HOUR).toISOString();
    expect((await log(`entityId=${id}&until=${encodeURIComponent(oneHourIn)}`)).map((e) => e.action)).toEqual(["category.create"]);
    expect((await log(`entityId=${id}&since=${encodeURIComponent(oneHourIn)}`)).map((e) => e.action)).toEqual(["category.update"]);
  });

  it("refuses a malformed time with the field named", async () => {
    const res = await ctx.app.inject({ method: "GET", url: "/admin/audit-log?since=yesterday", headers: admin });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: "querystring.since", message: "must match format \"date-time\"" }]);
  });
});
