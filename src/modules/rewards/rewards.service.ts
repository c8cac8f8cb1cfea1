import { type Selectable, sql } from "kysely";
import type { Deps } from "../../deps.js";
import { DAY, MINUTE, formatInDisplayZone } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound, unprocessable } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { schedule } from "../../platform/jobs/jobs.js";
import { issueCoupon } from "../coupons/coupons.service.js";
import { enqueueReview, hitVelocity, isSelfReferral, needsReview, scoreReward, settings } from "../risk/risk.service.js";
import { budgetAccount, post, userAccount } from "./ledger.js";
import { type RewardEvent, type RewardStatus, nextRewardStatus } from "./reward-machine.js";
import { type Beneficiary, budgetKey, TRIGGERS, type Trigger } from "./reward-rules.js";
import type { RewardsTables } from "./rewards.tables.js";

type RewardRow = Selectable<RewardsTables["rewards"]>;
type RuleRow = Selectable<RewardsTables["reward_rules"]>;

export const JOB_EXPIRE = "reward.expire";

/** Where a reward's value sits in each state: the user's buckets while it lives, the rule's budget once it ends. */
function accountOf(reward: Pick<RewardRow, "user_id" | "rule_id">, status: RewardStatus): string {
  if (status === "pending" || status === "flagged") return userAccount(reward.user_id, "pending");
  if (status === "available") return userAccount(reward.user_id, "claimable");
  if (status === "claimed") return userAccount(reward.user_id, "available");
  return budgetAccount(reward.rule_id);
}

const RETURNED: readonly RewardStatus[] = ["cancelled", "expired", "rejected"];

async function moveValue(trx: Db, reward: RewardRow, from: string, to: string, amount: number, key: string, now: Date): Promise<void> {
  if (reward.kind === "coupon" || amount === 0 || from === to) return;
  await post(trx, { key, causeType: "reward", causeId: reward.id, lines: [{ account: from, currency: reward.kind, amount: -amount }, { account: to, currency: reward.kind, amount }] }, now);
}

/** Gives budget (and campaign allowance) back when value returns from a user. */
async function giveBack(trx: Db, reward: RewardRow, amount: number): Promise<void> {
  const keys = [budgetKey(reward.rule_id), ...(reward.campaign_id ? [`campaign:${reward.campaign_id}:${reward.kind}`] : [])];
  await trx.updateTable("reward_counters").set((eb) => ({ used: eb("used", "-", amount) })).where("key", "in", keys).execute();
}

type StatColumn = "issued" | "claimed" | "expired" | "cancelled" | "rejected";
async function count(trx: Db, ruleId: string, column: StatColumn, amount: number): Promise<void> {
  await sql`update reward_rule_stats set ${sql.ref(`${column}_count`)} = ${sql.ref(`${column}_count`)} + 1, ${sql.ref(`${column}_amount`)} = ${sql.ref(`${column}_amount`)} + ${amount} where rule_id = ${ruleId}`.execute(trx);
}
async function bump(trx: Db, ruleId: string, column: "flagged_count" | "blocked_count" | "capped_count" | "reduced_amount", by = 1): Promise<void> {
  await sql`update reward_rule_stats set ${sql.ref(column)} = ${sql.ref(column)} + ${by} where rule_id = ${ruleId}`.execute(trx);
}

async function history(trx: Db, reward: RewardRow, event: string, from: RewardStatus | null, to: RewardStatus, amount: number, causeId: string | null, now: Date) {
  await trx.insertInto("reward_events").values({ id: newId("rev"), reward_id: reward.id, event, from_status: from, to_status: to, amount, cause_id: causeId, at: now }).execute();
}

/**
 * Moves a reward along the machine with a conditional update on its status, moves its value in the
 * ledger between the accounts of the two states, keeps the rule's stats and publishes `reward.<state>`.
 */
