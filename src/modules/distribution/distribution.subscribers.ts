import type { Deps } from "../../deps.js";
import type { Subscriber } from "../../platform/events/dispatcher.js";
import { advanceCommissions, createCommissions, reverseForRefund, reviewCommission } from "./commissions.service.js";
import { bindCustomer } from "./promoters.service.js";

/** Commissions follow the order and risk review; bindings follow invites and share attribution. */
export function distributionSubscribers(deps: Deps): Subscriber[] {
  const now = () => deps.clock.now();
  return [
    { name: "distribution.commission_on_paid", events: ["order.paid"], handle: (trx, e) => createCommissions(deps, trx, { orderId: e.payload.orderId, buyerId: e.payload.userId, paidAt: e.createdAt }, now()) },
    { name: "distribution.commission_freeze", events: ["order.completed"], handle: (trx, e) => advanceCommissions(trx, e.payload.orderId, "freeze", e.id, now()) },
    { name: "distribution.commission_release", events: ["order.aftersale_window_closed"], handle: (trx, e) => advanceCommissions(trx, e.payload.orderId, "release", e.id, now()) },
    { name: "distribution.commission_cancel", events: ["order.closed"], handle: (trx, e) => advanceCommissions(trx, e.payload.orderId, "cancel", e.id, now()) },
    {
      name: "distribution.commission_reverse",
      events: ["refund.succeeded"],
      handle: (trx, e) => reverseForRefund(trx, { orderId: e.payload.orderId, refundId: e.payload.refundId, amount: e.payload.amount }, now()),
    },
    {
      name: "distribution.commission_review",
      events: ["risk.review_decided"],
      handle: async (trx, e) => {
        if (e.payload.subjectType === "commission") await reviewCommission(trx, e.payload.subjectId, e.payload.decision, e.id, now());
      },
    },
    {
      name: "distribution.bind_invitee",
      events: ["referral.bound"],
      handle: async (trx, e) => void (await bindCustomer(trx, { customerId: e.payload.inviteeId, promoterId: e.payload.inviterId, source: "invite" }, now())),
    },
    {
      name: "distribution.bind_attributed",
      events: ["user.attributed"],
      handle: async (trx, e) => void (await bindCustomer(trx, { customerId: e.payload.userId, promoterId: e.payload.sharerId, source: "share" }, now())),
    },
  ];
}
