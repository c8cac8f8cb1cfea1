import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { ownMerchantId } from "../merchants/merchants.service.js";
import type { CouponKind, CouponScope, CouponsTables } from "./coupons.tables.js";

export type TemplateRow = Selectable<CouponsTables["coupon_templates"]>;

export interface TemplateInput {
  name: string;
  /** Operators: the store the coupon is for (absent: a platform coupon). Merchant staff: always their own. */
  merchantId?: string | null;
  kind: CouponKind;
  amount?: number;
  percentOff?: number;
  maxOff?: number;
  threshold?: number;
  scope?: CouponScope;
  scopeIds?: string[];
  perUserLimit?: number | null;
  stock?: number | null;
  validFrom?: string;
  validUntil?: string;
  validDays?: number;
  stackable?: boolean;
  returnOnCancel?: boolean;
  returnOnRefund?: boolean;
  claimable?: boolean;
  fissionShares?: number | null;
}

export interface TemplatePatch {
  name?: string;
  stock?: number | null;
  perUserLimit?: number | null;
  claimable?: boolean;
  status?: "active" | "disabled";
}

export interface CouponTemplate {
  id: string;
  merchantId: string | null;
  name: string;
  kind: CouponKind;
  amount: number;
  percentOff: number | null;
  maxOff: number | null;
  threshold: number;
  scope: CouponScope;
  scopeIds: string[];
  perUserLimit: number | null;
  stock: number | null;
  issued: number;
  validFrom: Date | null;
  validUntil: Date | null;
  validDays: number | null;
  stackable: boolean;
  returnOnCancel: boolean;
  returnOnRefund: boolean;
  claimable: boolean;
  fissionShares: number | null;
  status: "active" | "disabled";
  createdAt: Date;
}

export const toTemplate = (r: TemplateRow): CouponTemplate => ({
  id: r.id,
  merchantId: r.merchant_id,
  name: r.name,
  kind: r.kind,
  amount: r.amount,
  percentOff: r.percent_off,
  maxOff: r.max_off,
  threshold: r.threshold,
  scope: r.scope,
  scopeIds: r.scope_ids,
  perUserLimit: r.per_user_limit,
  stock: r.stock,
  issued: r.issued,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  validDays: r.valid_days,
  stackable: r.stackable,
  returnOnCancel: r.return_on_cancel,
  returnOnRefund: r.return_on_refund,
  claimable: r.claimable,
  fissionShares: r.fission_shares,
  status: r.status,
  createdAt: r.created_at,
});

function terms(input: TemplateInput) {
  const amount = input.amount ?? 0;
  const threshold = input.threshold ?? 0;
  if ((input.kind === "fixed" || input.kind === "threshold") && amount <= 0) throw invalidField("amount", `a ${input.kind} coupon takes off more than 0 fen`);
  if (input.kind === "threshold" && threshold < amount) throw invalidField("threshold", "a 满减 coupon's threshold is at least its amount");
  if (input.kind === "percent" && input.percentOff === undefined) throw invalidField("percentOff", "a percent coupon names its percentage off");
  const scope = input.scope ?? "all";
  const scopeIds = scope === "all" ? [] : (input.scopeIds ?? []);
  if (scope !== "all" && scopeIds.length === 0) throw invalidField("scopeIds", `a ${scope} scope lists at least one id`);
  if (input.validDays === undefined && input.validUntil === undefined) throw invalidField("validUntil", "give a validity window (validUntil) or validDays");
  if (input.validDays !== undefined && input.validUntil !== undefined) throw invalidField("validDays", "give either validUntil or validDays, not both");
  const validFrom = input.validFrom ? new Date(input.validFrom) : null;
  const validUntil = input.validUntil ? new Date(input.validUntil) : null;
  if (validFrom && validUntil && validUntil <= validFrom) throw invalidField("validUntil", "must be after validFrom");
  return {
    kind: input.kind,
    amount: input.kind === "percent" || input.kind === "free_shipping" ? 0 : amount,
    percent_off: input.kind === "percent" ? input.percentOff! : null,
    max_off: input.kind === "percent" ? (input.maxOff ?? null) : null,
    threshold,
    scope,
    scope_ids: JSON.stringify(scopeIds),
    valid_from: validFrom,
    valid_until: validUntil,
    valid_days: input.validDays ?? null,
  };
}

export async function createTemplate(deps: Deps, actor: Actor, input: TemplateInput): Promise<CouponTemplate> {
  const now = deps.clock.now();
  const cols = terms(input);
  const own = ownMerchantId(actor);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("coupon_templates")
      .values({
        id: newId("cpt"),
        merchant_id: own ?? input.merchantId ?? null,
        name: input.name,
        ...cols,
        per_user_limit: input.perUserLimit ?? null,
        stock: input.stock ?? null,
        stackable: input.stackable ?? false,
        return_on_cancel: input.returnOnCancel ?? true,
        return_on_refund: input.returnOnRefund ?? false,
        claimable: input.claimable ?? true,
        fission_shares: input.fissionShares ?? null,
        status: "active",
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = toTemplate(row);
    await audit(trx, actor, { action: "coupon_template.create", entity: "coupon_template", entityId: row.id, after: created }, now);
    return created;
  });
}

async function visibleTemplate(db: Db, actor: Actor, id: string, lock = false): Promise<TemplateRow> {
  let q = db.selectFrom("coupon_templates").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  const own = ownMerchantId(actor);
  if (!row || (own !== null && row.merchant_id !== own)) throw notFound("coupon template");
  return row;
}

export async function getTemplate(deps: Deps, actor: Actor, id: string): Promise<CouponTemplate> {
  return toTemplate(await visibleTemplate(deps.db, actor, id));
}

export async function listTemplates(deps: Deps, actor: Actor, q: { limit: number; after?: string }) {
  const own = ownMerchantId(actor);
  let query = deps.db.selectFrom("coupon_templates").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (own !== null) query = query.where("merchant_id", "=", own);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = (await query.execute()).map(toTemplate);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** Coupons anyone may claim now (领券中心), optionally of one store. */
export async function claimableTemplates(deps: Deps, q: { merchantId?: string; limit: number; after?: string }) {
  const now = deps.clock.now();
  let query = deps.db
    .selectFrom("coupon_templates")
    .selectAll()
    .where("status", "=", "active")
    .where("claimable", "=", true)
    .where((eb) => eb.or([eb("valid_until", "is", null), eb("valid_until", ">", now)]))
    .where((eb) => eb.or([eb("stock", "is", null), eb("issued", "<", eb.ref("stock"))]))
    .orderBy("id", "desc")
    .limit(q.limit + 1);
  if (q.merchantId) query = query.where("merchant_id", "=", q.merchantId);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = (await query.execute()).map(toTemplate);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

export async function updateTemplate(deps: Deps, actor: Actor, id: string, patch: TemplatePatch): Promise<CouponTemplate> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await visibleTemplate(trx, actor, id, true);
    if (patch.stock !== undefined && patch.stock !== null && patch.stock < row.issued) throw invalidField("stock", `${row.issued} are already issued`);
    const updated = await trx
      .updateTable("coupon_templates")
      .set({
        name: patch.name ?? row.name,
        stock: patch.stock === undefined ? row.stock : patch.stock,
        per_user_limit: patch.perUserLimit === undefined ? row.per_user_limit : patch.perUserLimit,
        claimable: patch.claimable ?? row.claimable,
        status: patch.status ?? row.status,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toTemplate(updated);
    await audit(trx, actor, { action: "coupon_template.update", entity: "coupon_template", entityId: id, before: toTemplate(row), after }, now);
    return after;
  });
}