async function move(deps: Deps, trx: Db, reward: RewardRow, event: RewardEvent, now: Date, causeId: string | null = null): Promise<RewardRow> {
  const to = nextRewardStatus(reward.status, event, reward.held);
  const rule = await trx.selectFrom("reward_rules").selectAll().where("id", "=", reward.rule_id).executeTakeFirstOrThrow();
  const changes: Partial<RewardRow> = { status: to, updated_at: now };
  if (to === "available") {
    changes.available_at = now;
    changes.claim_deadline = rule.claim_days ? new Date(now.getTime() + rule.claim_days * DAY) : null;
  }
  if (to === "claimed") {
    changes.claimed_at = now;
    if (reward.kind === "coupon") {
      const coupon = await deliverCoupon(trx, reward, rule, now);
      if (!coupon) throw unprocessable("coupon_unavailable", "the coupon this reward gives is not available now; try again before the claim deadline");
      changes.coupon_id = coupon;
    }
  }
  if (RETURNED.includes(to)) changes.ended_at = now;
  const updated = await trx.updateTable("rewards").set(changes).where("id", "=", reward.id).where("status", "=", reward.status).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict("reward_changed", "the reward changed meanwhile; reload it", { rewardId: reward.id });
  const after = { ...reward, ...changes } as RewardRow;
  await moveValue(trx, reward, accountOf(reward, reward.status), accountOf(reward, to), reward.amount, `reward:${reward.id}:${event}`, now);
  if (RETURNED.includes(to)) await giveBack(trx, reward, reward.amount);
  if (to === "claimed" || RETURNED.includes(to)) await count(trx, reward.rule_id, to as StatColumn, reward.amount);
  await history(trx, reward, event, reward.status, to, reward.amount, causeId, now);
  await publish(trx, `reward.${to}`, reward.id, { rewardId: reward.id, ruleId: reward.rule_id, userId: reward.user_id, kind: reward.kind, amount: reward.amount, from: reward.status, to }, now);
  return to === "available" ? afterAvailable(deps, trx, after, rule, now) : after;
}

/** A coupon reward is paid by issuing one coupon of the rule's template (once per reward: the key is the reward). */
async function deliverCoupon(trx: Db, reward: RewardRow, rule: RuleRow, now: Date): Promise<string | null> {
  const issued = await issueCoupon(trx, { templateId: rule.coupon_template_id!, userId: reward.user_id, key: `reward:${reward.id}`, reason: `reward ${rule.id}` }, now);
  return issued?.couponId ?? null;
}

/**
 * An available reward is claimed at once when its rule says so (a coupon that cannot be issued now
 * stays claimable instead); otherwise, or then, its claim deadline is put on the clock.
 */
async function afterAvailable(deps: Deps, trx: Db, reward: RewardRow, rule: RuleRow, now: Date): Promise<RewardRow> {
  if (rule.auto_claim && (reward.kind !== "coupon" || (await deliverCoupon(trx, reward, rule, now)))) return move(deps, trx, reward, "claim", now);
  if (reward.claim_deadline) await schedule(trx, { type: JOB_EXPIRE, runAt: reward.claim_deadline, payload: { rewardId: reward.id }, key: `${JOB_EXPIRE}:${reward.id}` }, now);
  return reward;
}

