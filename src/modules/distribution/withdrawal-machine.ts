import { defineMachine, type Transition } from "../../platform/state-machine.js";

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
} as const satisfies Record<string, Transition<WithdrawalStatus>>;

export type WithdrawalEvent = keyof typeof WITHDRAWAL_TRANSITIONS;

const withdrawalMachine = defineMachine<WithdrawalStatus, WithdrawalEvent>("withdrawal", WITHDRAWAL_STATES, WITHDRAWAL_TRANSITIONS);

/** The state after `event`, or a 409 `illegal_transition` naming what is allowed from here. */
export const nextWithdrawalStatus = withdrawalMachine.next;
export const renderWithdrawalMachine = withdrawalMachine.render;
