import { defineMachine, type Transition } from "../../platform/state-machine.js";

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
} as const satisfies Record<string, Transition<OrderStatus>>;

export type OrderEvent = keyof typeof ORDER_TRANSITIONS;

export const orderMachine = defineMachine<OrderStatus, OrderEvent>("order", ORDER_STATES, ORDER_TRANSITIONS);

/** The state after `event`, or a 409 `illegal_transition` naming what is allowed from here. */
export const nextStatus = orderMachine.next;
export const renderOrderMachine = orderMachine.render;
