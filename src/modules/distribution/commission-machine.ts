import { conflict } from "../../platform/errors.js";

/**
 * The commission lifecycle, written once as data: the code, GET /distribution/rules, the README and
 * the tests all read this table. Events reach every commission of the order whose state allows them.
 */
export const COMMISSION_STATES = {
  pending: "待结算 — the order is paid; the money may still go back",
  frozen: "冻结中 — the order is completed; held until the after-sales window closes",
  available: "可提现 — the order can no longer be returned; the promoter may withdraw it",
  cancelled: "已取消 — the order was fully refunded",
  flagged: "待审核 — its risk score sent it to review; nothing is owed until review approves",
  rejected: "已驳回 — refused by risk review; never paid",
} as const;

export type CommissionStatus = keyof typeof COMMISSION_STATES;

export const COMMISSION_TRANSITIONS = {
  create: { from: [], to: "pending", on: "order.paid" },
  flag: { from: [], to: "flagged", on: "order.paid, when the commission's risk score reaches the review threshold" },
  freeze: { from: ["pending"], to: "frozen", on: "order.completed" },
  release: { from: ["pending", "frozen"], to: "available", on: "order.aftersale_window_closed" },
  approve: { from: ["flagged"], to: "pending", on: "risk review approves; then freeze and release catch up with the order" },
  reject: { from: ["flagged"], to: "rejected", on: "risk review rejects" },
  reverse_part: { from: ["pending", "frozen", "flagged"], to: "(unchanged)", on: "refund.succeeded for part of the payable: the refunded share comes off" },
  cancel: { from: ["pending", "frozen", "flagged"], to: "cancelled", on: "order.closed (fully refunded)" },
} as const satisfies Record<string, { from: readonly CommissionStatus[]; to: CommissionStatus | "(unchanged)"; on: string }>;

export type CommissionEvent = keyof typeof COMMISSION_TRANSITIONS;

/** States an event applies to. */
export const fromStates = (event: CommissionEvent): readonly CommissionStatus[] => COMMISSION_TRANSITIONS[event].from;

/** The state after `event`, or a 409 `illegal_transition` naming what is allowed from here. */
export function nextCommissionStatus(from: CommissionStatus, event: CommissionEvent): CommissionStatus {
  const t = COMMISSION_TRANSITIONS[event];
  if (!(t.from as readonly string[]).includes(from)) {
    const allowed = (Object.keys(COMMISSION_TRANSITIONS) as CommissionEvent[]).filter((e) => (fromStates(e) as readonly string[]).includes(from));
    throw conflict("illegal_transition", `a ${from} commission cannot ${event.replace("_", " ")}`, { from, event, allowed });
  }
  return t.to === "(unchanged)" ? from : t.to;
}

export function renderCommissionMachine(): string {
  const rows = Object.entries(COMMISSION_TRANSITIONS).map(([event, t]) => `| ${event} | ${t.from.join(", ") || "—"} | ${t.to} | ${t.on} |`);
  return ["| event | from | to | on |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
