import type { Deps } from "../../deps.js";
import { formatInDisplayZone } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound } from "../../platform/errors.js";
import { activityRow, type ActivityRow } from "./activities.service.js";

/** The Asia/Shanghai calendar day of a moment ("2026-06-01"): daily chances reset at local midnight. */
export const dayOf = (at: Date) => formatInDisplayZone(at).slice(0, 10);

/** Makes sure the consumer's row for the day exists, so the counters can be moved by conditional updates. */
export async function ensureDay(trx: Db, activityId: string, userId: string, day: string): Promise<void> {
  await trx
    .insertInto("lottery_chance_days")
    .values({ activity_id: activityId, user_id: userId, day, free_used: 0, earned: 0, earned_used: 0, shares: 0 })
    .onConflict((oc) => oc.columns(["activity_id", "user_id", "day"]).doNothing())
    .execute();
}

export function assertOpen(a: ActivityRow, now: Date): void {
  if (a.status !== "active" || a.starts_at > now || a.ends_at <= now) throw conflict("lottery_not_open", "this lucky draw is not open now");
}

/**
 * Takes one chance for a draw: a free one while the day's free chances last, then an earned one.
 * Both are conditional updates, so concurrent draws never take more chances than there are.
 */
export async function takeChance(trx: Db, a: ActivityRow, userId: string, day: string): Promise<"free" | "earned"> {
  await ensureDay(trx, a.id, userId, day);
  const free = await trx
    .updateTable("lottery_chance_days")
    .set((eb) => ({ free_used: eb("free_used", "+", 1) }))
    .where("activity_id", "=", a.id)
    .where("user_id", "=", userId)
    .where("day", "=", day)
    .where("free_used", "<", a.daily_free_chances)
    .executeTakeFirst();
  if (Number(free.numUpdatedRows) === 1) return "free";
  const earned = await trx
    .updateTable("lottery_chance_days")
    .set((eb) => ({ earned_used: eb("earned_used", "+", 1) }))
    .where("activity_id", "=", a.id)
    .where("user_id", "=", userId)
    .where("day", "=", day)
    .where((eb) => eb("earned_used", "<", eb.ref("earned")))
    .executeTakeFirst();
  if (Number(earned.numUpdatedRows) === 1) return "earned";
  throw conflict("no_chances", "no draws left today: share or answer the quiz for more");
}

export interface ChancesToday {
  day: string;
  free: number;
  earned: number;
  left: number;
  sharesToday: number;
  shareChancesLeft: number;
}

async function today(db: Db, a: ActivityRow, userId: string, day: string): Promise<ChancesToday> {
  const row = await db.selectFrom("lottery_chance_days").selectAll().where("activity_id", "=", a.id).where("user_id", "=", userId).where("day", "=", day).executeTakeFirst();
  const freeLeft = a.daily_free_chances - (row?.free_used ?? 0);
  const earnedLeft = (row?.earned ?? 0) - (row?.earned_used ?? 0);
  return {
    day,
    free: freeLeft,
    earned: earnedLeft,
    left: freeLeft + earnedLeft,
    sharesToday: row?.shares ?? 0,
    shareChancesLeft: Math.max(0, a.share_chances_per_day - (row?.shares ?? 0)),
  };
}

export async function chancesToday(deps: Deps, activityId: string, userId: string): Promise<ChancesToday> {
  return today(deps.db, await activityRow(deps, activityId), userId, dayOf(deps.clock.now()));
}

/** A share earns one extra chance, up to the activity's cap per day (409 share_cap_reached past it). */
export async function earnByShare(deps: Deps, activityId: string, userId: string): Promise<ChancesToday> {
  const a = await activityRow(deps, activityId);
  const now = deps.clock.now();
  assertOpen(a, now);
  const day = dayOf(now);
  await deps.db.transaction().execute(async (trx) => {
    await ensureDay(trx, a.id, userId, day);
    const updated = await trx
      .updateTable("lottery_chance_days")
      .set((eb) => ({ shares: eb("shares", "+", 1), earned: eb("earned", "+", 1) }))
      .where("activity_id", "=", a.id)
      .where("user_id", "=", userId)
      .where("day", "=", day)
      .where("shares", "<", a.share_chances_per_day)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict("share_cap_reached", `sharing earns at most ${a.share_chances_per_day} chances a day`);
  });
  return today(deps.db, a, userId, day);
}

/**
 * Answers one quiz question: once per question per day (a primary key); a correct answer earns one
 * chance. The answer itself is never sent to the page, only whether this one was right.
 */
export async function answerQuestion(deps: Deps, input: { activityId: string; questionId: string; userId: string; chosen: number }): Promise<{ correct: boolean; chances: ChancesToday }> {
  const a = await activityRow(deps, input.activityId);
  const now = deps.clock.now();
  assertOpen(a, now);
  const day = dayOf(now);
  const q = await deps.db.selectFrom("lottery_questions").selectAll().where("id", "=", input.questionId).where("activity_id", "=", a.id).executeTakeFirst();
  if (!q) throw notFound("question");
  if (input.chosen >= q.options.length) throw invalidField("option", `one of the ${q.options.length} options (0-based)`);
  const correct = input.chosen === q.answer;
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("lottery_quiz_answers")
      .values({ question_id: q.id, user_id: input.userId, day, chosen: input.chosen, correct, created_at: now })
      .onConflict((oc) => oc.columns(["question_id", "user_id", "day"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw conflict("already_answered", "you answered this question today; try again tomorrow");
    if (!correct) return;
    await ensureDay(trx, a.id, input.userId, day);
    await trx.updateTable("lottery_chance_days").set((eb) => ({ earned: eb("earned", "+", 1) })).where("activity_id", "=", a.id).where("user_id", "=", input.userId).where("day", "=", day).execute();
  });
  return { correct, chances: await today(deps.db, a, input.userId, day) };
}
