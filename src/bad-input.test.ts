import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allows } from "./platform/auth/access.js";
import { type Caller, signInEveryRole } from "./testing/callers.js";
import { bearer, createTestContext, type TestContext } from "./testing/harness.js";
import { fakeUrl } from "./testing/routes.js";

/**
 * Every route that takes a body, called by someone allowed to call it, with bodies that are wrong in
 * the usual ways: broken JSON, the wrong JSON type, unknown or missing fields, wrong field types.
 * Each must be a 4xx with `{code, message}` — never a 500 — and a schema violation must name the field.
 */
let ctx: TestContext;
let callers: Caller[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  callers = await signInEveryRole(ctx);
});
afterAll(async () => ctx?.close());

const SKIP = new Set(["POST /auth/logout"]);

const badBodies: Array<{ name: string; payload: string; contentType?: string }> = [
  { name: "broken JSON", payload: "{\"a\": " },
  { name: "a JSON array", payload: "[1, 2]" },
  { name: "a JSON string", payload: "\"hello\"" },
  { name: "unknown fields", payload: JSON.stringify({ __unknown__: 1 }) },
  { name: "wrong types everywhere", payload: JSON.stringify({ phone: 13800138000, skuId: 1, qty: "many", items: "x", amount: -1, orderIds: "ord", password: 1, code: 123456, reason: {}, rating: 9 }) },
];

describe("bad input on every write route", () => {
  it("answers 4xx JSON naming the field, never 500", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const route of ctx.app.routeCatalog) {
      if (!["POST", "PUT", "PATCH"].includes(route.method)) continue;
      const key = `${route.method} ${route.url}`;
      if (SKIP.has(key)) continue;
      const caller = callers.find((c) => allows(route.access, c.principal) === "ok");
      if (!caller) continue;
      const hasBodySchema = Boolean(route.schema?.body);
      for (const bad of badBodies) {
        const res = await ctx.app.inject({
          method: route.method as "POST",
          url: fakeUrl(route),
          headers: { ...(caller.token ? bearer(caller.token) : {}), "content-type": bad.contentType ?? "application/json" },
          payload: bad.payload,
        });
        checked += 1;
        const label = `${key} with ${bad.name} as ${caller.name}`;
        if (res.statusCode < 400 || res.statusCode >= 500) {
          problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 160)}`);
          continue;
        }
        const body = res.json();
        if (typeof body.code !== "string" || typeof body.message !== "string") problems.push(`${label}: no {code, message}: ${res.body.slice(0, 160)}`);
        if (hasBodySchema && bad.name !== "broken JSON" && res.statusCode === 400 && body.code === "validation_failed") {
          if (!Array.isArray(body.details) || !body.details.every((d: { field?: unknown }) => typeof d.field === "string" && d.field.length > 0)) {
            problems.push(`${label}: validation error without field names: ${res.body.slice(0, 160)}`);
          }
        }
        if (hasBodySchema && bad.name === "unknown fields" && res.statusCode !== 400) problems.push(`${label}: expected 400, got ${res.statusCode}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});
