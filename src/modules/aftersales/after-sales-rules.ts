import { DAY } from "../../platform/clock.js";
import { unprocessable } from "../../platform/errors.js";
import { AFTERSALE_WINDOW_DAYS, type OrderView } from "../orders/orders.service.js";
import type { AftersaleType } from "./after-sales-machine.js";

/** Why the buyer asks; the first four are the merchant's fault (质量问题 in the broad sense). */
export const REASONS = {
  quality_issue: "质量问题 — defective",
  damaged: "商品破损 — arrived broken",
  wrong_item: "发错货 — not what was ordered",
  not_as_described: "与描述不符 — not as described",
  no_reason: "七天无理由 — changed my mind",
  not_received: "未收到货 — never arrived",
  other: "其他 — something else (see the description)",
} as const;
export type ReasonCode = keyof typeof REASONS;
export const QUALITY_REASONS: readonly ReasonCode[] = ["quality_issue", "damaged", "wrong_item", "not_as_described"];

/**
 * When each type of request may be opened, as data (the README's table is rendered from this).
 * `opens`: the moment the request becomes possible; `closes`: the moment it stops being possible, as
 * days after an anchor. Receipt is the earlier of the carrier's delivery and the buyer's (or the
 * automatic) confirmation of receipt; completion is that confirmation.
 */
export const AFTERSALE_WINDOWS = {
  refund_only: { opens: "payment", closesAfter: "completion", days: AFTERSALE_WINDOW_DAYS, note: "before shipment the refund is paid as soon as the request is approved" },
  return_refund: { opens: "receipt", closesAfter: "receipt", days: 7, note: "七天无理由退货; an after-sale-exempt item only with a quality reason and photos" },
  exchange: { opens: "receipt", closesAfter: "receipt", days: 15, note: "" },
  repair: { opens: "receipt", closesAfter: "receipt", days: 90, note: "" },
} as const satisfies Record<AftersaleType, { opens: "payment" | "receipt"; closesAfter: "completion" | "receipt"; days: number; note: string }>;

const OPEN_ORDER_STATUSES = ["paid", "partially_shipped", "shipped", "delivered", "completed"];

export function receivedAt(order: Pick<OrderView, "deliveredAt" | "completedAt">): Date | null {
  const times = [order.deliveredAt, order.completedAt].filter((t): t is Date => t !== null).map((t) => new Date(t).getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

/**
 * Refuses (422, with a code a client can act on) a request the order's timeline does not allow now:
 * `order_not_eligible` (unpaid, cancelled or closed), `order_on_hold` (its campaign has not settled
 * yet), `order_not_received` (goods-back types before receipt), `aftersale_window_closed` (past the
 * deadline, which the details give).
 */
export function assertWindowOpen(type: AftersaleType, order: OrderView, now: Date): void {
  if (!OPEN_ORDER_STATUSES.includes(order.status)) {
    throw unprocessable("order_not_eligible", `an order that is ${order.status} takes no after-sales requests`, { status: order.status });
  }
  // The campaign that holds the order settles it itself (a failed group buy refunds every member); a
  // refund meanwhile would leave the campaign counting an order that is no longer there.
  if (order.fulfilmentHold) {
    throw unprocessable("order_on_hold", `no after-sales request while this order is on hold: ${order.fulfilmentHold}`, { hold: order.fulfilmentHold });
  }
  const rule = AFTERSALE_WINDOWS[type];
  const received = receivedAt(order);
  if (rule.opens === "receipt" && !received) {
    throw unprocessable("order_not_received", `${type} is possible once the goods are received; before that ask for refund_only`, { type });
  }
  const anchor = rule.closesAfter === "receipt" ? received : order.completedAt ? new Date(order.completedAt) : null;
  if (!anchor) return;
  const deadline = new Date(anchor.getTime() + rule.days * DAY);
  if (now.getTime() > deadline.getTime()) {
    throw unprocessable("aftersale_window_closed", `${type} was possible until ${deadline.toISOString()} (${rule.days} days after ${rule.closesAfter})`, { type, deadline: deadline.toISOString() });
  }
}

/** The windows as a Markdown table (the README embeds exactly this; a test keeps them equal). */
export function renderAftersaleWindows(): string {
  const rows = (Object.entries(AFTERSALE_WINDOWS) as [AftersaleType, (typeof AFTERSALE_WINDOWS)[AftersaleType]][]).map(
    ([type, w]) => `| ${type} | ${w.opens} | ${w.days} days after ${w.closesAfter} | ${w.note} |`,
  );
  return ["| type | from | until | note |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
