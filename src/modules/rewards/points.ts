import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { unprocessable } from "../../platform/errors.js";
import type { Adjuster, PricingContext } from "../orders/pricing.js";
import { balance, post, userAccount } from "./ledger.js";

/** 100 points are worth ¥1. */
export const POINTS_PER_YUAN = 100;
/** Points pay at most this share of an order's payable (after every earlier adjustment). */
export const MAX_POINTS_SHARE_BPS = 5000;

/** One movement of a user's spendable points, as their points history (积分明细) lists it. */
export interface PointsMovement {
  id: string;
  /** Points in (positive) or out (negative). */
  amount: number;
  /** What moved them: `reward` (claimed), `lottery_draw`, `order` (redeemed or given back). */
  causeType: string;
  causeId: string;
  memo: string | null;
  at: Date;
}

/** A user's spendable-points movements, newest first, paged by line id. */
export async function pointsHistory(db: Db, userId: string, q: { limit: number; after?: string }): Promise<{ items: PointsMovement[]; nextCursor: string | null }> {
  let query = db
    .selectFrom("ledger_lines")
    .innerJoin("ledger_entries", "ledger_entries.id", "ledger_lines.entry_id")
    .select(["ledger_lines.id", "ledger_lines.amount", "ledger_entries.cause_type", "ledger_entries.cause_id", "ledger_entries.memo", "ledger_lines.created_at"])
    .where("ledger_lines.account", "=", userAccount(userId, "available"))
    .where("ledger_lines.currency", "=", "points")
    .orderBy("ledger_lines.id", "desc")
    .limit(q.limit + 1);
  if (q.after) query = query.where("ledger_lines.id", "<", q.after);
  const rows = await query.execute();
  const items = rows.slice(0, q.limit).map((r) => ({ id: r.id, amount: Number(r.amount), causeType: r.cause_type, causeId: r.cause_id, memo: r.memo, at: r.created_at }));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

export const pointsToFen = (points: number) => Math.floor((points * 100) / POINTS_PER_YUAN);
export const fenToPoints = (fen: number) => Math.floor((fen * POINTS_PER_YUAN) / 100);

/** Points still to place across the merchant parts of one checkout. */
const left = new WeakMap<PricingContext, number>();

/**
 * Points redeemed at checkout (积分抵扣), last in the pricing order: what the buyer asked for, spread over
 * the merchant parts in order, each part taking at most half its payable. Committing the order debits
 * the points in the same transaction (the ledger refuses to overdraw, so two checkouts cannot spend
 * the same points); a cancelled or fully refunded order gives them back.
 */
export function pointsAdjuster(deps: Deps): Adjuster {
  return {
    name: "points",
    async adjust(part, ctx) {
      const wanted = ctx.options.points ?? 0;
      if (wanted <= 0) return [];
      if (!left.has(ctx)) {
        const have = await balance(deps.db, userAccount(ctx.userId, "available"), "points");
        if (have < wanted) throw unprocessable("insufficient_points", `you have ${have} points`, [{ field: "points", message: `at most ${have}` }]);
        left.set(ctx, wanted);
      }
      const payable = part.itemsTotal + part.adjustments.reduce((s, a) => s + a.amount, 0);
      const points = Math.min(left.get(ctx)!, fenToPoints(Math.floor((Math.max(0, payable) * MAX_POINTS_SHARE_BPS) / 10000)));
      const fen = pointsToFen(points);
      if (fen <= 0) return [];
      left.set(ctx, left.get(ctx)! - points);
      return [{ type: "points", label: `积分抵扣 ${points} 积分`, amount: -fen, source: String(points) }];
    },
    async commit(trx, placed, now) {
      const points = placed.adjustments.reduce((s, a) => s + Number(a.source ?? 0), 0);
      if (points <= 0) return;
      await trx.insertInto("points_redemptions").values({ order_id: placed.orderId, user_id: placed.userId, points, status: "redeemed", created_at: now, returned_at: null }).execute();
      await post(
        trx,
        {
          key: `points.redeem:${placed.orderId}`,
          causeType: "order",
          causeId: placed.orderId,
          memo: "points redeemed at checkout",
          lines: [
            { account: userAccount(placed.userId, "available"), currency: "points", amount: -points },
            { account: "platform:points_redeemed", currency: "points", amount: points },
          ],
        },
        now,
      );
    },
  };
}

/** Gives back the points an order took (it was cancelled unpaid, or refunded in full). */
export async function returnPoints(trx: Db, orderId: string, now: Date): Promise<void> {
  const row = await trx.updateTable("points_redemptions").set({ status: "returned", returned_at: now }).where("order_id", "=", orderId).where("status", "=", "redeemed").returning(["user_id", "points"]).executeTakeFirst();
  if (!row) return;
  await post(
    trx,
    {
      key: `points.return:${orderId}`,
      causeType: "order",
      causeId: orderId,
      memo: "points returned with the order",
      lines: [
        { account: "platform:points_redeemed", currency: "points", amount: -row.points },
        { account: userAccount(row.user_id, "available"), currency: "points", amount: row.points },
      ],
    },
    now,
  );
}
