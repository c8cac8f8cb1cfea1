import { conflict } from "../../platform/errors.js";

/**
 * The reward lifecycle, written once as data: the service guard, GET /rewards/state-machine, the
 * README and the tests read this table. A reward is born `pending` (held until its order can no longer
 * be refunded), `available` (nothing to wait for) or `flagged` (its risk score sent it to review).
 */
export const REWARD_STATES = {
  pending: "待生效 — held until the order's after-sales window closes",
  available: "待领取 — can be claimed until the claim deadline",
  claimed: "已领取 — in the user's balance",
  flagged: "待审核 — waiting for risk review",
  cancelled: "已取消 — the order was refunded in full; back to budget",
  expired: "已过期 — not claimed in time; back to budget",
  rejected: "已驳回 — refused by risk review; back to budget",
} as const;
export type RewardStatus = keyof typeof REWARD_STATES;

/** `when` picks between two rows of one event: whether the reward still waits for its order's window. */
export const REWARD_TRANSITIONS = [
  { event: "release", from: ["pending"], to: "available", when: null, by: "the order's after-sales window closed (order.aftersale_window_closed)" },
  { event: "claim", from: ["available"], to: "claimed", by: "the user claims it, or the rule claims it at once", when: null },
  { event: "cancel", from: ["pending", "available", "flagged"], to: "cancelled", when: null, by: "the order was refunded in full (order.closed)" },
  { event: "expire", from: ["available"], to: "expired", when: null, by: "the claim deadline passed unclaimed (job reward.expire)" },
  { event: "approve", from: ["flagged"], to: "pending", when: "held", by: "risk review approves; the order can still be refunded" },
  { event: "approve", from: ["flagged"], to: "available", when: "released", by: "risk review approves; nothing left to wait for" },
  { event: "reject", from: ["flagged"], to: "rejected", when: null, by: "risk review rejects" },
] as const satisfies ReadonlyArray<{ event: string; from: readonly RewardStatus[]; to: RewardStatus; when: "held" | "released" | null; by: string }>;

export type RewardEvent = (typeof REWARD_TRANSITIONS)[number]["event"];

export const FINAL_REWARD_STATES: readonly RewardStatus[] = ["claimed", "cancelled", "expired", "rejected"];

/** The state after `event`, or a 409 `illegal_transition` naming what is allowed from here. */
export function nextRewardStatus(from: RewardStatus, event: RewardEvent, held: boolean): RewardStatus {
  const found = REWARD_TRANSITIONS.find(
    (t) => t.event === event && (t.from as readonly string[]).includes(from) && (t.when === null || t.when === (held ? "held" : "released")),
  );
  if (!found) {
    const allowed = [...new Set(REWARD_TRANSITIONS.filter((t) => (t.from as readonly string[]).includes(from)).map((t) => t.event))];
    throw conflict("illegal_transition", `a reward that is ${from} cannot ${event}`, { from, event, allowed });
  }
  return found.to;
}

/** The machine as a Markdown table (the README embeds exactly this; a test keeps them equal). */
export function renderRewardMachine(): string {
  const rows = REWARD_TRANSITIONS.map((t) => `| ${t.event} | ${t.from.join(", ")} | ${t.to} | ${t.by} |`);
  return ["| event | from | to | by |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
