import type { Subscriber } from "../../platform/events/dispatcher.js";
import { attributeOrder, attributeRegistration, trackOrder } from "./attribution.js";

/** Attribution reacts to sign-ups and orders, and follows attributed orders to payment and refund. */
export function sharingSubscribers(): Subscriber[] {
  return [
    {
      name: "sharing.attribute_registration",
      events: ["user.registered"],
      handle: async (trx, e) => void (await attributeRegistration(trx, e.payload as { userId: string; shareToken?: string; deviceId?: string }, e.createdAt)),
    },
    {
      name: "sharing.attribute_order",
      events: ["order.created"],
      handle: async (trx, e) => void (await attributeOrder(trx, e.payload as { orderId: string; userId: string; payable: number }, e.createdAt)),
    },
    {
      name: "sharing.track_order",
      events: ["order.paid", "order.cancelled", "order.closed", "refund.succeeded"],
      handle: async (trx, e) => {
        const { orderId, amount } = e.payload as { orderId: string; amount?: number };
        if (e.type === "refund.succeeded") return trackOrder(trx, orderId, { refunded: amount! });
        const status = e.type === "order.paid" ? "paid" : e.type === "order.cancelled" ? "cancelled" : "closed";
        return trackOrder(trx, orderId, { status, at: e.createdAt });
      },
    },
  ];
}
