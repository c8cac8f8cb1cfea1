import { type Fen, allocate } from "../../platform/money.js";
import type { OrderView } from "../orders/orders.service.js";

type Order = Pick<OrderView, "payable" | "items">;

/**
 * What the buyer paid for each unit of each line. The order's payable (after discounts, with shipping)
 * is split over its lines by line total, then each line's share over its units, both by the largest
 * remainder rule (money.allocate): shares are whole fen, the fen left over go to the largest
 * fractional parts (ties to the earlier line or unit), and every split sums exactly to what it splits.
 * Refunding every unit of every line therefore refunds exactly the payable, never a fen more or less.
 */
export function unitShares(order: Order): Map<string, Fen[]> {
  // Free goods with a shipping fee: nothing to weigh by price, so the fee is shared by quantity.
  const byPrice = order.items.some((i) => i.lineTotal > 0);
  const lineShares = allocate(order.payable, order.items.map((i) => (byPrice ? i.lineTotal : i.qty)));
  return new Map(order.items.map((item, k) => [item.id, allocate(lineShares[k], Array.from({ length: item.qty }, () => 1))]));
}

/**
 * The paid share of `qty` more units of each item: units are refunded in order, so a line's units
 * already refunded (refundedQty) are skipped and the next ones are counted.
 */
export function paidShareOf(order: Order, lines: { orderItemId: string; qty: number }[]): Fen {
  const shares = unitShares(order);
  return lines.reduce((sum, line) => {
    const item = order.items.find((i) => i.id === line.orderItemId)!;
    const units = shares.get(item.id)!.slice(item.refundedQty, item.refundedQty + line.qty);
    return sum + units.reduce((a, b) => a + b, 0);
  }, 0);
}
