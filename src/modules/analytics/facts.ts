import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";

/**
 * Later events complete what a registration or an order was credited to. Each field is set once:
 * whatever was known when the fact was recorded stands.
 */
export async function creditRegistration(trx: Db, userId: string, credit: { inviterId?: string; channel?: string; campaignId?: string | null; sharerId?: string }): Promise<void> {
  if (credit.inviterId) {
    const bound = await trx.updateTable("analytics_users").set({ inviter_id: credit.inviterId }).where("user_id", "=", userId).where("inviter_id", "is", null).executeTakeFirst();
    if (Number(bound.numUpdatedRows) > 0) {
      // The user was the root of their own tree: it, and everyone under it, now hangs under the inviter's root.
      const inviter = await trx.selectFrom("analytics_users").select("root_id").where("user_id", "=", credit.inviterId).executeTakeFirst();
      const root = inviter?.root_id ?? credit.inviterId;
      await trx
        .updateTable("analytics_users")
        .set({ root_id: root })
        .where((eb) => eb.or([eb("user_id", "=", userId), eb("root_id", "=", userId)]))
        .execute();
    }
  }
  if (credit.sharerId) {
    await trx
      .updateTable("analytics_users")
      .set({ sharer_id: credit.sharerId, channel: credit.channel ?? null, campaign_id: credit.campaignId ?? null })
      .where("user_id", "=", userId)
      .where("sharer_id", "is", null)
      .execute();
  }
}

export async function creditOrder(trx: Db, orderId: string, credit: { sharerId?: string; channel?: string; campaignId?: string | null; promoterId?: string }): Promise<void> {
  if (credit.sharerId) {
    // An order placed in a campaign keeps that campaign; the share's counts only for orders without one.
    await trx
      .updateTable("analytics_orders")
      .set({ sharer_id: credit.sharerId, channel: credit.channel ?? null, campaign_id: sql<string | null>`coalesce(campaign_id, ${credit.campaignId ?? null})` })
      .where("order_id", "=", orderId)
      .where("sharer_id", "is", null)
      .execute();
  }
  if (credit.promoterId) {
    await trx.updateTable("analytics_orders").set({ promoter_id: credit.promoterId }).where("order_id", "=", orderId).where("promoter_id", "is", null).execute();
  }
}

/** A reward or commission is now worth `amount` (0 once cancelled, expired or rejected). */
export async function revalueCost(trx: Db, id: string, amount: number): Promise<void> {
  await trx.updateTable("analytics_costs").set({ amount }).where("id", "=", id).execute();
}

export interface OrderFacts {
  userId: string;
  payable: number;
  channel: string | null;
  campaignId: string | null;
  campaignType: string | null;
  sharerId: string | null;
  promoterId: string | null;
  invited: boolean;
}

export async function orderFacts(db: Db, orderId: string): Promise<OrderFacts | null> {
  const o = await db.selectFrom("analytics_orders").selectAll().where("order_id", "=", orderId).executeTakeFirst();
  return o
    ? { userId: o.user_id, payable: o.payable, channel: o.channel, campaignId: o.campaign_id, campaignType: o.campaign_type, sharerId: o.sharer_id, promoterId: o.promoter_id, invited: o.invited }
    : null;
}

/** The fission path of an order, by the same precedence as the reports' `orderPath`. */
export function pathOfOrder(o: Pick<OrderFacts, "campaignType" | "promoterId" | "sharerId" | "invited">): string {
  if (o.campaignType === "groupbuy" || o.campaignType === "bargain") return o.campaignType;
  if (o.promoterId) return "distribution";
  if (o.sharerId) return "share";
  return o.invited ? "invite" : "organic";
}
