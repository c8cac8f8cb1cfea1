import { defineMachine, type Transition } from "../../platform/state-machine.js";

/**
 * A consumer's bargain (砍价), written once as data. While it is `bargaining`, `floor_reached` or
 * `ordered` it holds one unit of its activity's stock; `expired` gave the unit back, `paid` sold it.
 */
export const BARGAIN_STATES = {
  bargaining: "砍价中 — friends are cutting the price; it is still above the floor",
  floor_reached: "已砍到底 — the last helper cut; the price is the floor",
  ordered: "待付款 — the owner placed the order at the current price",
  paid: "已成交 — the order is paid; the unit is sold",
  expired: "已过期 — the time limit passed without a paid order; the unit went back",
} as const;

export type BargainStatus = keyof typeof BARGAIN_STATES;

export const BARGAIN_TRANSITIONS = {
  cut: { from: ["bargaining"], to: "bargaining", by: "a friend helps (not the last helper)" },
  reach_floor: { from: ["bargaining"], to: "floor_reached", by: "the last of the K helpers cuts" },
  order: { from: ["bargaining", "floor_reached"], to: "ordered", by: "the owner (from bargaining only where the activity allows paying early)" },
  pay: { from: ["ordered"], to: "paid", by: "order.paid" },
  reopen: { from: ["ordered"], to: "bargaining", by: "order.cancelled before the deadline, floor not reached" },
  reopen_at_floor: { from: ["ordered"], to: "floor_reached", by: "order.cancelled before the deadline, at the floor" },
  expire: { from: ["bargaining", "floor_reached", "ordered"], to: "expired", by: "the deadline job (job bargain.expire), or order.cancelled after the deadline" },
} as const satisfies Record<string, Transition<BargainStatus>>;

export type BargainEvent = keyof typeof BARGAIN_TRANSITIONS;

export const bargainMachine = defineMachine<BargainStatus, BargainEvent>("bargain", BARGAIN_STATES, BARGAIN_TRANSITIONS);

/** Statuses that hold a unit of the activity's stock. */
export const HOLDING: readonly BargainStatus[] = ["bargaining", "floor_reached", "ordered"];
