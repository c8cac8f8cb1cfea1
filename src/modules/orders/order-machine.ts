import { conflict } from "../../platform/errors.js";

/**
 * The order state machine, written once as data. The code (transition guard), the API
 * (GET /orders/state-machine), the module README and the tests all read this table.
 *
 * An order here is one merchant's part of a checkout: a cart with several merchants' goods becomes one
 * order per merchant, paid together in one payment.
 */
export const ORDER_STATES = {
  pending_payment: "待付款 — created, stock reserved, waiting for payment",
  paid: "待发货 — paid, waiting for shipment",
  partially_shipped: "部分发货 — some items shipped",
  shipped: "已发货 — every item shipped",
  delivered: "已签收 — the carrier reports delivery",
  completed: "已完成 — receipt confirmed (by the buyer, or automatically)",
  cancelled: "已取消 — cancelled before payment; reserved stock released",
  closed: "已关闭 — fully refunded after payment",
} as const;

export type OrderStatus = keyof typeof ORDER_STATES;

export const ORDER_TRANSITIONS = {
  pay: { from: ["pending_payment"], to: "paid", by: "payment notification" },
  cancel: { from: ["pending_payment"], to: "cancelled", by: "buyer, operator, or the payment timeout" },
  ship_part: { from: ["paid", "partially_shipped"], to: "partially_shipped", by: "merchant/operator ships some items" },
  ship: { from: ["paid", "partially_shipped"], to: "shipped", by: "merchant/operator ships the rest" },
  deliver: { from: ["shipped"], to: "delivered", by: "carrier tracking event" },
  confirm_receipt: { from: ["shipped", "delivered"], to: "completed", by: "buyer, or automatically after N days" },
  close: { from: ["paid", "partially_shipped", "shipped", "delivered", "completed"], to: "closed", by: "refund of the whole paid amount" },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus; by: string }>;

export type OrderEvent = keyof typeof ORDER_TRANSITIONS;

/** The state after `event`, or a 409 `illegal_transition` naming what is allowed from here. */
export function nextStatus(from: OrderStatus, event: OrderEvent): OrderStatus {
  const t = ORDER_TRANSITIONS[event];
  if (!(t.from as readonly string[]).includes(from)) {
    const allowed = (Object.keys(ORDER_TRANSITIONS) as OrderEvent[]).filter((e) => (ORDER_TRANSITIONS[e].from as readonly string[]).includes(from));
    throw conflict("illegal_transition", `an order that is ${from} cannot ${event.replace("_", " ")}`, { from, event, allowed });
  }
  return t.to;
}

/** The machine as a Markdown table (the README embeds exactly this; a test keeps them equal). */
export function renderOrderMachine(): string {
  const rows = (Object.entries(ORDER_TRANSITIONS) as [OrderEvent, (typeof ORDER_TRANSITIONS)[OrderEvent]][]).map(
    ([event, t]) => `| ${event} | ${t.from.join(", ")} | ${t.to} | ${t.by} |`,
  );
  return ["| event | from | to | by |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
