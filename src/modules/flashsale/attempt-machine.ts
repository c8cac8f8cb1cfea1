import { defineMachine, type Transition } from "../../platform/state-machine.js";

/**
 * A purchase attempt that won a unit in the counter, written once as data. While an attempt is
 * `queued`, `ordered` or `paid` it holds its units in the counter; `released` and `failed` gave them back.
 */
export const ATTEMPT_STATES = {
  queued: "排队中 — the unit is taken in the counter; the order is being placed",
  ordered: "待付款 — the flash order is placed, waiting for payment",
  paid: "已支付 — the flash order is paid",
  released: "已释放 — the unpaid order was cancelled; the unit went back to the slot",
  failed: "失败 — the order could not be placed; the unit went back to the slot",
} as const;

export type AttemptStatus = keyof typeof ATTEMPT_STATES;

export const ATTEMPT_TRANSITIONS = {
  place_order: { from: ["queued"], to: "ordered", by: "queue consumer, in the transaction that places the order" },
  fail: { from: ["queued"], to: "failed", by: "queue consumer, when the order cannot be placed (no stock, address gone)" },
  pay: { from: ["ordered"], to: "paid", by: "order.paid" },
  release: { from: ["ordered"], to: "released", by: "order.cancelled (payment timeout, buyer, operator)" },
} as const satisfies Record<string, Transition<AttemptStatus>>;

export type AttemptEvent = keyof typeof ATTEMPT_TRANSITIONS;

export const attemptMachine = defineMachine<AttemptStatus, AttemptEvent>("flash attempt", ATTEMPT_STATES, ATTEMPT_TRANSITIONS);

/** Statuses in which an attempt holds its units in the counter. */
export const HOLDING: readonly AttemptStatus[] = ["queued", "ordered", "paid"];
