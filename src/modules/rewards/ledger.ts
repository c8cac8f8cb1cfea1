import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { conflict } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";

/**
 * The double-entry ledger (账本) every balance a user can earn goes through: points, cash red
 * envelopes (fen) and growth value. An entry is a set of lines whose amounts sum to zero per currency;
 * an account's balance is the sum of its lines, kept in `ledger_accounts` in the same transaction.
 *
 * Accounts: `user:<userId>:<bucket>` (pending, claimable, available), `budget:<ruleId>`, and
 * `platform:<purpose>` (the other side of money entering or leaving the system). Only `platform:`
 * accounts may go negative; every other balance is held at zero or above by a conditional update, so
 * two racing entries cannot overdraw a user or a budget.
 */
export type Currency = "points" | "cash" | "growth";
export const CURRENCIES: readonly Currency[] = ["points", "cash", "growth"];

export interface LedgerLine {
  account: string;
  currency: Currency;
  amount: number;
}

export interface LedgerEntry {
  key: string;
  causeType: string;
  causeId: string;
  memo?: string;
  lines: LedgerLine[];
}

const mayGoNegative = (account: string) => account.startsWith("platform:");

/** Throws unless every amount is a non-zero integer and each currency's lines sum to zero. */
export function checkBalanced(lines: LedgerLine[]): void {
  if (lines.length < 2) throw new Error("a ledger entry needs at least two lines");
  const sums = new Map<Currency, number>();
  for (const l of lines) {
    if (!Number.isSafeInteger(l.amount) || l.amount === 0) throw new Error(`ledger amount must be a non-zero integer, got ${l.amount} on ${l.account}`);
    if (!CURRENCIES.includes(l.currency)) throw new Error(`unknown currency ${l.currency}`);
    sums.set(l.currency, (sums.get(l.currency) ?? 0) + l.amount);
  }
  for (const [currency, sum] of sums) if (sum !== 0) throw new Error(`ledger entry does not balance: ${currency} sums to ${sum}`);
}

/**
 * Posts once per key (unique); returns false when the key was already posted. Throws if a currency
 * doesn't sum to 0, and `409 insufficient_balance` when a line would take an account that may not go
 * negative below zero (the caller's transaction then rolls back whole).
 */
export async function post(trx: Db, entry: LedgerEntry, now: Date): Promise<boolean> {
  checkBalanced(entry.lines);
  if (!trx.isTransaction) return trx.transaction().execute((t) => post(t, entry, now));
  const entryId = newId("led");
  const inserted = await trx
    .insertInto("ledger_entries")
    .values({ id: entryId, key: entry.key, cause_type: entry.causeType, cause_id: entry.causeId, memo: entry.memo ?? null, created_at: now })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  // Accounts in a fixed order, so two entries touching the same accounts cannot deadlock.
  const lines = [...entry.lines].sort((a, b) => (a.account === b.account ? a.currency.localeCompare(b.currency) : a.account < b.account ? -1 : 1));
  for (const line of lines) {
    const floorless = mayGoNegative(line.account);
    const applied =
      line.amount < 0 && !floorless
        ? await sql`update ledger_accounts set balance = balance + ${line.amount}, updated_at = ${now}
            where account = ${line.account} and currency = ${line.currency} and balance + ${line.amount} >= 0`.execute(trx)
        : await sql`insert into ledger_accounts (account, currency, balance, may_go_negative, updated_at)
            values (${line.account}, ${line.currency}, ${line.amount}, ${floorless}, ${now})
            on conflict (account, currency) do update set balance = ledger_accounts.balance + excluded.balance, updated_at = excluded.updated_at`.execute(trx);
    if (Number(applied.numAffectedRows ?? 0) !== 1) {
      throw conflict("insufficient_balance", `${line.account} has less than ${-line.amount} ${line.currency}`, { account: line.account, currency: line.currency });
    }
  }
  await trx
    .insertInto("ledger_lines")
    .values(entry.lines.map((l) => ({ id: newId("lln"), entry_id: entryId, account: l.account, currency: l.currency, amount: l.amount, created_at: now })))
    .execute();
  return true;
}

export async function balance(db: Db, account: string, currency: Currency): Promise<number> {
  const row = await db.selectFrom("ledger_accounts").select("balance").where("account", "=", account).where("currency", "=", currency).executeTakeFirst();
  return row?.balance ?? 0;
}

/** Balances of several accounts in one query (missing ones are 0). */
export async function balances(db: Db, accounts: string[], currency: Currency): Promise<Map<string, number>> {
  const out = new Map(accounts.map((a) => [a, 0]));
  if (accounts.length === 0) return out;
  const rows = await db.selectFrom("ledger_accounts").select(["account", "balance"]).where("account", "in", accounts).where("currency", "=", currency).execute();
  for (const r of rows) out.set(r.account, r.balance);
  return out;
}

/** A user's account for one bucket. */
export const userAccount = (userId: string, bucket: "pending" | "claimable" | "available") => `user:${userId}:${bucket}`;
export const budgetAccount = (ruleId: string) => `budget:${ruleId}`;
