import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import type { AttributionRule } from "./sharing.tables.js";

/** How registrations and orders are matched to shares. */
export interface AttributionSettings {
  /** A share touch counts for this many days before the registration or order. */
  windowDays: number;
  /** last_touch: the most recent touch wins; first_touch: the earliest touch within the window wins. */
  rule: AttributionRule;
  /** Clicks by one visitor on one share within this many hours are one visit. */
  visitDedupeHours: number;
}

const intOr = (value: string | undefined, fallback: number) => (value && Number.isInteger(Number(value)) ? Number(value) : fallback);

/**
 * Defaults until an operator saves settings: SHARE_ATTRIBUTION_WINDOW_DAYS (7),
 * SHARE_ATTRIBUTION_RULE (last_touch), SHARE_VISIT_DEDUPE_HOURS (24).
 */
export function defaultSettings(env: NodeJS.ProcessEnv = process.env): AttributionSettings {
  return {
    windowDays: intOr(env.SHARE_ATTRIBUTION_WINDOW_DAYS, 7),
    rule: env.SHARE_ATTRIBUTION_RULE === "first_touch" ? "first_touch" : "last_touch",
    visitDedupeHours: intOr(env.SHARE_VISIT_DEDUPE_HOURS, 24),
  };
}

export async function attributionSettings(db: Db): Promise<AttributionSettings> {
  const row = await db.selectFrom("sharing_settings").selectAll().executeTakeFirst();
  return row ? { windowDays: row.window_days, rule: row.rule, visitDedupeHours: row.visit_dedupe_hours } : defaultSettings();
}

/** Operators change the window and rule; new registrations and orders use them from then on. */
export async function saveAttributionSettings(trx: Db, actor: Actor, patch: Partial<AttributionSettings>, now: Date): Promise<AttributionSettings> {
  const before = await attributionSettings(trx);
  const after = { ...before, ...patch };
  const row = { id: true, window_days: after.windowDays, rule: after.rule, visit_dedupe_hours: after.visitDedupeHours, updated_at: now };
  await trx
    .insertInto("sharing_settings")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet({ window_days: row.window_days, rule: row.rule, visit_dedupe_hours: row.visit_dedupe_hours, updated_at: now }))
    .execute();
  await audit(trx, actor, { action: "sharing.settings_changed", entity: "sharing_settings", entityId: null, before, after }, now);
  return after;
}
