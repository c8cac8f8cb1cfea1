import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { audit } from "../../platform/audit.js";
import type { Actor } from "../../platform/auth/principal.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { pageOf } from "../../platform/http/schemas.js";
import { issueCoupon } from "../coupons/coupons.service.js";
import { post, userAccount } from "../rewards/ledger.js";
import { activityRow, type PrizeRow } from "./activities.service.js";
import { assertOpen, dayOf, takeChance } from "./chances.service.js";
import { pickPrize, rollFor, seedHash } from "./draw-random.js";
import type { Fulfilment, LotteryTables } from "./lottery.tables.js";

type DrawRow = Selectable<LotteryTables["lottery_draws"]>;

/** The other side of every points and cash prize in the ledger. */
export const PRIZE_ACCOUNT = "platform:lottery_prizes";

/**
 * Hands a won prize over in the draw's own transaction: points and cash into the winner's ledger
 * account, a coupon through coupons (keyed by the draw, so never twice). Physical goods, and a coupon
 * whose template can issue no more, wait for an operator as `to_fulfil`.
 */
async function payOut(trx: Db, prize: PrizeRow, userId: string, drawId: string, now: Date): Promise<{ fulfilment: Fulfilment; ref: string | null }> {
  const key = `lottery:${drawId}`;
  switch (prize.kind) {
    case "thanks":
      return { fulfilment: "none", ref: null };
    case "goods":
      return { fulfilment: "to_fulfil", ref: null };
    case "coupon": {
      const issued = await issueCoupon(trx, { templateId: prize.coupon_template_id!, userId, key, reason: "lottery" }, now);
      return issued ? { fulfilment: "fulfilled", ref: issued.couponId } : { fulfilment: "to_fulfil", ref: null };
    }
    case "points":
    case "cash":
      await post(
        trx,
        {
          key,
          causeType: "lottery_draw",
          causeId: drawId,
          memo: prize.name,
          lines: [
            { account: PRIZE_ACCOUNT, currency: prize.kind, amount: -prize.amount! },
            { account: userAccount(userId, "available"), currency: prize.kind, amount: prize.amount! },
          ],
        },
        now,
      );
      return { fulfilment: "fulfilled", ref: key };
  }
}

export interface DrawView {
  id: string;
  activityId: string;
  nonce: number;
  roll: number;
  outcome: "won" | "thanks";
  prize: { id: string; position: number; kind: string; name: string; amount: number | null };
  fallback: "out_of_stock" | "over_budget" | null;
  chanceSource: "free" | "earned";
  fulfilment: Fulfilment;
  couponId: string | null;
  createdAt: Date;
}

function toDraw(d: DrawRow, prize: PrizeRow): DrawView {
  return {
    id: d.id,
    activityId: d.activity_id,
    nonce: d.nonce,
    roll: d.roll,
    outcome: d.outcome,
    prize: { id: prize.id, position: prize.position, kind: prize.kind, name: prize.name, amount: prize.amount },
    fallback: d.fallback,
    chanceSource: d.chance_source,
    fulfilment: d.fulfilment,
    couponId: prize.kind === "coupon" && d.fulfilment === "fulfilled" ? d.reward_ref : null,
    createdAt: d.created_at,
  };
}

/**
 * One draw (抽奖), one transaction: take a chance, take the activity's next nonce (its row lock orders
 * the draws of an activity), roll from the seed and nonce, then take the picked prize's stock and, for
 * cash, the budget — both conditional updates. A prize that has run out or would pass the budget turns
 * the draw into 谢谢参与, recorded with the reason; the roll and the pick stay reproducible.
 */
export async function draw(deps: Deps, input: { activityId: string; userId: string }): Promise<DrawView> {
  const now = deps.clock.now();
  const day = dayOf(now);
  const a = await activityRow(deps, input.activityId);
  assertOpen(a, now);
  const view = await deps.db.transaction().execute(async (trx) => {
    const chanceSource = await takeChance(trx, a, input.userId, day);
    const counter = await trx
      .updateTable("lottery_activities")
      .set((eb) => ({ draws: eb("draws", "+", 1), updated_at: now }))
      .where("id", "=", a.id)
      .where("status", "=", "active")
      .returning(["draws", "server_seed_sealed"])
      .executeTakeFirst();
    if (!counter) throw conflict("lottery_not_open", "this lucky draw is not open now");
    const nonce = counter.draws;
    const { digest, roll } = rollFor(deps.cipher.decrypt(counter.server_seed_sealed), a.id, nonce);
    const prizes = await trx.selectFrom("lottery_prizes").selectAll().where("activity_id", "=", a.id).execute();
    const picked = pickPrize(prizes, roll);
    let fallback: DrawRow["fallback"] = null;
    if (picked.kind !== "thanks") {
      const took = await trx
        .updateTable("lottery_prizes")
        .set((eb) => ({ won: eb("won", "+", 1) }))
        .where("id", "=", picked.id)
        .where((eb) => eb.or([eb("stock", "is", null), eb("won", "<", eb.ref("stock"))]))
        .executeTakeFirst();
      if (Number(took.numUpdatedRows) !== 1) fallback = "out_of_stock";
      else if (picked.kind === "cash") {
        const spent = await trx
          .updateTable("lottery_activities")
          .set((eb) => ({ cash_spent: eb("cash_spent", "+", picked.amount!) }))
          .where("id", "=", a.id)
          .where((eb) => eb(eb("cash_spent", "+", picked.amount!), "<=", eb.ref("cash_budget")))
          .executeTakeFirst();
        if (Number(spent.numUpdatedRows) !== 1) {
          fallback = "over_budget";
          await trx.updateTable("lottery_prizes").set((eb) => ({ won: eb("won", "-", 1) })).where("id", "=", picked.id).execute();
        }
      }
    }
    const prize = fallback ? prizes.find((p) => p.kind === "thanks")! : picked;
    const id = newId("ldr");
    const paid = await payOut(trx, prize, input.userId, id, now);
    const row: DrawRow = {
      id,
      activity_id: a.id,
      user_id: input.userId,
      nonce,
      digest,
      roll,
      picked_prize_id: picked.id,
      prize_id: prize.id,
      outcome: prize.kind === "thanks" ? "thanks" : "won",
      fallback,
      chance_source: chanceSource,
      day,
      fulfilment: paid.fulfilment,
      reward_ref: paid.ref,
      created_at: now,
    };
    await trx.insertInto("lottery_draws").values(row).execute();
    await publish(trx, "lottery.drawn", id, { drawId: id, activityId: a.id, userId: input.userId, outcome: row.outcome, prizeId: prize.id, kind: prize.kind, amount: prize.amount, fulfilment: row.fulfilment }, now);
    return toDraw(row, prize);
  });
  deps.events.poke();
  return view;
}

