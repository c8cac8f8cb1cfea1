import { conflict } from "../../platform/errors.js";

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
} as const satisfies Record<string, { from: readonly PaymentStatus[]; to: PaymentStatus; by: string }>;
export type PaymentEvent = keyof typeof PAYMENT_TRANSITIONS;

export const REFUND_STATES = {
  pending: "sent to the provider, not yet settled",
  succeeded: "the money went back to the buyer",
  failed: "the provider refused it",
} as const;
export type RefundStatus = keyof typeof REFUND_STATES;

/** The state after `event`, or a 409 `illegal_transition` naming what is allowed from here. */
export function nextPaymentStatus(from: PaymentStatus, event: PaymentEvent): PaymentStatus {
  const t = PAYMENT_TRANSITIONS[event];
  if (!(t.from as readonly string[]).includes(from)) {
    const allowed = (Object.keys(PAYMENT_TRANSITIONS) as PaymentEvent[]).filter((e) => (PAYMENT_TRANSITIONS[e].from as readonly string[]).includes(from));
    throw conflict("illegal_transition", `a payment that is ${from} cannot ${event.replace("_", " ")}`, { from, event, allowed });
  }
  return t.to;
}

/** The machine as a Markdown table (the README embeds exactly this; a test keeps them equal). */
export function renderPaymentMachine(): string {
  const rows = (Object.entries(PAYMENT_TRANSITIONS) as [PaymentEvent, (typeof PAYMENT_TRANSITIONS)[PaymentEvent]][]).map(
    ([event, t]) => `| ${event} | ${t.from.join(", ")} | ${t.to} | ${t.by} |`,
  );
  return ["| event | from | to | by |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
