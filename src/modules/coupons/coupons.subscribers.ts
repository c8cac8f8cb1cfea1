import type { Deps } from "../../deps.js";
import type { Subscriber } from "../../platform/events/dispatcher.js";
import { onOrderPaid } from "./coupon-pairs.service.js";
import { returnCoupons } from "./coupons.service.js";

export function couponSubscribers(deps: Deps): Subscriber[] {
  return [
    {
      name: "coupons.return_on_cancel_or_refund",
      events: ["order.cancelled", "order.closed"],
      handle: async (trx, event) => {
        await returnCoupons(trx, event.payload.orderId, event.type === "order.cancelled" ? "cancelled" : "closed", deps.clock.now());
      },
    },
    {
      name: "coupons.double_sided_on_first_order",
      events: ["order.paid"],
      handle: (trx, event) => onOrderPaid(trx, { orderId: event.payload.orderId, userId: event.payload.userId }, deps.clock.now()),
    },
  ];
}
