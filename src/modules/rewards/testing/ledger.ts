import { sql } from "kysely";
import { expect } from "vitest";
import type { TestContext } from "../../../testing/harness.js";

/** Every currency sums to zero over all lines, and each account's kept balance equals the sum of its lines. */
export async function expectLedgerConsistent(c: TestContext): Promise<void> {
  const sums = await sql<{ currency: string; total: number }>`select currency, sum(amount)::bigint as total from ledger_lines group by currency`.execute(c.deps.db);
  expect(sums.rows.filter((r) => Number(r.total) !== 0)).toEqual([]);
  const drift = await sql<{ account: string }>`
    select a.account from ledger_accounts a
    left join (select account, currency, sum(amount)::bigint as total from ledger_lines group by account, currency) l using (account, currency)
    where a.balance <> coalesce(l.total, 0)`.execute(c.deps.db);
  expect(drift.rows).toEqual([]);
}
