import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { balance, budgetAccount, type Currency, post } from "./ledger.js";
import type { RewardsTables } from "./rewards.tables.js";

/**
 * The fission paths a reward rule can pay on (裂变奖励), as data: the event that triggers it, who can be
 * the beneficiary, and whether the reward waits for the order's after-sales window.
 */
export const TRIGGERS = {
  invitee_registered: { on: "referral.bound", beneficiaries: ["inviter", "invitee"], orderBased: false, doc: "a new user is bound to their inviter" },
  invitee_first_order_completed: {
    on: "order.completed",
    beneficiaries: ["inviter", "invitee"],
    orderBased: true,
    doc: "an invited user's first order is received (held until its after-sales window closes)",
  },
  share_order_paid: { on: "order.attributed + order.paid", beneficiaries: ["sharer", "buyer"], orderBased: true, doc: "an order that came through a share is paid (held until its after-sales window closes)" },
  order_completed: { on: "order.completed", beneficiaries: ["buyer"], orderBased: true, doc: "any order is received (held until its after-sales window closes)" },
} as const;
export type Trigger = keyof typeof TRIGGERS;
export type Beneficiary = "inviter" | "invitee" | "sharer" | "buyer";
export type RewardKind = Currency | "coupon";
export const REWARD_KINDS: readonly RewardKind[] = ["points", "cash", "growth", "coupon"];

type RuleRow = Selectable<RewardsTables["reward_rules"]>;

export interface RuleInput {
  name: string;
  campaignId?: string | null;
  trigger: Trigger;
  beneficiary: Beneficiary;
  rewardKind: RewardKind;
  /** Fixed reward in the kind's unit (points, fen, growth; 1 for a coupon). */
  amount?: number;
  /** Instead of a fixed amount: this share of the order's payable, in basis points (order triggers only). */
  rateBps?: number | null;
  couponTemplateId?: string | null;
  /** Total the rule may ever pay, in the kind's unit (coupons: how many). */
  budget: number;
  capPerUser?: number | null;
  capPerUserPerDay?: number | null;
  capPerDay?: number | null;
  /** Days an available reward can be claimed before it expires back to the budget; none: no deadline. */
  claimDays?: number | null;
  autoClaim?: boolean;
  startsAt?: string | null;
  endsAt?: string | null;
}

export type RulePatch = Partial<Pick<RuleInput, "name" | "budget" | "capPerUser" | "capPerUserPerDay" | "capPerDay" | "claimDays" | "autoClaim" | "endsAt">> & { status?: "active" | "paused" };

export interface RuleView {
  id: string;
  name: string;
  campaignId: string | null;
  trigger: Trigger;
  beneficiary: Beneficiary;
  rewardKind: RewardKind;
  amount: number;
  rateBps: number | null;
  couponTemplateId: string | null;
  budget: number;
  capPerUser: number | null;
  capPerUserPerDay: number | null;
  capPerDay: number | null;
  claimDays: number | null;
  autoClaim: boolean;
  startsAt: Date | null;
  endsAt: Date | null;
  status: "active" | "paused";
  createdAt: Date;
  updatedAt: Date;
}

