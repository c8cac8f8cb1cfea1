import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound } from "../../platform/errors.js";
import { skusForSale } from "../catalog/catalog.service.js";
import type { Adjuster, Adjustment, PricingContext } from "../orders/pricing.js";
import { balance, userAccount } from "./ledger.js";
import type { RewardsTables } from "./rewards.tables.js";

type LevelRow = Selectable<RewardsTables["member_levels"]>;

/** A member level (会员等级), reached at a growth-value threshold, with its benefits. */
export interface Level {
  code: string;
  name: string;
  threshold: number;
  memberPrice: boolean;
  freeShipping: boolean;
}

const levelView = (r: LevelRow): Level => ({ code: r.code, name: r.name, threshold: r.threshold, memberPrice: r.member_price, freeShipping: r.free_shipping });

export async function listLevels(db: Db): Promise<Level[]> {
  return (await db.selectFrom("member_levels").selectAll().orderBy("threshold").execute()).map(levelView);
}

/** A user's level: the highest whose threshold their growth value has reached, and the next one up. */
export async function levelOf(db: Db, userId: string): Promise<{ level: Level; growth: number; next: Level | null }> {
  const [levels, growth] = await Promise.all([listLevels(db), balance(db, userAccount(userId, "available"), "growth")]);
  const reached = levels.filter((l) => l.threshold <= growth);
  return { level: reached[reached.length - 1], growth, next: levels.find((l) => l.threshold > growth) ?? null };
}

export async function updateLevel(deps: Deps, code: string, patch: Partial<Omit<Level, "code">>, actor: Actor): Promise<Level> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("member_levels").selectAll().where("code", "=", code).forUpdate().executeTakeFirst();
    if (!before) throw notFound("member level");
    if (patch.threshold !== undefined && before.threshold === 0 && patch.threshold !== 0) throw conflict("base_level", "the entry level starts at 0 growth value");
    const clash = patch.threshold !== undefined && (await trx.selectFrom("member_levels").select("code").where("threshold", "=", patch.threshold).where("code", "<>", code).executeTakeFirst());
    if (clash) throw conflict("threshold_taken", `level ${clash.code} already starts at ${patch.threshold}`);
    const after: LevelRow = {
      ...before,
      name: patch.name ?? before.name,
      threshold: patch.threshold ?? before.threshold,
      member_price: patch.memberPrice ?? before.member_price,
      free_shipping: patch.freeShipping ?? before.free_shipping,
      updated_at: now,
    };
    await trx.updateTable("member_levels").set({ name: after.name, threshold: after.threshold, member_price: after.member_price, free_shipping: after.free_shipping, updated_at: now }).where("code", "=", code).execute();
    await audit(trx, actor, { action: "member_level.update", entity: "member_level", entityId: code, before: levelView(before), after: levelView(after) }, now);
    return levelView(after);
  });
}

/** One level lookup per checkout, shared by every merchant part. */
const levelCache = new WeakMap<PricingContext, Promise<Level>>();

/**
 * Member benefits at checkout: member prices (the catalog's member price lists) from the levels that
 * have them, and free shipping from those that have it.
 */
export function memberAdjuster(deps: Deps): Adjuster {
  return {
    name: "member",
    async adjust(part, ctx) {
      if (!levelCache.has(ctx)) levelCache.set(ctx, levelOf(deps.db, ctx.userId).then((l) => l.level));
      const level = await levelCache.get(ctx)!;
      const out: Adjustment[] = [];
      if (level.memberPrice) {
        const member = await skusForSale(deps.db, part.lines.map((l) => ({ skuId: l.sku.skuId, qty: l.qty })), { member: true, channel: ctx.channel });
        const saving = part.lines.reduce((s, l) => s + Math.max(0, l.lineTotal - (member.get(l.sku.skuId)?.price ?? l.sku.price) * l.qty), 0);
        if (saving > 0) out.push({ type: "member_price", label: `${level.name}价`, amount: -saving });
      }
      if (level.freeShipping) {
        const shipping = part.adjustments.filter((a) => a.type === "shipping" || a.type === "free_shipping").reduce((s, a) => s + a.amount, 0);
        if (shipping > 0) out.push({ type: "free_shipping", label: `${level.name}包邮`, amount: -shipping });
      }
      return out;
    },
  };
}
