import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import type { Subscriber } from "../../platform/events/dispatcher.js";
import type { DomainEvent } from "../../platform/events/outbox.js";
import { getOrder } from "../orders/orders.service.js";
import { credit } from "./leaderboards.js";
import { returnPoints } from "./points.js";
import { applyReview, cancelOrderRewards, issueRewards, reduceOrderRewards, releaseOrderRewards } from "./rewards.service.js";
import type { RewardsTables } from "./rewards.tables.js";

type OrderTransition = { orderId: string; userId?: string };
type Attribution = { sharerId: string; campaignId: string | null };

/** The order as it is now, read in the handler's own transaction (one connection on embedded Postgres). */
const orderNow = (deps: Deps, trx: Db, orderId: string) => getOrder({ ...deps, db: trx }, orderId, { kind: "system" });

async function campaignOf(trx: Db, userId: string): Promise<string | null> {
  return (await trx.selectFrom("reward_user_campaigns").select("campaign_id").where("user_id", "=", userId).executeTakeFirst())?.campaign_id ?? null;
}

/** A share brought a paid order: the sharer's GMV counts, and share_order_paid rules pay. Whichever of the two events comes second does it. */
async function sharedOrderPaid(deps: Deps, trx: Db, o: Selectable<RewardsTables["reward_orders"]>, eventId: string, now: Date): Promise<void> {
  if (!o.paid || !o.sharer_id) return;
  const orderId = o.order_id;
  const payable = o.attributed_payable ?? 0;
  if (o.sharer_id !== o.user_id) await credit(trx, { campaignId: o.campaign_id, board: "sharers", userId: o.sharer_id, subjectId: orderId, delta: payable }, now);
  await issueRewards(deps, trx, { trigger: "share_order_paid", eventId, subjectId: orderId, parties: { sharer: o.sharer_id, buyer: o.user_id }, orderId, payable, campaignId: o.campaign_id }, now);
}

