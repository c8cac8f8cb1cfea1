import { defineMachine, type Transition } from "../../platform/state-machine.js";

/** Payment and refund lifecycles, written once as data: the services, the README and the tests read these. */
export const PAYMENT_STATES = {
  created: "waiting for the buyer to pay at the provider",
  succeeded: "the provider confirmed the full amount; the orders are paid",
  failed: "the provider reported the payment as not made",
  closed: "its orders were cancelled unpaid; money arriving later is flagged, not applied",
  amount_mismatch: "the provider confirmed a different amount; flagged for finance, orders not paid",
} as const;
export type PaymentStatus = keyof typeof PAYMENT_STATES;

export const PAYMENT_TRANSITIONS = {
  succeed: { from: ["created", "failed"], to: "succeeded", by: "verified notification with the exact amount" },
  fail: { from: ["created"], to: "failed", by: "verified notification of an unsuccessful trade" },
  flag_amount: { from: ["created", "failed"], to: "amount_mismatch", by: "verified notification with another amount" },
  close: { from: ["created", "failed"], to: "closed", by: "an order it covers was cancelled unpaid (order.cancelled)" },
} as const satisfies Record<string, Transition<PaymentStatus>>;
export type PaymentEvent = keyof typeof PAYMENT_TRANSITIONS;

export const REFUND_STATES = {
  pending: "sent to the provider, not yet settled",
  succeeded: "the money went back to the buyer",
  failed: "the provider refused it",
} as const;
export type RefundStatus = keyof typeof REFUND_STATES;

const paymentMachine = defineMachine<PaymentStatus, PaymentEvent>("payment", PAYMENT_STATES, PAYMENT_TRANSITIONS);

/** The state after `event`, or a 409 `illegal_transition` naming what is allowed from here. */
export const nextPaymentStatus = paymentMachine.next;
export const renderPaymentMachine = paymentMachine.render;
