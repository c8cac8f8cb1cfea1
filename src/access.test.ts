import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteEntry } from "./app.js";
import { type Access, allows } from "./platform/auth/access.js";
import type { Role } from "./platform/auth/principal.js";
import { type Caller, signInEveryRole } from "./testing/callers.js";
import { bearer, createTestContext, type TestContext } from "./testing/harness.js";
import { fakeUrl } from "./testing/routes.js";

/**
 * The route × role matrix. Every route declares its access; this walks every route with every kind of
 * caller and proves the guard lets through exactly the callers the declaration names. The declared
 * matrix itself is kept in docs/access-matrix.md, so any change to who may call what shows in review.
 */
let ctx: TestContext;
let callers: Caller[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  callers = await signInEveryRole(ctx);
});
afterAll(async () => ctx?.close());

/** Routes that end the caller's session would sign the walker out; they are covered in their own tests. */
const SKIP = new Set(["POST /auth/logout"]);

function describeAccess(access: Access): string {
  if (access === "public") return "public";
  return access.roles.map((r: Role) => (r === "operator" && access.permission ? `operator(${access.permission})` : r)).join(", ");
}

export function renderAccessMatrix(routes: RouteEntry[]): string {
  const rows = [...routes]
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))
    .map((r) => `| ${r.method} | \`${r.url}\` | ${describeAccess(r.access)} |`);
  return ["| method | route | who may call it |", "| --- | --- | --- |", ...rows].join("\n");
}

describe("route × role access", () => {
  it("lets through exactly the callers each route declares, and no one else", async () => {
    const failures: string[] = [];
    for (const route of ctx.app.routeCatalog) {
      const key = `${route.method} ${route.url}`;
      if (SKIP.has(key)) continue;
      for (const caller of callers) {
        const res = await ctx.app.inject({
          method: route.method as "GET",
          url: fakeUrl(route),
          headers: caller.token ? bearer(caller.token) : {},
          ...(route.method === "GET" || route.method === "DELETE" ? {} : { payload: {} }),
        });
        const expected = allows(route.access, caller.principal);
        const code = String(res.headers["content-type"] ?? "").includes("json") ? res.json().code : undefined;
        const got = code === "unauthenticated" ? "unauthenticated" : code === "forbidden_role" ? "forbidden" : "ok";
        if (got !== expected) failures.push(`${key} as ${caller.name}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        expect(res.statusCode, `${key} as ${caller.name}`).toBeLessThan(500);
      }
    }
    expect(failures).toEqual([]);
  });

  it("is written down in docs/access-matrix.md exactly as the routes declare it", () => {
    const doc = fs.readFileSync(new URL("../docs/access-matrix.md", import.meta.url), "utf8");
    const matrix = renderAccessMatrix(ctx.app.routeCatalog);
    if (process.env.UPDATE_ACCESS_MATRIX) {
      fs.writeFileSync(new URL("../docs/access-matrix.md", import.meta.url), doc.replace(/\| method \|[\s\S]*$/, `${matrix}\n`));
      return;
    }
    expect(doc).toContain(matrix);
  });
});
