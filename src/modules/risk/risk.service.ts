import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import { DAY, HOUR } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound, tooManyRequests } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { sharePayer } from "../payments/payments.service.js";
import type { ReviewStatus, ReviewSubject } from "./risk.tables.js";

export type RiskSetting =
  | "review_threshold"
  | "registrations_per_device_hour"
  | "registrations_per_ip_hour"
  | "claims_per_user_minute"
  | "rewards_per_user_day"
  | "large_cash_fen";

/** What each reason adds to a reward's score (0–100, capped). */
export const REASON_WEIGHTS = {
  self_referral: 100,
  registration_burst: 40,
  shared_device: 40,
  reward_velocity: 30,
  large_cash: 20,
} as const;
export type RiskReason = keyof typeof REASON_WEIGHTS;

/** Devices shared by this many accounts or more count as a farm. */
const SHARED_DEVICE_ACCOUNTS = 3;

export async function settings(db: Db): Promise<Record<RiskSetting, number>> {
  const rows = await db.selectFrom("risk_settings").select(["key", "value"]).execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value])) as Record<RiskSetting, number>;
}

export async function listSettings(db: Db) {
  return db.selectFrom("risk_settings").select(["key", "value", "description"]).orderBy("key").execute();
}

export async function changeSetting(deps: Deps, key: string, value: number, actor: Actor) {
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("risk_settings").select(["key", "value"]).where("key", "=", key).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`risk setting ${key}`);
    await trx.updateTable("risk_settings").set({ value }).where("key", "=", key).execute();
    await audit(trx, actor, { action: "risk.setting.change", entity: "risk_setting", entityId: key, before, after: { key, value } }, deps.clock.now());
    return { key, value };
  });
}

/** Records how a consumer arrived (from user.registered); counts sign-ups per device and IP and flags bursts. */
export async function recordRegistration(
  deps: Deps,
  trx: Db,
  input: { userId: string; deviceId?: string | null; phoneHash?: string | null; ip?: string | null },
  now: Date,
): Promise<void> {
  const limits = await settings(trx);
  const flags: string[] = [];
  if (input.deviceId && (await deps.kv.hit(`risk:register:device:${input.deviceId}`, HOUR, now)) > limits.registrations_per_device_hour) flags.push("registration_burst");
  if (input.ip && (await deps.kv.hit(`risk:register:ip:${input.ip}`, HOUR, now)) > limits.registrations_per_ip_hour && !flags.includes("registration_burst")) flags.push("registration_burst");
  await trx
    .insertInto("risk_profiles")
    .values({ user_id: input.userId, device_id: input.deviceId ?? null, phone_hash: input.phoneHash ?? null, ip: input.ip ?? null, flags, registered_at: now })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
}

interface Party {
  userId: string;
  deviceId?: string | null;
  phoneHash?: string | null;
}

/** Fills a party's device and phone hash from their profile where the caller did not know them. */
async function complete(db: Db, p: Party): Promise<Party> {
  if (p.deviceId && p.phoneHash) return p;
  const profile = await db.selectFrom("risk_profiles").select(["device_id", "phone_hash"]).where("user_id", "=", p.userId).executeTakeFirst();
  return { userId: p.userId, deviceId: p.deviceId ?? profile?.device_id ?? null, phoneHash: p.phoneHash ?? profile?.phone_hash ?? null };
}

/**
 * Whether two parties are the same person: the same account, device or phone, or orders of each paid
 * from one provider account (WeChat Pay openid, Alipay buyer id).
 */
export async function isSelfReferral(db: Db, a: Party, b: Party): Promise<boolean> {
  if (a.userId === b.userId) return true;
  const [x, y] = await Promise.all([complete(db, a), complete(db, b)]);
  if ((x.deviceId && x.deviceId === y.deviceId) || (x.phoneHash && x.phoneHash === y.phoneHash)) return true;
  return sharePayer(db, a.userId, b.userId);
}

/**
 * Scores a reward before it is paid (0 = clean, 100 = certainly abuse) and records the score. The
 * caller sends it to review when it reaches the `review_threshold` setting.
 */
