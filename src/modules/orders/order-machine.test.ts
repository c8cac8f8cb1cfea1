import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../platform/errors.js";
import { ORDER_STATES, ORDER_TRANSITIONS, type OrderEvent, type OrderStatus, nextStatus, renderOrderMachine } from "./order-machine.js";

const states = Object.keys(ORDER_STATES) as OrderStatus[];
const events = Object.keys(ORDER_TRANSITIONS) as OrderEvent[];

describe("order state machine", () => {
  it("allows exactly the transitions in the table, from every state", () => {
    for (const from of states) {
      for (const event of events) {
        const t = ORDER_TRANSITIONS[event];
        if ((t.from as readonly string[]).includes(from)) {
          expect(nextStatus(from, event)).toBe(t.to);
        } else {
          const err = (() => {
            try {
              nextStatus(from, event);
            } catch (e) {
              return e;
            }
          })() as AppError;
          expect(err).toBeInstanceOf(AppError);
          expect(err.status).toBe(409);
          expect(err.code).toBe("illegal_transition");
        }
      }
    }
  });

  it("lets no order leave cancelled or closed", () => {
    for (const event of events) {
      expect(() => nextStatus("cancelled", event)).toThrow();
      expect(() => nextStatus("closed", event)).toThrow();
    }
  });

  it("reaches every state from pending_payment", () => {
    const seen = new Set<OrderStatus>(["pending_payment"]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of Object.values(ORDER_TRANSITIONS)) {
        if (t.from.some((f) => seen.has(f)) && !seen.has(t.to)) {
          seen.add(t.to);
          grew = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...states].sort());
  });

  it("is documented in the module README exactly as the code has it", () => {
    const readme = fs.readFileSync(new URL("./README.md", import.meta.url), "utf8");
    expect(readme).toContain(renderOrderMachine());
  });
});
