import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { notFound, unprocessable } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { displayNames } from "../identity/identity.service.js";
import { balances, post } from "../rewards/ledger.js";
import { BP } from "./commission-math.js";
import { type CommissionBucket, commissionAccount } from "./commissions.service.js";
import { getSettings } from "./distribution.settings.js";
import type { DistributionTables } from "./distribution.tables.js";
import { type WithdrawalStatus, nextWithdrawalStatus } from "./withdrawal-machine.js";

type WithdrawalRow = Selectable<DistributionTables["withdrawals"]>;

/** Withdrawal fees the platform keeps. */
export const PLATFORM_WITHDRAWAL_FEES = "platform:withdrawal_fees";

/**
 * Where a withdrawal's money goes. `balance` credits the promoter's cash balance in the ledger at once;
 * a bank or WeChat Pay provider implements the same call (and answers `failed` when it refuses).
 */
export interface PayoutProvider {
  name: string;
  payout(trx: Db, w: { withdrawalId: string; promoterId: string; net: number }, now: Date): Promise<{ ok: true; ref: string; account: string } | { ok: false; reason: string }>;
}

export const balancePayout: PayoutProvider = {
  name: "balance",
  payout: async (_trx, w) => ({ ok: true, ref: `balance:${w.withdrawalId}`, account: `user:${w.promoterId}:available` }),
};

const PROVIDERS: Record<string, PayoutProvider> = { balance: balancePayout };
export const PAYOUT_PROVIDERS = Object.keys(PROVIDERS);

export interface Withdrawal {
  id: string;
  promoterId: string;
  amount: number;
  fee: number;
  net: number;
  status: WithdrawalStatus;
  provider: string;
  providerRef: string | null;
  note: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  paidAt: Date | null;
}

const toWithdrawal = (r: WithdrawalRow): Withdrawal => ({
  id: r.id,
  promoterId: r.promoter_id,
  amount: r.amount,
  fee: r.fee,
  net: r.net,
  status: r.status,
  provider: r.provider,
  providerRef: r.provider_ref,
  note: r.note,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  paidAt: r.paid_at,
});

const account = (promoterId: string, bucket: CommissionBucket) => commissionAccount(promoterId, bucket);
const cash = (from: string, to: string, amount: number) => [
  { account: from, currency: "cash" as const, amount: -amount },
  { account: to, currency: "cash" as const, amount },
];

/**
 * A promoter asks to withdraw (提现) from their available commission. The fee is floor(amount × fee
 * rate); the amount moves to `withdrawing` at once, and the ledger refuses (409 insufficient_balance)
 * an amount the promoter does not have, however many requests race.
 */
export async function requestWithdrawal(deps: Deps, promoterId: string, input: { amount: number; to?: string }): Promise<Withdrawal> {
  const settings = await getSettings(deps.db);
  if (input.amount < settings.minWithdrawal) throw unprocessable("withdrawal_below_minimum", `withdrawals start at ${settings.minWithdrawal} fen`, { minWithdrawal: settings.minWithdrawal });
  const provider = input.to ?? "balance";
  const fee = Math.floor((input.amount * settings.withdrawalFeeBp) / BP);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("withdrawals")
      .values({ id: newId("wdr"), promoter_id: promoterId, amount: input.amount, fee, net: input.amount - fee, status: "requested", provider, provider_ref: null, reviewed_by: null, note: null, created_at: now, decided_at: null, paid_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await post(trx, { key: `withdrawal:${row.id}:request`, causeType: "withdrawal", causeId: row.id, lines: cash(account(promoterId, "commission_available"), account(promoterId, "commission_withdrawing"), input.amount) }, now);
    await publish(trx, "withdrawal.requested", row.id, { withdrawalId: row.id, promoterId, amount: input.amount }, now);
    return toWithdrawal(row);
  });
}

async function lockWithdrawal(trx: Db, id: string): Promise<WithdrawalRow> {
  const row = await trx.selectFrom("withdrawals").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) throw notFound("withdrawal");
  return row;
}

