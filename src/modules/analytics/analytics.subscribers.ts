import type { Subscriber } from "../../platform/events/dispatcher.js";
import type { DomainEvent } from "../../platform/events/outbox.js";
import { inviterOf } from "../referral/referral.service.js";
import { getRule } from "../rewards/reward-rules.js";
import { type Attribution, orderAttribution, registrationAttribution } from "../sharing/sharing.service.js";
import { orderCampaignId } from "./campaigns.js";
import { creditOrder, creditRegistration, orderFacts, pathOfOrder, revalueCost } from "./facts.js";
import { recordEvents } from "./tracking.service.js";

/*
 * Business events come from the outbox, never from the browser. The analytics module is last in the
 * module list, so when it handles `user.registered` or `order.created`, referral and sharing have
 * already bound the inviter and credited the share (each subscriber runs after the ones before it);
 * the later `referral.bound`, `user.attributed` and `order.attributed` fill in anything that came after.
 */

type Handler = (trx: Parameters<Subscriber["handle"]>[0], e: DomainEvent<any>) => Promise<void>;

const on = (name: string, events: string[], handle: Handler): Subscriber => ({ name: `analytics.${name}`, events, handle });

/** Reward value in fen: cash as is, points at the redemption rate (100 points = ¥1); growth value and coupons cost nothing here. */
const rewardCost = (kind: string, amount: number) => (kind === "cash" || kind === "points" ? amount : 0);

const REWARD_PATHS: Record<string, string | undefined> = { invitee_registered: "invite", invitee_first_order_completed: "invite", share_order_paid: "share" };

const shareCredit = (a: Attribution | null) => (a ? { sharerId: a.sharerId, channel: a.channel, campaignId: a.campaignId } : {});

