import { conflict } from "../../platform/errors.js";

/** The kinds of after-sales (售后) request a buyer can open. */
export const AFTERSALE_TYPES = {
  refund_only: "仅退款 — money back, the goods stay (or never left)",
  return_refund: "退货退款 — the goods go back, the money comes back",
  exchange: "换货 — the goods go back, a replacement comes",
  repair: "维修 — the goods go back, come back repaired",
} as const;
export type AftersaleType = keyof typeof AFTERSALE_TYPES;

export const AFTERSALE_STATES = {
  requested: "待审核 — waiting for the merchant or an operator",
  approved: "已同意 — accepted; goods-back types wait for the buyer to send the parcel",
  rejected: "已拒绝 — refused, with a reason",
  awaiting_return: "退货中 — the buyer sent the goods back; waiting for them to arrive",
  returned: "已收货 — the merchant has the goods back",
  refunded: "已退款 — the money went back to the buyer",
  reshipped: "已换货 — the replacement is on its way",
  repaired: "已维修 — the repaired goods are on their way back",
  cancelled: "已撤销 — withdrawn by the buyer",
} as const;
export type AftersaleStatus = keyof typeof AFTERSALE_STATES;

/** States a request ends in; while in any other, its items have an open request. */
export const FINAL_STATES: readonly AftersaleStatus[] = ["rejected", "refunded", "reshipped", "repaired", "cancelled"];

const ALL: readonly AftersaleType[] = ["refund_only", "return_refund", "exchange", "repair"];
const GOODS_BACK: readonly AftersaleType[] = ["return_refund", "exchange", "repair"];

/**
 * Every allowed move, as data: the service guard, GET /aftersales/state-machine, the README and the
 * tests read this one list. A move not listed for the request's type and state is a 409.
 */
export const AFTERSALE_TRANSITIONS = [
  { event: "approve", types: ALL, from: ["requested"], to: "approved", by: "merchant or operator (a refund-only request on an unshipped order is refunded at once)" },
  { event: "reject", types: ALL, from: ["requested"], to: "rejected", by: "merchant or operator, with a reason" },
  { event: "cancel", types: ALL, from: ["requested", "approved"], to: "cancelled", by: "the buyer" },
  { event: "send_back", types: GOODS_BACK, from: ["approved"], to: "awaiting_return", by: "the buyer gives the return parcel's carrier and tracking number" },
  { event: "receive_return", types: GOODS_BACK, from: ["awaiting_return"], to: "returned", by: "merchant or operator confirms the goods arrived (a return's goods go back into stock)" },
  { event: "refund", types: ["refund_only"], from: ["approved"], to: "refunded", by: "merchant or operator (or approval itself, before shipment)" },
  { event: "refund", types: ["return_refund"], from: ["returned"], to: "refunded", by: "merchant or operator, once the goods are back" },
  { event: "reship", types: ["exchange"], from: ["returned"], to: "reshipped", by: "merchant or operator ships the replacement" },
  { event: "reship", types: ["repair"], from: ["returned"], to: "repaired", by: "merchant or operator ships the repaired goods back" },
] as const satisfies ReadonlyArray<{ event: string; types: readonly AftersaleType[]; from: readonly AftersaleStatus[]; to: AftersaleStatus; by: string }>;

export type AftersaleEvent = (typeof AFTERSALE_TRANSITIONS)[number]["event"];

/** The state after `event` for a request of this type in this state, or a 409 `illegal_transition`. */
export function nextAftersaleStatus(type: AftersaleType, from: AftersaleStatus, event: AftersaleEvent): AftersaleStatus {
  const applies = (t: (typeof AFTERSALE_TRANSITIONS)[number]) => (t.types as readonly string[]).includes(type) && (t.from as readonly string[]).includes(from);
  const found = AFTERSALE_TRANSITIONS.find((t) => t.event === event && applies(t));
  if (!found) {
    const allowed = [...new Set(AFTERSALE_TRANSITIONS.filter(applies).map((t) => t.event))];
    throw conflict("illegal_transition", `a ${type} request that is ${from} cannot ${event.replace("_", " ")}`, { from, event, type, allowed });
  }
  return found.to;
}

/** The machine as a Markdown table (the README embeds exactly this; a test keeps them equal). */
export function renderAftersaleMachine(): string {
  const rows = AFTERSALE_TRANSITIONS.map((t) => `| ${t.event} | ${t.types.join(", ")} | ${t.from.join(", ")} | ${t.to} | ${t.by} |`);
  return ["| event | types | from | to | by |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