export async function scoreReward(
  db: Db,
  input: { beneficiaryId: string; sourceUserId: string | null; kind: string; amount: number },
  now: Date,
): Promise<{ score: number; reasons: string[] }> {
  const limits = await settings(db);
  const reasons: RiskReason[] = [];
  if (input.sourceUserId && (await isSelfReferral(db, { userId: input.beneficiaryId }, { userId: input.sourceUserId }))) reasons.push("self_referral");
  const profiles = await db
    .selectFrom("risk_profiles")
    .select(["user_id", "device_id", "flags"])
    .where("user_id", "in", [input.beneficiaryId, ...(input.sourceUserId ? [input.sourceUserId] : [])])
    .execute();
  if (profiles.some((p) => p.flags.includes("registration_burst"))) reasons.push("registration_burst");
  const devices = [...new Set(profiles.flatMap((p) => (p.device_id ? [p.device_id] : [])))];
  if (devices.length > 0) {
    const shared = await db
      .selectFrom("risk_profiles")
      .select(["device_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("device_id", "in", devices)
      .groupBy("device_id")
      .execute();
    if (shared.some((s) => Number(s.n) >= SHARED_DEVICE_ACCOUNTS)) reasons.push("shared_device");
  }
  const recent = await db
    .selectFrom("risk_scores")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("beneficiary_id", "=", input.beneficiaryId)
    .where("at", ">", new Date(now.getTime() - DAY))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= limits.rewards_per_user_day) reasons.push("reward_velocity");
  if (input.kind === "cash" && input.amount >= limits.large_cash_fen) reasons.push("large_cash");
  const score = Math.min(100, reasons.reduce((s, r) => s + REASON_WEIGHTS[r], 0));
  await db
    .insertInto("risk_scores")
    .values({ id: newId("rsk"), beneficiary_id: input.beneficiaryId, source_user_id: input.sourceUserId, kind: input.kind, amount: input.amount, score, reasons, at: now })
    .execute();
  return { score, reasons };
}

/** Whether a score sends the subject to manual review. */
export async function needsReview(db: Db, score: number): Promise<boolean> {
  return score >= (await settings(db)).review_threshold;
}

/**
 * Counts one more action against `key` in a fixed window (Redis when configured) and refuses with
 * 429 `rate_limited` past `limit`.
 */
export async function hitVelocity(deps: Deps, key: string, limit: number, windowMs: number): Promise<void> {
  const now = deps.clock.now();
  const count = await deps.kv.hit(`risk:velocity:${key}`, windowMs, now);
  if (count > limit) throw tooManyRequests("too many attempts; try again later", Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000));
}

/** Puts a subject in the manual review queue (once per subject). */
export async function enqueueReview(trx: Db, item: { subjectType: ReviewSubject; subjectId: string; score: number; reasons: string[] }, now: Date): Promise<void> {
  await trx
    .insertInto("risk_reviews")
    .values({ id: newId("rvw"), subject_type: item.subjectType, subject_id: item.subjectId, score: item.score, reasons: item.reasons, status: "pending", note: null, decided_by: null, decided_at: null, created_at: now })
    .onConflict((oc) => oc.columns(["subject_type", "subject_id"]).doNothing())
    .execute();
}

export interface ReviewView {
  id: string;
  subjectType: ReviewSubject;
  subjectId: string;
  score: number;
  reasons: string[];
  status: ReviewStatus;
  note: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

type ReviewRow = { id: string; subject_type: ReviewSubject; subject_id: string; score: number; reasons: string[]; status: ReviewStatus; note: string | null; decided_by: string | null; decided_at: Date | null; created_at: Date };

const reviewView = (r: ReviewRow): ReviewView => ({
  id: r.id,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  score: r.score,
  reasons: r.reasons,
  status: r.status,
  note: r.note,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  createdAt: r.created_at,
});

export async function listReviews(db: Db, q: { status?: ReviewStatus; subjectType?: ReviewSubject; limit: number; after?: string }) {
  let query = db.selectFrom("risk_reviews").selectAll().orderBy("id").limit(q.limit + 1);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.subjectType) query = query.where("subject_type", "=", q.subjectType);
  if (q.after) query = query.where("id", ">", q.after);
  const rows = (await query.execute()).map(reviewView);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** An operator's decision on a queued subject: audited, and published as `risk.review_decided`. */
export async function decideReview(deps: Deps, id: string, decision: "approved" | "rejected", actor: Actor, note?: string): Promise<ReviewView> {
  const now = deps.clock.now();
  const decided = await deps.db.transaction().execute(async (trx) => {
    const review = await trx.selectFrom("risk_reviews").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!review) throw notFound("review");
    if (review.status !== "pending") throw conflict("review_decided", `this review was already ${review.status}`, { status: review.status });
    if (decision === "rejected" && !note) throw invalidField("note", "say why the subject is rejected");
    const after = { ...review, status: decision, note: note ?? null, decided_by: actor.userId, decided_at: now };
    await trx.updateTable("risk_reviews").set({ status: decision, note: after.note, decided_by: actor.userId, decided_at: now }).where("id", "=", id).execute();
    await audit(trx, actor, { action: `risk.review.${decision === "approved" ? "approve" : "reject"}`, entity: "risk_review", entityId: id, before: { status: review.status }, after: { status: decision, note: after.note } }, now);
    await publish(trx, "risk.review_decided", id, { reviewId: id, subjectType: review.subject_type, subjectId: review.subject_id, decision }, now);
    return reviewView(after);
  });
  deps.events.poke();
  return decided;
}
