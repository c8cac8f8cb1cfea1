import fs from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../platform/errors.js";
import { AFTERSALE_TRANSITIONS, nextAftersaleStatus, renderAftersaleMachine } from "./after-sales-machine.js";
import { renderAftersaleWindows } from "./after-sales-rules.js";
import { paidShareOf, unitShares } from "./refund-amount.js";

describe("the after-sales machine and rules as data", () => {
  it("is the table the README shows", () => {
    const readme = fs.readFileSync(new URL("./README.md", import.meta.url), "utf8");
    expect(readme).toContain(renderAftersaleMachine());
    expect(readme).toContain(renderAftersaleWindows());
  });

  it("routes a refund by type: refund_only from approved, return_refund only from returned", () => {
    expect(nextAftersaleStatus("refund_only", "approved", "refund")).toBe("refunded");
    expect(nextAftersaleStatus("return_refund", "returned", "refund")).toBe("refunded");
    expect(nextAftersaleStatus("repair", "returned", "reship")).toBe("repaired");
    const err = (() => {
      try {
        nextAftersaleStatus("refund_only", "approved", "send_back");
      } catch (e) {
        return e as AppError;
      }
    })();
    expect([err?.status, err?.code, err?.details]).toEqual([409, "illegal_transition", { from: "approved", event: "send_back", type: "refund_only", allowed: ["cancel", "refund"] }]);
  });

  it("never lets a final state move on", () => {
    for (const t of AFTERSALE_TRANSITIONS) for (const final of ["rejected", "refunded", "reshipped", "repaired", "cancelled"]) expect(t.from as readonly string[]).not.toContain(final);
  });
});

describe("paid shares", () => {
  const order = fc
    .record({
      lines: fc.array(fc.record({ unit: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 })), qty: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 6 }),
      payable: fc.integer({ min: 0, max: 5_000_000 }),
    })
    .map(({ lines, payable }) => ({
      payable,
      items: lines.map((l, i) => ({ id: `oit_${i}`, qty: l.qty, lineTotal: l.unit * l.qty, refundedQty: 0 })),
    }));

  it("refunding every unit, in any batches, refunds exactly the payable", () => {
    fc.assert(
      fc.property(order, fc.integer({ min: 1, max: 5 }), (o, batch) => {
        const items = o.items.map((i) => ({ ...i }));
        let refunded = 0;
        for (const item of items) {
          while (item.refundedQty < item.qty) {
            const qty = Math.min(batch, item.qty - item.refundedQty);
            refunded += paidShareOf({ payable: o.payable, items: items as never }, [{ orderItemId: item.id, qty }]);
            item.refundedQty += qty;
          }
        }
        expect(refunded).toBe(o.payable);
      }),
    );
  });

  it("gives no unit of a line more than one fen above another", () => {
    fc.assert(
      fc.property(order, (o) => {
        for (const units of unitShares(o as never).values()) expect(Math.max(...units) - Math.min(...units)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
