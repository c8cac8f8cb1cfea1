import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { notFound, unprocessable } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import type { DistributionTables } from "./distribution.tables.js";

/** Commission is paid to two levels at most: the customer's promoter and that promoter's own promoter. */
export const MAX_LEVELS = 2;

/** A third level of commission is pyramid selling (多级分销 / 传销), illegal in China: refused whatever the caller. */
export function refuseBeyondTwoLevels(level: number, field: string): void {
  if (level > MAX_LEVELS) {
    throw unprocessable(
      "pyramid_selling_forbidden",
      `${field}: paying commission beyond two levels is illegal pyramid selling (多级分销 beyond two levels is forbidden); at most ${MAX_LEVELS} levels may be paid`,
      { field, maxLevels: MAX_LEVELS },
    );
  }
}

export interface DistributionSettings {
  autoApprove: boolean;
  bindingRule: "first" | "last";
  bindingDays: number;
  levels: number;
  level1RateBp: number;
  level2RateBp: number;
  minWithdrawal: number;
  withdrawalFeeBp: number;
}

const toSettings = (r: Selectable<DistributionTables["distribution_settings"]>): DistributionSettings => ({
  autoApprove: r.auto_approve,
  bindingRule: r.binding_rule,
  bindingDays: r.binding_days,
  levels: r.levels,
  level1RateBp: r.level1_rate_bp,
  level2RateBp: r.level2_rate_bp,
  minWithdrawal: r.min_withdrawal,
  withdrawalFeeBp: r.withdrawal_fee_bp,
});

export async function getSettings(db: Db): Promise<DistributionSettings> {
  return toSettings(await db.selectFrom("distribution_settings").selectAll().where("id", "=", "default").executeTakeFirstOrThrow());
}

export async function updateSettings(deps: Deps, actor: Actor, patch: Partial<DistributionSettings>): Promise<DistributionSettings> {
  if (patch.levels !== undefined) refuseBeyondTwoLevels(patch.levels, "levels");
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = toSettings(await trx.selectFrom("distribution_settings").selectAll().where("id", "=", "default").forUpdate().executeTakeFirstOrThrow());
    const s = { ...before, ...patch };
    const row = await trx
      .updateTable("distribution_settings")
      .set({
        auto_approve: s.autoApprove,
        binding_rule: s.bindingRule,
        binding_days: s.bindingDays,
        levels: s.levels,
        level1_rate_bp: s.level1RateBp,
        level2_rate_bp: s.level2RateBp,
        min_withdrawal: s.minWithdrawal,
        withdrawal_fee_bp: s.withdrawalFeeBp,
        updated_at: now,
      })
      .where("id", "=", "default")
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toSettings(row);
    await audit(trx, actor, { action: "distribution.settings", entity: "distribution_settings", entityId: "default", before, after }, now);
    return after;
  });
}

export interface CommissionRate {
  id: string;
  scope: "product" | "category";
  targetId: string;
  level: number;
  rateBp: number;
}

const toRate = (r: Selectable<DistributionTables["commission_rates"]>): CommissionRate => ({ id: r.id, scope: r.scope, targetId: r.target_id, level: r.level, rateBp: r.rate_bp });

/** Sets the rate of one product or category at one level (a product's rate beats its category's, which beats the default). */
export async function setRate(deps: Deps, actor: Actor, input: { scope: "product" | "category"; targetId: string; level: number; rateBp: number }): Promise<CommissionRate> {
  refuseBeyondTwoLevels(input.level, "level");
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("commission_rates")
      .values({ id: newId("crt"), scope: input.scope, target_id: input.targetId, level: input.level, rate_bp: input.rateBp, updated_at: now })
      .onConflict((oc) => oc.columns(["scope", "target_id", "level"]).doUpdateSet({ rate_bp: input.rateBp, updated_at: now }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: "distribution.rate.set", entity: "commission_rate", entityId: row.id, after: toRate(row) }, now);
    return toRate(row);
  });
}

export async function deleteRate(deps: Deps, actor: Actor, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom("commission_rates").where("id", "=", id).returningAll().executeTakeFirst();
    if (!row) throw notFound("commission rate");
    await audit(trx, actor, { action: "distribution.rate.delete", entity: "commission_rate", entityId: id, before: toRate(row) }, now);
  });
}

export async function listRates(db: Db): Promise<CommissionRate[]> {
  return (await db.selectFrom("commission_rates").selectAll().orderBy("scope").orderBy("target_id").orderBy("level").limit(1000).execute()).map(toRate);
}

/** The rate for a line at a level: its product's, else its category's, else the default. */
export async function rateResolver(db: Db, settings: DistributionSettings, lines: { productId: string; categoryId: string }[]): Promise<(line: { productId: string; categoryId: string }, level: number) => number> {
  const targets = [...new Set(lines.flatMap((l) => [l.productId, l.categoryId]))];
  const rows = targets.length ? await db.selectFrom("commission_rates").selectAll().where("target_id", "in", targets).execute() : [];
  const find = (scope: "product" | "category", id: string, level: number) => rows.find((r) => r.scope === scope && r.target_id === id && r.level === level)?.rate_bp;
  return (line, level) => find("product", line.productId, level) ?? find("category", line.categoryId, level) ?? (level === 1 ? settings.level1RateBp : settings.level2RateBp);
}
