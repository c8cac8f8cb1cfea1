import { conflict } from "../../platform/errors.js";

/** A promoter's withdrawal (提现), as data. */
export const WITHDRAWAL_STATES = {
  requested: "待审核 — the amount is held out of the available balance",
  approved: "已通过 — finance approved it; the payout is under way",
  paid: "已打款 — paid out (to the balance, or by the payout provider)",
  rejected: "已驳回 — refused; the amount is available again",
  failed: "打款失败 — the provider refused the payout; the amount is available again",
} as const;

export type WithdrawalStatus = keyof typeof WITHDRAWAL_STATES;

export const WITHDRAWAL_TRANSITIONS = {
  approve: { from: ["requested"], to: "approved", by: "operator (finance)" },
  reject: { from: ["requested"], to: "rejected", by: "operator (finance), with a reason" },
  pay: { from: ["approved"], to: "paid", by: "the payout provider confirms" },
  fail: { from: ["approved"], to: "failed", by: "the payout provider refuses" },
} as const satisfies Record<string, { from: readonly WithdrawalStatus[]; to: WithdrawalStatus; by: string }>;

export type WithdrawalEvent = keyof typeof WITHDRAWAL_TRANSITIONS;

export function nextWithdrawalStatus(from: WithdrawalStatus, event: WithdrawalEvent): WithdrawalStatus {
  const t = WITHDRAWAL_TRANSITIONS[event];
  if (!(t.from as readonly string[]).includes(from)) {
    const allowed = (Object.keys(WITHDRAWAL_TRANSITIONS) as WithdrawalEvent[]).filter((e) => (WITHDRAWAL_TRANSITIONS[e].from as readonly string[]).includes(from));
    throw conflict("illegal_transition", `a ${from} withdrawal cannot ${event}`, { from, event, allowed });
  }
  return t.to;
}

export function renderWithdrawalMachine(): string {
  const rows = Object.entries(WITHDRAWAL_TRANSITIONS).map(([event, t]) => `| ${event} | ${t.from.join(", ")} | ${t.to} | ${t.by} |`);
  return ["| event | from | to | by |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