export const ruleView = (r: RuleRow): RuleView => ({
  id: r.id,
  name: r.name,
  campaignId: r.campaign_id,
  trigger: r.trigger,
  beneficiary: r.beneficiary,
  rewardKind: r.reward_kind,
  amount: r.amount,
  rateBps: r.rate_bps,
  couponTemplateId: r.coupon_template_id,
  budget: r.budget,
  capPerUser: r.cap_per_user,
  capPerUserPerDay: r.cap_per_user_per_day,
  capPerDay: r.cap_per_day,
  claimDays: r.claim_days,
  autoClaim: r.auto_claim,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function validate(input: RuleInput): void {
  const trigger = TRIGGERS[input.trigger];
  if (!(trigger.beneficiaries as readonly string[]).includes(input.beneficiary)) {
    throw invalidField("beneficiary", `${input.trigger} pays one of: ${trigger.beneficiaries.join(", ")}`);
  }
  if (input.rewardKind === "coupon") {
    if (!input.couponTemplateId) throw invalidField("couponTemplateId", "a coupon reward names the coupon template to issue");
    if (input.rateBps) throw invalidField("rateBps", "a coupon reward is one coupon, not a share of the order");
  } else if (input.couponTemplateId) {
    throw invalidField("couponTemplateId", "only a coupon reward names a coupon template");
  }
  if (input.rateBps) {
    if (!trigger.orderBased) throw invalidField("rateBps", `${input.trigger} has no order to take a share of`);
    if (input.amount) throw invalidField("amount", "give either a fixed amount or rateBps, not both");
  } else if (input.rewardKind !== "coupon" && !input.amount) {
    throw invalidField("amount", "give a fixed amount (or rateBps for an order-based rule)");
  }
  if (input.startsAt && input.endsAt && new Date(input.endsAt) <= new Date(input.startsAt)) throw invalidField("endsAt", "must be after startsAt");
}

const budgetKey = (ruleId: string) => `rule:${ruleId}:budget`;

/** Moves budget into (or back out of) the rule's ledger account, for the kinds the ledger holds. */
async function fund(trx: Db, rule: { id: string; reward_kind: RewardKind }, delta: number, causeId: string, now: Date): Promise<void> {
  if (rule.reward_kind === "coupon" || delta === 0) return;
  await post(
    trx,
    {
      key: `rule.fund:${rule.id}:${causeId}`,
      causeType: "reward_rule",
      causeId: rule.id,
      memo: delta > 0 ? "budget allocated" : "budget withdrawn",
      lines: [
        { account: "platform:reward_budgets", currency: rule.reward_kind, amount: -delta },
        { account: budgetAccount(rule.id), currency: rule.reward_kind, amount: delta },
      ],
    },
    now,
  );
}

export async function createRule(deps: Deps, input: RuleInput, actor: Actor): Promise<RuleView> {
  validate(input);
  const now = deps.clock.now();
  const row: RuleRow = {
    id: newId("rwr"),
    name: input.name,
    campaign_id: input.campaignId ?? null,
    trigger: input.trigger,
    beneficiary: input.beneficiary,
    reward_kind: input.rewardKind,
    amount: input.rewardKind === "coupon" ? 1 : (input.amount ?? 0),
    rate_bps: input.rateBps ?? null,
    coupon_template_id: input.couponTemplateId ?? null,
    budget: input.budget,
    cap_per_user: input.capPerUser ?? null,
    cap_per_user_per_day: input.capPerUserPerDay ?? null,
    cap_per_day: input.capPerDay ?? null,
    claim_days: input.claimDays ?? null,
    auto_claim: input.autoClaim ?? false,
    starts_at: input.startsAt ? new Date(input.startsAt) : null,
    ends_at: input.endsAt ? new Date(input.endsAt) : null,
    status: "active",
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto("reward_rules").values(row).execute();
    await trx.insertInto("reward_rule_stats").values({ rule_id: row.id }).execute();
    await fund(trx, row, row.budget, "create", now);
    await audit(trx, actor, { action: "reward_rule.create", entity: "reward_rule", entityId: row.id, after: ruleView(row) }, now);
  });
  return ruleView(row);
}

export async function updateRule(deps: Deps, id: string, patch: RulePatch, actor: Actor): Promise<RuleView> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("reward_rules").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) throw notFound("reward rule");
    if (patch.budget !== undefined) {
      const committed = await counterUsed(trx, budgetKey(id));
      if (patch.budget < committed) throw invalidField("budget", `at least ${committed}: that much is already issued or held`);
    }
    const after: RuleRow = {
      ...before,
      name: patch.name ?? before.name,
      budget: patch.budget ?? before.budget,
      cap_per_user: patch.capPerUser === undefined ? before.cap_per_user : patch.capPerUser,
      cap_per_user_per_day: patch.capPerUserPerDay === undefined ? before.cap_per_user_per_day : patch.capPerUserPerDay,
      cap_per_day: patch.capPerDay === undefined ? before.cap_per_day : patch.capPerDay,
      claim_days: patch.claimDays === undefined ? before.claim_days : patch.claimDays,
      auto_claim: patch.autoClaim ?? before.auto_claim,
      ends_at: patch.endsAt === undefined ? before.ends_at : patch.endsAt ? new Date(patch.endsAt) : null,
      status: patch.status ?? before.status,
      updated_at: now,
    };
    const { id: _id, created_at: _c, ...changes } = after;
    await trx.updateTable("reward_rules").set(changes).where("id", "=", id).execute();
    await fund(trx, after, after.budget - before.budget, `update:${newId("chg")}`, now);
    await audit(trx, actor, { action: "reward_rule.update", entity: "reward_rule", entityId: id, before: ruleView(before), after: ruleView(after) }, now);
    return ruleView(after);
  });
}