/** Finance approves: the payout provider pays the net amount and the fee goes to the platform (audited). */
export async function approveWithdrawal(deps: Deps, actor: Actor, id: string): Promise<Withdrawal> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockWithdrawal(trx, id);
    const approved = nextWithdrawalStatus(row.status, "approve");
    const result = await PROVIDERS[row.provider].payout(trx, { withdrawalId: row.id, promoterId: row.promoter_id, net: row.net }, now);
    const withdrawing = account(row.promoter_id, "commission_withdrawing");
    let status: WithdrawalStatus;
    if (result.ok) {
      status = nextWithdrawalStatus(approved, "pay");
      const lines = [
        { account: withdrawing, currency: "cash" as const, amount: -row.amount },
        ...(row.net > 0 ? [{ account: result.account, currency: "cash" as const, amount: row.net }] : []),
        ...(row.fee > 0 ? [{ account: PLATFORM_WITHDRAWAL_FEES, currency: "cash" as const, amount: row.fee }] : []),
      ];
      await post(trx, { key: `withdrawal:${row.id}:paid`, causeType: "withdrawal", causeId: row.id, lines }, now);
    } else {
      status = nextWithdrawalStatus(approved, "fail");
      await post(trx, { key: `withdrawal:${row.id}:failed`, causeType: "withdrawal", causeId: row.id, lines: cash(withdrawing, account(row.promoter_id, "commission_available"), row.amount) }, now);
    }
    const updated = await trx
      .updateTable("withdrawals")
      .set({ status, provider_ref: result.ok ? result.ref : null, note: result.ok ? row.note : result.reason, reviewed_by: actor.userId, decided_at: now, paid_at: result.ok ? now : null })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: "withdrawal.approve", entity: "withdrawal", entityId: id, before: toWithdrawal(row), after: toWithdrawal(updated) }, now);
    await publish(trx, `withdrawal.${status}`, id, { withdrawalId: id, promoterId: row.promoter_id, amount: row.amount, net: row.net }, now);
    return toWithdrawal(updated);
  });
}

/** Finance rejects: the amount is available again (audited). */
export async function rejectWithdrawal(deps: Deps, actor: Actor, id: string, reason: string): Promise<Withdrawal> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockWithdrawal(trx, id);
    const status = nextWithdrawalStatus(row.status, "reject");
    await post(trx, { key: `withdrawal:${row.id}:rejected`, causeType: "withdrawal", causeId: row.id, lines: cash(account(row.promoter_id, "commission_withdrawing"), account(row.promoter_id, "commission_available"), row.amount) }, now);
    const updated = await trx.updateTable("withdrawals").set({ status, note: reason, reviewed_by: actor.userId, decided_at: now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: "withdrawal.reject", entity: "withdrawal", entityId: id, before: toWithdrawal(row), after: toWithdrawal(updated) }, now);
    await publish(trx, "withdrawal.rejected", id, { withdrawalId: id, promoterId: row.promoter_id, amount: row.amount }, now);
    return toWithdrawal(updated);
  });
}

export async function listWithdrawals(db: Db, q: { promoterId?: string; status?: WithdrawalStatus; limit: number; after?: string }) {
  let query = db.selectFrom("withdrawals").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.promoterId) query = query.where("promoter_id", "=", q.promoterId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = (await query.execute()).map(toWithdrawal);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** The promoter centre's money: pending, frozen, available, being withdrawn, and withdrawn in all (fen). */
/** Finance's review queue: withdrawals with the name of the promoter asking. */
export async function withdrawalQueue(db: Db, q: { status?: WithdrawalStatus; limit: number; after?: string }) {
  const page = await listWithdrawals(db, q);
  const names = await displayNames(db, page.items.map((w) => w.promoterId));
  return { items: page.items.map((w) => ({ ...w, promoterName: names.get(w.promoterId) ?? "" })), nextCursor: page.nextCursor };
}

export async function promoterMoney(db: Db, promoterId: string) {
  const buckets: CommissionBucket[] = ["commission_pending", "commission_frozen", "commission_available", "commission_withdrawing"];
  const b = await balances(db, buckets.map((k) => account(promoterId, k)), "cash");
  const paid = await db.selectFrom("withdrawals").select((eb) => eb.fn.coalesce(eb.fn.sum<string>("amount"), eb.val("0")).as("sum")).where("promoter_id", "=", promoterId).where("status", "=", "paid").executeTakeFirstOrThrow();
  const [pending, frozen, available, withdrawing] = buckets.map((k) => b.get(account(promoterId, k)) ?? 0);
  return { pending, frozen, available, withdrawing, withdrawn: Number(paid.sum) };
}
