import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import { DAY } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound, unprocessable } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { displayNames, findUser, setPromoter } from "../identity/identity.service.js";
import type { DistributionTables } from "./distribution.tables.js";
import { getSettings } from "./distribution.settings.js";

type PromoterRow = Selectable<DistributionTables["promoters"]>;

export interface Promoter {
  userId: string;
  status: PromoterRow["status"];
  appliedAt: Date;
  decidedAt: Date | null;
  note: string | null;
}

const toPromoter = (r: PromoterRow): Promoter => ({ userId: r.user_id, status: r.status, appliedAt: r.applied_at, decidedAt: r.decided_at, note: r.note });

export async function promoterOf(db: Db, userId: string): Promise<Promoter | null> {
  const row = await db.selectFrom("promoters").selectAll().where("user_id", "=", userId).executeTakeFirst();
  return row ? toPromoter(row) : null;
}

/** A consumer applies to become a promoter (分销员): approved at once when settings say so, else reviewed. */
export async function applyAsPromoter(deps: Deps, userId: string): Promise<Promoter> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const { autoApprove } = await getSettings(trx);
    const existing = await trx.selectFrom("promoters").selectAll().where("user_id", "=", userId).forUpdate().executeTakeFirst();
    if (existing?.status === "approved") throw conflict("already_promoter", "you are already a promoter");
    if (existing?.status === "pending") return toPromoter(existing);
    const status = autoApprove ? "approved" : "pending";
    const values = { user_id: userId, status, applied_at: now, decided_at: autoApprove ? now : null, decided_by: null, note: autoApprove ? "auto-approved" : null } as const;
    const row = await trx.insertInto("promoters").values(values).onConflict((oc) => oc.column("user_id").doUpdateSet(values)).returningAll().executeTakeFirstOrThrow();
    if (autoApprove) await becomePromoter(trx, userId, now);
    return toPromoter(row);
  });
}

async function becomePromoter(trx: Db, userId: string, now: Date): Promise<void> {
  await setPromoter(trx, userId, true);
  await publish(trx, "promoter.approved", userId, { userId }, now);
}

/** An operator approves or rejects a pending application (audited). */
export async function reviewPromoter(deps: Deps, actor: Actor, userId: string, decision: "approve" | "reject", note?: string): Promise<Promoter> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("promoters").selectAll().where("user_id", "=", userId).forUpdate().executeTakeFirst();
    if (!row) throw notFound("promoter application");
    if (row.status !== "pending") throw conflict("illegal_transition", `this application is already ${row.status}`, { from: row.status, event: decision, allowed: [] });
    const updated = await trx
      .updateTable("promoters")
      .set({ status: decision === "approve" ? "approved" : "rejected", decided_at: now, decided_by: actor.userId, note: note ?? null })
      .where("user_id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (decision === "approve") await becomePromoter(trx, userId, now);
    await audit(trx, actor, { action: `promoter.${decision}`, entity: "promoter", entityId: userId, before: toPromoter(row), after: toPromoter(updated) }, now);
    return toPromoter(updated);
  });
}

export async function listPromoters(deps: Deps, q: { status?: PromoterRow["status"]; limit: number; after?: string }) {
  let query = deps.db.selectFrom("promoters").selectAll().orderBy("user_id", "desc").limit(q.limit + 1);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.after) query = query.where("user_id", "<", q.after);
  const rows = await query.execute();
  const names = await displayNames(deps.db, rows.map((r) => r.user_id));
  const items = rows.slice(0, q.limit).map((r) => ({ ...toPromoter(r), id: r.user_id, displayName: names.get(r.user_id) ?? "" }));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

const isApproved = async (db: Db, userId: string) => (await db.selectFrom("promoters").select("status").where("user_id", "=", userId).executeTakeFirst())?.status === "approved";

/** The promoter a user is bound to at `at`, or null once the binding period has run out. */
export async function boundPromoter(db: Db, userId: string, at: Date): Promise<string | null> {
  const row = await db.selectFrom("promoter_bindings").select("promoter_id").where("customer_id", "=", userId).where("expires_at", ">", at).executeTakeFirst();
  return row?.promoter_id ?? null;
}

/**
 * Binds a customer to the promoter who brought them (锁客). Under the `first` rule a live binding stays
 * until its period ends; under `last` the newest promoter takes over. A customer is never bound to
 * themselves, nor to a promoter who is bound to them (that would pay them on their own orders).
 * Returns whether the customer is now bound to this promoter.
 */
export async function bindCustomer(trx: Db, input: { customerId: string; promoterId: string; source: string }, now: Date): Promise<boolean> {
  const { customerId, promoterId } = input;
  if (customerId === promoterId || !(await isApproved(trx, promoterId))) return false;
  if ((await boundPromoter(trx, promoterId, now)) === customerId) return false;
  const settings = await getSettings(trx);
  const current = await trx.selectFrom("promoter_bindings").selectAll().where("customer_id", "=", customerId).forUpdate().executeTakeFirst();
  const live = current && current.expires_at > now;
  if (live && settings.bindingRule === "first" && current.promoter_id !== promoterId) return false;
  const values = { customer_id: customerId, promoter_id: promoterId, source: input.source, bound_at: now, expires_at: new Date(now.getTime() + settings.bindingDays * DAY) };
  await trx.insertInto("promoter_bindings").values(values).onConflict((oc) => oc.column("customer_id").doUpdateSet(values)).execute();
  if (!live || current.promoter_id !== promoterId) await publish(trx, "promoter.customer_bound", customerId, { customerId, promoterId, source: input.source }, now);
  return true;
}

/** A consumer opens a promoter's link (分销链接): binds them per the binding rule. */
export async function bindByLink(deps: Deps, customerId: string, promoterId: string) {
  const now = deps.clock.now();
  if (!(await findUser(deps.db, promoterId))) throw notFound("promoter");
  const bound = await deps.db.transaction().execute((trx) => bindCustomer(trx, { customerId, promoterId, source: "link" }, now));
  if (!bound && customerId === promoterId) throw unprocessable("self_binding", "a promoter cannot be their own customer");
  const current = await deps.db.selectFrom("promoter_bindings").selectAll().where("customer_id", "=", customerId).executeTakeFirst();
  return { bound, promoterId: current && current.expires_at > now ? current.promoter_id : null, expiresAt: current && current.expires_at > now ? current.expires_at : null };
}

export async function myCustomers(deps: Deps, promoterId: string, q: { limit: number; after?: string }) {
  const now = deps.clock.now();
  let query = deps.db.selectFrom("promoter_bindings").selectAll().where("promoter_id", "=", promoterId).where("expires_at", ">", now).orderBy("customer_id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("customer_id", "<", q.after);
  const rows = await query.execute();
  const names = await displayNames(deps.db, rows.map((r) => r.customer_id));
  const items = rows.slice(0, q.limit).map((r) => ({ id: r.customer_id, displayName: names.get(r.customer_id) ?? "", source: r.source, boundAt: r.bound_at, expiresAt: r.expires_at }));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

export async function customerCount(db: Db, promoterId: string, now: Date): Promise<number> {
  const row = await db.selectFrom("promoter_bindings").select((eb) => eb.fn.countAll<string>().as("n")).where("promoter_id", "=", promoterId).where("expires_at", ">", now).executeTakeFirstOrThrow();
  return Number(row.n);
}