async function orderRow(trx: Db, orderId: string, userId: string, changes: { paid?: boolean; window_closed?: boolean; sharer_id?: string; campaign_id?: string | null; attributed_payable?: number }) {
  return trx
    .insertInto("reward_orders")
    .values({ order_id: orderId, user_id: userId, ...changes })
    .onConflict((oc) => oc.column("order_id").doUpdateSet(changes))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every event rewards listens to, each handled in the dispatcher's transaction together with its delivery record. */
export function rewardSubscribers(deps: Deps): Subscriber[] {
  return [
    {
      name: "rewards.referrals",
      events: ["referral.bound"],
      async handle(trx, event: DomainEvent<{ inviterId: string; inviteeId: string }>) {
        const { inviterId, inviteeId } = event.payload;
        await trx.insertInto("reward_invitees").values({ invitee_id: inviteeId, inviter_id: inviterId }).onConflict((oc) => oc.doNothing()).execute();
        const campaignId = await campaignOf(trx, inviteeId);
        await credit(trx, { campaignId, board: "inviters", userId: inviterId, subjectId: inviteeId, delta: 1 }, event.createdAt);
        await issueRewards(deps, trx, { trigger: "invitee_registered", eventId: event.id, subjectId: inviteeId, parties: { inviter: inviterId, invitee: inviteeId }, campaignId }, event.createdAt);
      },
    },
    {
      name: "rewards.user_attribution",
      events: ["user.attributed"],
      async handle(trx, event: DomainEvent<{ userId: string } & Attribution>) {
        const { userId, campaignId } = event.payload;
        if (!campaignId) return;
        await trx.insertInto("reward_user_campaigns").values({ user_id: userId, campaign_id: campaignId }).onConflict((oc) => oc.doNothing()).execute();
        // Bound before the attribution arrived: the inviter's invitee now also counts on the campaign's board.
        const bound = await trx.selectFrom("reward_invitees").select("inviter_id").where("invitee_id", "=", userId).executeTakeFirst();
        if (bound) await credit(trx, { campaignId, board: "inviters", userId: bound.inviter_id, subjectId: userId, delta: 1 }, event.createdAt);
      },
    },
    {
      name: "rewards.order_attribution",
      events: ["order.attributed"],
      async handle(trx, event: DomainEvent<{ orderId: string; userId: string; payable: number } & Attribution>) {
        const p = event.payload;
        const row = await orderRow(trx, p.orderId, p.userId, { sharer_id: p.sharerId, campaign_id: p.campaignId, attributed_payable: p.payable });
        await sharedOrderPaid(deps, trx, row, event.id, event.createdAt);
      },
    },
    {
      name: "rewards.orders",
      events: ["order.paid", "order.completed", "order.aftersale_window_closed", "order.closed", "order.cancelled"],
      async handle(trx, event: DomainEvent<OrderTransition>) {
        const { orderId } = event.payload;
        const userId = event.payload.userId!;
        const now = event.createdAt;
        switch (event.type) {
          case "order.paid":
            return sharedOrderPaid(deps, trx, await orderRow(trx, orderId, userId, { paid: true }), event.id, now);
          case "order.completed": {
            const order = await orderNow(deps, trx, orderId);
            const payable = order.payable - order.refundedAmount;
            await issueRewards(deps, trx, { trigger: "order_completed", eventId: event.id, subjectId: orderId, parties: { buyer: userId }, orderId, payable }, now);
            const first = await trx.insertInto("reward_firsts").values({ user_id: userId, fact: "order_completed", subject_id: orderId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
            const invited = await trx.selectFrom("reward_invitees").select("inviter_id").where("invitee_id", "=", userId).executeTakeFirst();
            if (Number(first.numInsertedOrUpdatedRows ?? 0) === 1 && invited) {
              await issueRewards(
                deps,
                trx,
                { trigger: "invitee_first_order_completed", eventId: event.id, subjectId: userId, parties: { inviter: invited.inviter_id, invitee: userId }, orderId, payable, campaignId: await campaignOf(trx, userId) },
                now,
              );
            }
            return;
          }
          case "order.aftersale_window_closed":
            // This event names only the order.
            await orderRow(trx, orderId, event.payload.userId ?? (await orderNow(deps, trx, orderId)).userId, { window_closed: true });
            return releaseOrderRewards(deps, trx, orderId, event.id, now);
          case "order.closed":
            await returnPoints(trx, orderId, now);
            return cancelOrderRewards(deps, trx, orderId, event.id, now);
          case "order.cancelled":
            return returnPoints(trx, orderId, now);
        }
      },
    },
    {
      name: "rewards.refunds",
      events: ["refund.succeeded"],
      async handle(trx, event: DomainEvent<{ refundId: string; orderId: string; amount: number }>) {
        const { refundId, orderId, amount } = event.payload;
        const order = await orderNow(deps, trx, orderId);
        await reduceOrderRewards(trx, { orderId, refundId, payable: order.payable, refunded: order.refundedAmount }, event.createdAt);
        const shared = await trx.selectFrom("reward_orders").select(["sharer_id", "campaign_id", "user_id", "paid"]).where("order_id", "=", orderId).executeTakeFirst();
        if (shared?.paid && shared.sharer_id && shared.sharer_id !== shared.user_id) {
          await credit(trx, { campaignId: shared.campaign_id, board: "sharers", userId: shared.sharer_id, subjectId: refundId, delta: -amount }, event.createdAt);
        }
      },
    },
    {
      name: "rewards.reviews",
      events: ["risk.review_decided"],
      async handle(trx, event: DomainEvent<{ subjectType: string; subjectId: string; decision: "approved" | "rejected" }>) {
        if (event.payload.subjectType !== "reward") return;
        await applyReview(deps, trx, event.payload.subjectId, event.payload.decision, event.id, event.createdAt);
      },
    },
  ];
}