export function analyticsSubscribers(): Subscriber[] {
  return [
    on("registration", ["user.registered"], async (trx, e) => {
      const p = e.payload as { userId: string; deviceId?: string };
      const attribution = await registrationAttribution(trx, p.userId);
      const inviterId = await inviterOf(trx, p.userId);
      await recordEvents(trx, [
        {
          type: "registration",
          at: e.createdAt,
          userId: p.userId,
          anonymousId: p.deviceId ?? null,
          channel: attribution?.channel,
          campaignId: attribution?.campaignId,
          sharerId: attribution?.sharerId,
          promoterId: attribution?.sharerId ?? inviterId,
          inviterId,
          path: attribution ? "share" : inviterId ? "invite" : "organic",
        },
      ]);
    }),
    on("invitee", ["referral.bound"], async (trx, e) => {
      const p = e.payload as { inviterId: string; inviteeId: string };
      await creditRegistration(trx, p.inviteeId, { inviterId: p.inviterId });
    }),
    on("user_attributed", ["user.attributed"], async (trx, e) => {
      const p = e.payload as Attribution & { userId: string };
      await creditRegistration(trx, p.userId, shareCredit(p));
    }),
    on("order", ["order.created"], async (trx, e) => {
      const p = e.payload as { orderId: string; userId: string; payable: number; campaign: { type: string; ref: string } | null; skus: { productId: string }[] };
      const attribution = await orderAttribution(trx, p.orderId);
      const invited = Boolean(await inviterOf(trx, p.userId));
      const facts = { campaignType: p.campaign?.type ?? null, promoterId: null, sharerId: attribution?.sharerId ?? null, invited };
      // The campaign the order was bought in outranks the campaign of the share that brought the buyer.
      const campaignId = (await orderCampaignId(trx, p.campaign)) ?? attribution?.campaignId ?? null;
      await recordEvents(trx, [
        {
          type: "order",
          at: e.createdAt,
          userId: p.userId,
          orderId: p.orderId,
          amount: p.payable,
          productIds: [...new Set(p.skus.map((s) => s.productId))],
          campaignType: facts.campaignType,
          path: pathOfOrder(facts),
          ...shareCredit(attribution),
          campaignId,
        },
      ]);
    }),
    on("order_attributed", ["order.attributed"], async (trx, e) => {
      const p = e.payload as Attribution & { orderId: string };
      await creditOrder(trx, p.orderId, shareCredit(p));
    }),
    on("payment", ["order.paid"], async (trx, e) => {
      const p = e.payload as { orderId: string; userId: string };
      const o = await orderFacts(trx, p.orderId);
      await recordEvents(trx, [
        { type: "payment", at: e.createdAt, userId: p.userId, orderId: p.orderId, amount: o?.payable ?? null, channel: o?.channel, campaignId: o?.campaignId, campaignType: o?.campaignType, path: o ? pathOfOrder(o) : null },
      ]);
    }),
    on("refund", ["refund.succeeded"], async (trx, e) => {
      const p = e.payload as { refundId: string; orderId: string; amount: number };
      const o = await orderFacts(trx, p.orderId);
      // An order placed before tracking began has no facts to refund against.
      if (!o) return;
      await recordEvents(trx, [
        { type: "refund", at: e.createdAt, userId: o.userId, orderId: p.orderId, amount: p.amount, channel: o.channel, campaignId: o.campaignId, path: pathOfOrder(o), props: { refundId: p.refundId } },
      ]);
    }),
    on("share", ["share.created"], async (trx, e) => {
      const p = e.payload as Attribution;
      await recordEvents(trx, [
        {
          type: "share_created",
          at: e.createdAt,
          userId: p.sharerId,
          channel: p.channel,
          campaignId: p.campaignId,
          productId: p.targetType === "product" ? p.targetId : null,
          promoterId: p.sharerId,
          path: "share",
          props: { shareId: p.shareId, targetType: p.targetType, targetId: p.targetId },
        },
      ]);
    }),
    on("reward", ["reward.issued"], async (trx, e) => {
      const p = e.payload as { rewardId: string; ruleId: string; userId: string; kind: string; amount: number; orderId: string | null };
      const rule = await getRule(trx, p.ruleId);
      const o = p.orderId ? await orderFacts(trx, p.orderId) : null;
      await recordEvents(trx, [
        {
          type: "reward",
          at: e.createdAt,
          userId: p.userId,
          costId: p.rewardId,
          orderId: p.orderId,
          amount: rewardCost(p.kind, p.amount),
          channel: o?.channel,
          campaignId: rule.campaignId ?? o?.campaignId,
          path: REWARD_PATHS[rule.trigger] ?? (o ? pathOfOrder(o) : "organic"),
          props: { ruleId: p.ruleId, kind: p.kind, units: p.amount },
        },
      ]);
    }),
    on("reward_returned", ["reward.cancelled", "reward.expired", "reward.rejected"], async (trx, e) => {
      await revalueCost(trx, (e.payload as { rewardId: string }).rewardId, 0);
    }),
    on("commission", ["commission.created"], async (trx, e) => {
      const p = e.payload as { commissionId: string; orderId: string; promoterId: string; level: number; amount: number };
      if (p.level === 1) await creditOrder(trx, p.orderId, { promoterId: p.promoterId });
      const o = await orderFacts(trx, p.orderId);
      await recordEvents(trx, [
        {
          type: "commission",
          at: e.createdAt,
          userId: p.promoterId,
          costId: p.commissionId,
          orderId: p.orderId,
          amount: p.amount,
          channel: o?.channel,
          campaignId: o?.campaignId,
          promoterId: p.promoterId,
          path: "distribution",
          props: { level: p.level },
        },
      ]);
    }),
    on("commission_reversed", ["commission.reversed"], async (trx, e) => {
      const p = e.payload as { commissionId: string; kept: number };
      await revalueCost(trx, p.commissionId, p.kept);
    }),
    on("commission_returned", ["commission.cancelled", "commission.rejected"], async (trx, e) => {
      await revalueCost(trx, (e.payload as { commissionId: string }).commissionId, 0);
    }),
  ];
}