export async function getRule(db: Db, id: string): Promise<RuleView> {
  const row = await db.selectFrom("reward_rules").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("reward rule");
  return ruleView(row);
}

export async function listRules(db: Db, q: { trigger?: Trigger; status?: "active" | "paused"; campaignId?: string; limit: number; after?: string }) {
  let query = db.selectFrom("reward_rules").selectAll().orderBy("id").limit(q.limit + 1);
  if (q.trigger) query = query.where("trigger", "=", q.trigger);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.campaignId) query = query.where("campaign_id", "=", q.campaignId);
  if (q.after) query = query.where("id", ">", q.after);
  const rows = (await query.execute()).map(ruleView);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

async function counterUsed(db: Db, key: string): Promise<number> {
  return (await db.selectFrom("reward_counters").select("used").where("key", "=", key).executeTakeFirst())?.used ?? 0;
}

/** Per rule: how many rewards were issued, claimed, expired, cancelled, and what they cost against the budget. */
export async function ruleStats(db: Db, id: string) {
  const rule = await getRule(db, id);
  const s = await db.selectFrom("reward_rule_stats").selectAll().where("rule_id", "=", id).executeTakeFirstOrThrow();
  const committed = await counterUsed(db, budgetKey(id));
  const left = rule.rewardKind === "coupon" ? rule.budget - committed : await balance(db, budgetAccount(id), rule.rewardKind);
  return {
    ruleId: id,
    unit: rule.rewardKind,
    budget: rule.budget,
    /** Issued and not returned (cancelled, expired, rejected and refund reductions go back to the budget). */
    committed,
    remaining: left,
    issued: { count: s.issued_count, amount: s.issued_amount },
    claimed: { count: s.claimed_count, amount: s.claimed_amount },
    expired: { count: s.expired_count, amount: s.expired_amount },
    cancelled: { count: s.cancelled_count, amount: s.cancelled_amount },
    rejected: { count: s.rejected_count, amount: s.rejected_amount },
    reducedByRefunds: s.reduced_amount,
    flaggedForReview: s.flagged_count,
    blockedSelfReferrals: s.blocked_count,
    refusedByCaps: s.capped_count,
  };
}

export async function setCampaignCaps(deps: Deps, campaignId: string, caps: Partial<Record<RewardKind, number | null>>, actor: Actor) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = await campaignCaps(trx, campaignId);
    for (const unit of REWARD_KINDS) {
      const cap = caps[unit];
      if (cap === undefined) continue;
      if (cap === null) await trx.deleteFrom("reward_campaign_caps").where("campaign_id", "=", campaignId).where("unit", "=", unit).execute();
      else
        await trx
          .insertInto("reward_campaign_caps")
          .values({ campaign_id: campaignId, unit, cap })
          .onConflict((oc) => oc.columns(["campaign_id", "unit"]).doUpdateSet({ cap }))
          .execute();
    }
    const after = await campaignCaps(trx, campaignId);
    await audit(trx, actor, { action: "reward_campaign.caps", entity: "reward_campaign", entityId: campaignId, before, after }, now);
    return after;
  });
}

export async function campaignCaps(db: Db, campaignId: string) {
  const rows = await db.selectFrom("reward_campaign_caps").select(["unit", "cap"]).where("campaign_id", "=", campaignId).execute();
  const used = await db.selectFrom("reward_counters").select(["key", "used"]).where("key", "in", REWARD_KINDS.map((u) => `campaign:${campaignId}:${u}`)).execute();
  return {
    campaignId,
    caps: Object.fromEntries(rows.map((r) => [r.unit, { cap: r.cap, used: used.find((u) => u.key === `campaign:${campaignId}:${r.unit}`)?.used ?? 0 }])),
  };
}

export { budgetKey };