/** Raises a cap counter by n unless that would pass the cap. */
async function take(trx: Db, key: string, n: number, cap: number): Promise<boolean> {
  if (n > cap) return false;
  const res = await sql`insert into reward_counters (key, used) values (${key}, ${n})
    on conflict (key) do update set used = reward_counters.used + ${n} where reward_counters.used + ${n} <= ${cap}`.execute(trx);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/** Takes room under every cap that applies (rule budget, per user, per day, per user per day, campaign); all or none. */
async function takeCaps(trx: Db, rule: RuleRow, userId: string, amount: number, now: Date): Promise<boolean> {
  const day = formatInDisplayZone(now).slice(0, 10);
  const caps: Array<[string, number]> = [[budgetKey(rule.id), rule.budget]];
  if (rule.cap_per_user) caps.push([`rule:${rule.id}:user:${userId}`, rule.cap_per_user]);
  if (rule.cap_per_day) caps.push([`rule:${rule.id}:day:${day}`, rule.cap_per_day]);
  if (rule.cap_per_user_per_day) caps.push([`rule:${rule.id}:user:${userId}:day:${day}`, rule.cap_per_user_per_day]);
  if (rule.campaign_id) {
    const campaign = await trx.selectFrom("reward_campaign_caps").select("cap").where("campaign_id", "=", rule.campaign_id).where("unit", "=", rule.reward_kind).executeTakeFirst();
    if (campaign) caps.push([`campaign:${rule.campaign_id}:${rule.reward_kind}`, campaign.cap]);
  }
  for (const [key, cap] of caps) if (!(await take(trx, key, amount, cap))) return false;
  return true;
}

/** Something that happened that rules may pay on: the trigger, the event behind it and who took part. */
export interface Cause {
  trigger: Trigger;
  eventId: string;
  /** What makes two causes the same (the invitee, the order): with the rule and beneficiary, the reward's unique key. */
  subjectId: string;
  parties: Partial<Record<Beneficiary, string>>;
  orderId?: string;
  /** The order's payable, for rules that pay a share of it. */
  payable?: number;
  campaignId?: string | null;
}

/** Who brought about a reward for each beneficiary: self-referral and risk compare the two. */
const COUNTERPART: Record<Beneficiary, Beneficiary | null> = { inviter: "invitee", invitee: "inviter", sharer: "buyer", buyer: "sharer" };

/**
 * Issues what every matching active rule pays for a cause: at most once per (rule, beneficiary,
 * subject) by a unique key, within every cap, nothing for a self-referral, and through risk review
 * when the score says so. Runs in the caller's (event handler's) transaction.
 */
export async function issueRewards(deps: Deps, trx: Db, cause: Cause, now: Date): Promise<RewardRow[]> {
  const rules = await trx
    .selectFrom("reward_rules")
    .selectAll()
    .where("trigger", "=", cause.trigger)
    .where("status", "=", "active")
    .where((eb) => eb.or([eb("campaign_id", "is", null), ...(cause.campaignId ? [eb("campaign_id", "=", cause.campaignId)] : [])]))
    .orderBy("id")
    .execute();
  const issued: RewardRow[] = [];
  const windowClosed = cause.orderId
    ? ((await trx.selectFrom("reward_orders").select("window_closed").where("order_id", "=", cause.orderId).executeTakeFirst())?.window_closed ?? false)
    : false;
  for (const rule of rules) {
    if ((rule.starts_at && rule.starts_at > now) || (rule.ends_at && rule.ends_at <= now)) continue;
    const userId = cause.parties[rule.beneficiary];
    if (!userId) continue;
    const counterpart = COUNTERPART[rule.beneficiary];
    const sourceUserId = (counterpart && cause.parties[counterpart]) || null;
    const amount = rule.reward_kind === "coupon" ? 1 : rule.rate_bps ? Math.floor(((cause.payable ?? 0) * rule.rate_bps) / 10000) : rule.amount;
    if (amount <= 0) continue;
    const causeKey = `${rule.id}:${rule.beneficiary}:${cause.subjectId}`;
    if (sourceUserId && (await isSelfReferral(trx, { userId }, { userId: sourceUserId }))) {
      const seen = await trx.selectFrom("rewards").select("id").where("cause_key", "=", causeKey).executeTakeFirst();
      if (!seen) await bump(trx, rule.id, "blocked_count");
      continue;
    }
    const held = TRIGGERS[rule.trigger].orderBased && !windowClosed;
    const reward: RewardRow = {
      id: newId("rwd"),
      rule_id: rule.id,
      user_id: userId,
      kind: rule.reward_kind,
      amount,
      original_amount: amount,
      proportional: rule.rate_bps !== null,
      coupon_id: null,
      status: held ? "pending" : "available",
      held,
      cause_event_id: cause.eventId,
      cause_key: causeKey,
      order_id: cause.orderId ?? null,
      source_user_id: sourceUserId,
      campaign_id: rule.campaign_id,
      risk_score: null,
      risk_reasons: null,
      claim_deadline: null,
      created_at: now,
      available_at: null,
      claimed_at: null,
      ended_at: null,
      updated_at: now,
    };
    // The same cause delivered again (a replayed or duplicated event) stops here: the key is unique.
    await sql`savepoint reward_issue`.execute(trx);
    const inserted = await trx.insertInto("rewards").values(reward).onConflict((oc) => oc.column("cause_key").doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      await sql`release savepoint reward_issue`.execute(trx);
      continue;
    }
    if (!(await takeCaps(trx, rule, userId, amount, now))) {
      await sql`rollback to savepoint reward_issue`.execute(trx);
      await bump(trx, rule.id, "capped_count");
      continue;
    }
    await sql`release savepoint reward_issue`.execute(trx);
    const risk = await scoreReward(trx, { beneficiaryId: userId, sourceUserId, kind: rule.reward_kind, amount }, now);
    const flagged = await needsReview(trx, risk.score);
    const status: RewardStatus = flagged ? "flagged" : reward.status;
    const available = status === "available";
    const scored = {
      status,
      risk_score: risk.score,
      risk_reasons: risk.reasons,
      available_at: available ? now : null,
      claim_deadline: available && rule.claim_days ? new Date(now.getTime() + rule.claim_days * DAY) : null,
    };
    await trx.updateTable("rewards").set(scored).where("id", "=", reward.id).execute();
    const row: RewardRow = { ...reward, ...scored };
    await moveValue(trx, row, budgetAccount(rule.id), accountOf(row, status), amount, `reward:${row.id}:issue`, now);
    await count(trx, rule.id, "issued", amount);
    await history(trx, row, "issue", null, status, amount, cause.eventId, now);
    await publish(trx, "reward.issued", row.id, { rewardId: row.id, ruleId: rule.id, userId, kind: row.kind, amount, status, orderId: row.order_id }, now);
    if (flagged) {
      await bump(trx, rule.id, "flagged_count");
      await enqueueReview(trx, { subjectType: "reward", subjectId: row.id, score: risk.score, reasons: risk.reasons }, now);
    }
    issued.push(available ? await afterAvailable(deps, trx, row, rule, now) : row);
  }
  return issued;
}

async function rewardsOfOrder(trx: Db, orderId: string, statuses: RewardStatus[]): Promise<RewardRow[]> {
  return trx.selectFrom("rewards").selectAll().where("order_id", "=", orderId).where("status", "in", statuses).orderBy("id").forUpdate().execute();
}

/** The order can no longer be refunded: its held rewards become available (flagged ones stay with review). */
export async function releaseOrderRewards(deps: Deps, trx: Db, orderId: string, eventId: string, now: Date): Promise<void> {
  await trx.updateTable("rewards").set({ held: false, updated_at: now }).where("order_id", "=", orderId).where("held", "=", true).execute();
  for (const reward of await rewardsOfOrder(trx, orderId, ["pending"])) await move(deps, trx, { ...reward, held: false }, "release", now, eventId);
}

/** The order was refunded in full: every reward still waiting on it is cancelled back to its budget. */
export async function cancelOrderRewards(deps: Deps, trx: Db, orderId: string, eventId: string, now: Date): Promise<void> {
  for (const reward of await rewardsOfOrder(trx, orderId, ["pending", "flagged", "available"])) await move(deps, trx, reward, "cancel", now, eventId);
}

/**
 * Part of the order was refunded: a reward that is a share of the order shrinks to the same share of
 * what is still paid (rounded down to the unit), the difference going back to the budget.
 */
export async function reduceOrderRewards(trx: Db, input: { orderId: string; refundId: string; payable: number; refunded: number }, now: Date): Promise<void> {
  // Refunded in full: order.closed cancels the rewards whole.
  if (input.refunded >= input.payable) return;
  const rewards = (await rewardsOfOrder(trx, input.orderId, ["pending", "flagged"])).filter((r) => r.proportional);
  for (const reward of rewards) {
    const rule = await trx.selectFrom("reward_rules").select("rate_bps").where("id", "=", reward.rule_id).executeTakeFirstOrThrow();
    const target = Math.floor((Math.max(0, input.payable - input.refunded) * (rule.rate_bps ?? 0)) / 10000);
    const cut = reward.amount - target;
    if (cut <= 0) continue;
    await trx.updateTable("rewards").set({ amount: target, updated_at: now }).where("id", "=", reward.id).execute();
    await moveValue(trx, reward, accountOf(reward, reward.status), budgetAccount(reward.rule_id), cut, `reward:${reward.id}:reduce:${input.refundId}`, now);
    await giveBack(trx, reward, cut);
    await bump(trx, reward.rule_id, "reduced_amount", cut);
    await history(trx, reward, "reduce", reward.status, reward.status, -cut, input.refundId, now);
  }
}

/** Risk review decided on a flagged reward. */
export async function applyReview(deps: Deps, trx: Db, rewardId: string, decision: "approved" | "rejected", eventId: string, now: Date): Promise<void> {
  const reward = await trx.selectFrom("rewards").selectAll().where("id", "=", rewardId).forUpdate().executeTakeFirst();
  if (!reward || reward.status !== "flagged") return;
  await move(deps, trx, reward, decision === "approved" ? "approve" : "reject", now, eventId);
}

/** The claim deadline passed: an unclaimed reward expires back to its budget. */
export async function expireReward(deps: Deps, trx: Db, rewardId: string, now: Date): Promise<void> {
  const reward = await trx.selectFrom("rewards").selectAll().where("id", "=", rewardId).forUpdate().executeTakeFirst();
  if (reward?.status === "available") await move(deps, trx, reward, "expire", now);
}

export interface RewardView {
  id: string;
  ruleId: string;
  kind: string;
  amount: number;
  status: RewardStatus;
  orderId: string | null;
  claimDeadline: Date | null;
  createdAt: Date;
  availableAt: Date | null;
  claimedAt: Date | null;
}

const rewardView = (r: RewardRow): RewardView => ({
  id: r.id,
  ruleId: r.rule_id,
  kind: r.kind,
  amount: r.amount,
  status: r.status,
  orderId: r.order_id,
  claimDeadline: r.claim_deadline,
  createdAt: r.created_at,
  availableAt: r.available_at,
  claimedAt: r.claimed_at,
});

/** Claims one of my available rewards; claiming a claimed one again returns it unchanged. */
export async function claimReward(deps: Deps, userId: string, rewardId: string): Promise<RewardView> {
  const limits = await settings(deps.db);
  await hitVelocity(deps, `claim:user:${userId}`, limits.claims_per_user_minute, MINUTE);
  const now = deps.clock.now();
  const claimed = await deps.db.transaction().execute(async (trx) => {
    const reward = await trx.selectFrom("rewards").selectAll().where("id", "=", rewardId).forUpdate().executeTakeFirst();
    if (!reward || reward.user_id !== userId) throw notFound("reward");
    if (reward.status === "claimed") return reward;
    return move(deps, trx, reward, "claim", now);
  });
  deps.events.poke();
  return rewardView(claimed);
}

type Totals = Record<"points" | "cash" | "growth" | "coupon", number>;
const zero = (): Totals => ({ points: 0, cash: 0, growth: 0, coupon: 0 });

/** My rewards, newest first, with totals per state and kind. */
export async function myRewards(db: Db, userId: string, q: { status?: RewardStatus; limit: number; after?: string }) {
  let query = db.selectFrom("rewards").selectAll().where("user_id", "=", userId).orderBy("id", "desc").limit(q.limit + 1);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const sums = await db
    .selectFrom("rewards")
    .select(["status", "kind", (eb) => eb.fn.sum<number>("amount").as("total")])
    .where("user_id", "=", userId)
    .where("status", "in", ["pending", "flagged", "available", "claimed"])
    .groupBy(["status", "kind"])
    .execute();
  const totals = { pending: zero(), available: zero(), claimed: zero() };
  for (const s of sums) totals[s.status === "flagged" ? "pending" : (s.status as keyof typeof totals)][s.kind] += Number(s.total);
  const items = rows.slice(0, q.limit).map(rewardView);
  return { totals, items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}
