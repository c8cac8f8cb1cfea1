import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../testing/harness.js";
import { buyer, storeSelling } from "../../testing/store.js";
import { MAX_CART_LINES } from "./cart.service.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("cart", () => {
  it("adds up repeated SKUs, caps a line at 999 and takes no new SKU once full", async () => {
    const sku = await storeSelling(ctx, 1990);
    const b = await buyer(ctx);
    const add = (skuId: string, qty: number) => ctx.app.inject({ method: "POST", url: "/cart/items", headers: b.headers, payload: { skuId, qty } });
    expect((await add(sku, 2)).statusCode).toBe(201);
    const twice = await add(sku, 3);
    expect(twice.json()).toMatchObject({ items: [{ skuId: sku, qty: 5, unitPrice: 1990, purchasable: true }], selectedTotal: 5 * 1990 });
    expect((await add(sku, 999)).json().items[0].qty).toBe(999);

    // Fill the rest of the cart with lines of other SKUs (written directly: a hundred products would only slow the test).
    await sql`insert into cart_items (user_id, sku_id, qty, selected, added_at)
      select ${b.userId}::text, 'sku_filler_' || n, 1, false, now() from generate_series(2, ${MAX_CART_LINES}::int) n`.execute(ctx.deps.db);
    const other = await storeSelling(ctx, 500);
    const full = await add(other, 1);
    expect([full.statusCode, full.json().code]).toEqual([409, "cart_full"]);
    const lines = await sql<{ n: number }>`select count(*)::int as n from cart_items where user_id = ${b.userId}`.execute(ctx.deps.db);
    expect(lines.rows[0].n).toBe(MAX_CART_LINES);
    // More of a SKU already there is still welcome.
    await ctx.deps.db.updateTable("cart_items").set({ qty: 1 }).where("user_id", "=", b.userId).where("sku_id", "=", sku).execute();
    expect((await add(sku, 1)).statusCode).toBe(201);
  });
});
