import type { Db } from "../../platform/db/database.js";
import { displayNames } from "../identity/identity.service.js";

export type Board = "inviters" | "sharers";
/** Every credit also counts on this board, across campaigns. */
export const ALL_CAMPAIGNS = "all";

/**
 * Adds to a user's score on a board, once per subject (an invitee, an order, a refund): leaderboards
 * are aggregates written as events arrive, so reading the top N is one index range.
 */
export async function credit(trx: Db, input: { campaignId: string | null; board: Board; userId: string; subjectId: string; delta: number }, now: Date): Promise<void> {
  for (const campaignId of input.campaignId ? [ALL_CAMPAIGNS, input.campaignId] : [ALL_CAMPAIGNS]) {
    const fresh = await trx.insertInto("leaderboard_credits").values({ campaign_id: campaignId, board: input.board, subject_id: input.subjectId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(fresh.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    await trx
      .insertInto("leaderboard_scores")
      .values({ campaign_id: campaignId, board: input.board, user_id: input.userId, score: input.delta, updated_at: now })
      .onConflict((oc) => oc.columns(["campaign_id", "board", "user_id"]).doUpdateSet((eb) => ({ score: eb("leaderboard_scores.score", "+", input.delta), updated_at: now })))
      .execute();
  }
}

/** The top of a board: highest score first, earlier to reach it first on a tie. */
export async function topOf(db: Db, campaignId: string, board: Board, limit: number) {
  const rows = await db
    .selectFrom("leaderboard_scores")
    .select(["user_id", "score"])
    .where("campaign_id", "=", campaignId)
    .where("board", "=", board)
    .where("score", ">", 0)
    .orderBy("score", "desc")
    .orderBy("updated_at")
    .limit(limit)
    .execute();
  const names = await displayNames(db, rows.map((r) => r.user_id));
  return { campaignId, board, items: rows.map((r, i) => ({ rank: i + 1, displayName: names.get(r.user_id) ?? "", score: r.score })) };
}
