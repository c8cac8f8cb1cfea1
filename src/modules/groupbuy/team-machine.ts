import { defineMachine, type Transition } from "../../platform/state-machine.js";

/**
 * The 拼团 team and its members' seats, written once as data. The services (transition guards), the API
 * (GET /groupbuy/state-machine), the module README and the tests all read these tables.
 */
export const TEAM_STATES = {
  pending: "待开团 — the leader's order is placed, waiting for the leader's payment; no one can join yet",
  open: "拼团中 — the leader paid; friends join until every seat is paid or the deadline passes",
  succeeded: "拼团成功 — every seat is paid (or the last one filled by the platform, labelled); every order ships",
  failed: "拼团失败 — the deadline passed unfilled; every paid member refunded, unpaid orders cancelled",
  abandoned: "已放弃 — the leader never paid (or the order could not be placed); the team never opened",
} as const;

export type TeamState = keyof typeof TEAM_STATES;

export const TEAM_TRANSITIONS = {
  open: { from: ["pending"], to: "open", by: "the leader's order is paid" },
  succeed: { from: ["open"], to: "succeeded", by: "the N-th member's payment, or the platform fill at the deadline" },
  fail: { from: ["open"], to: "failed", by: "the team's deadline job, unfilled" },
  abandon: { from: ["pending"], to: "abandoned", by: "the leader's order is cancelled unpaid, or never placed by the deadline" },
} as const satisfies Record<string, Transition<TeamState>>;

export type TeamEvent = keyof typeof TEAM_TRANSITIONS;

export const teamMachine = defineMachine<TeamState, TeamEvent>("team", TEAM_STATES, TEAM_TRANSITIONS);

/** A member's seat. A seat counts against the team's size from `reserved` on. */
export const MEMBER_STATES = {
  placing: "the buyer asked for a seat; their order is being placed",
  reserved: "seat taken: the order exists and waits for payment",
  paid: "seat confirmed: the order is paid and held from shipping until the team succeeds",
  fulfilled: "the team succeeded: the order is released for shipping (or the platform's labelled fill)",
  released: "the order was cancelled unpaid (payment timeout, buyer): the seat is free again",
  voided: "the team closed while the order was unpaid: the order is cancelled",
  refunded: "the team failed: the payment is refunded through the provider, the order closed",
  dropped: "the order could not be placed: no seat was ever taken",
} as const;

export type MemberState = keyof typeof MEMBER_STATES;

export const MEMBER_TRANSITIONS = {
  place_order: { from: ["placing"], to: "reserved", by: "the order's own transaction (seat count checked)" },
  drop: { from: ["placing"], to: "dropped", by: "order placement refused, or the team closed first" },
  pay: { from: ["reserved"], to: "paid", by: "order.paid" },
  release: { from: ["reserved"], to: "released", by: "order.cancelled (payment timeout, buyer, operator)" },
  fulfil: { from: ["paid"], to: "fulfilled", by: "the team succeeds" },
  void: { from: ["reserved"], to: "voided", by: "the team closes (fails, is abandoned, or is filled by the platform)" },
  refund: { from: ["paid"], to: "refunded", by: "the team fails" },
} as const satisfies Record<string, Transition<MemberState>>;

export type MemberEvent = keyof typeof MEMBER_TRANSITIONS;

export const memberMachine = defineMachine<MemberState, MemberEvent>("seat", MEMBER_STATES, MEMBER_TRANSITIONS);

/** States in which a member holds a seat (they count in `seats_taken`). */
export const SEATED: readonly MemberState[] = ["reserved", "paid", "fulfilled"];