async function drawsWithPrizes(db: Db, rows: DrawRow[]): Promise<DrawView[]> {
  if (rows.length === 0) return [];
  const prizes = await db.selectFrom("lottery_prizes").selectAll().where("id", "in", [...new Set(rows.map((r) => r.prize_id))]).execute();
  const byId = new Map(prizes.map((p) => [p.id, p]));
  return rows.map((r) => toDraw(r, byId.get(r.prize_id)!));
}

export async function myDraws(deps: Deps, activityId: string, userId: string, q: { limit: number; after?: string }) {
  let query = deps.db.selectFrom("lottery_draws").selectAll().where("activity_id", "=", activityId).where("user_id", "=", userId).orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const page = pageOf(await query.execute(), q.limit);
  return { items: await drawsWithPrizes(deps.db, page.items), nextCursor: page.nextCursor };
}

/** An activity's draws for operators, optionally only the prizes still to hand over. */
export async function activityDraws(deps: Deps, activityId: string, q: { fulfilment?: Fulfilment; limit: number; after?: string }) {
  let query = deps.db.selectFrom("lottery_draws").selectAll().where("activity_id", "=", activityId).orderBy("id", "desc").limit(q.limit + 1);
  if (q.fulfilment) query = query.where("fulfilment", "=", q.fulfilment);
  if (q.after) query = query.where("id", "<", q.after);
  const page = pageOf(await query.execute(), q.limit);
  const views = await drawsWithPrizes(deps.db, page.items);
  return { items: views.map((v, i) => ({ ...v, userId: page.items[i].user_id })), nextCursor: page.nextCursor };
}

/** An operator records that a prize waiting as `to_fulfil` (goods shipped, coupon given by hand) was handed over; audited. */
export async function markFulfilled(deps: Deps, actor: Actor, drawId: string, note: string) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable("lottery_draws").set({ fulfilment: "fulfilled", reward_ref: note }).where("id", "=", drawId).where("fulfilment", "=", "to_fulfil").executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const exists = await trx.selectFrom("lottery_draws").select("fulfilment").where("id", "=", drawId).executeTakeFirst();
      if (!exists) throw notFound("draw");
      throw conflict("nothing_to_fulfil", `this draw is ${exists.fulfilment}, not waiting to be fulfilled`);
    }
    await audit(trx, actor, { action: "lottery_draw.fulfil", entity: "lottery_draw", entityId: drawId, before: { fulfilment: "to_fulfil" }, after: { fulfilment: "fulfilled", note } }, now);
  });
  return { id: drawId, fulfilment: "fulfilled" as const, note };
}

/**
 * Re-computes a draw from the activity's server seed and the draw's nonce and compares it with what was
 * recorded: the digest, the roll and the picked prize. (A picked prize that had run out or would pass
 * the budget was recorded as thanks with its reason; stock is history, the pick is arithmetic.)
 */
export async function verifyDraw(deps: Deps, drawId: string) {
  const d = await deps.db.selectFrom("lottery_draws").selectAll().where("id", "=", drawId).executeTakeFirst();
  if (!d) throw notFound("draw");
  const a = await activityRow(deps, d.activity_id);
  const seed = deps.cipher.decrypt(a.server_seed_sealed);
  const { digest, roll } = rollFor(seed, a.id, d.nonce);
  const picked = pickPrize(await deps.db.selectFrom("lottery_prizes").selectAll().where("activity_id", "=", a.id).execute(), roll);
  return {
    drawId: d.id,
    activityId: a.id,
    nonce: d.nonce,
    serverSeed: seed,
    seedHash: a.seed_hash,
    seedMatchesHash: seedHash(seed) === a.seed_hash,
    computed: { digest, roll, pickedPrizeId: picked.id },
    recorded: { digest: d.digest, roll: d.roll, pickedPrizeId: d.picked_prize_id, prizeId: d.prize_id, outcome: d.outcome, fallback: d.fallback },
    reproduced: digest === d.digest && roll === d.roll && picked.id === d.picked_prize_id,
  };
}
