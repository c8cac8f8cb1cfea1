import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../platform/errors.js";
import { BARGAIN_STATES, BARGAIN_TRANSITIONS, type BargainEvent, type BargainStatus, bargainMachine } from "./bargain-machine.js";

const states = Object.keys(BARGAIN_STATES) as BargainStatus[];
const events = Object.keys(BARGAIN_TRANSITIONS) as BargainEvent[];

describe("bargain state machine", () => {
  it("allows exactly the transitions in the table, from every state", () => {
    for (const from of states) {
      for (const event of events) {
        const t = BARGAIN_TRANSITIONS[event];
        if ((t.from as readonly string[]).includes(from)) {
          expect(bargainMachine.next(from, event)).toBe(t.to);
        } else {
          let err: unknown;
          try {
            bargainMachine.next(from, event);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).status).toBe(409);
          expect((err as AppError).code).toBe("illegal_transition");
        }
      }
    }
  });

  it("lets no bargain leave paid or expired", () => {
    for (const event of events) {
      expect(() => bargainMachine.next("paid", event)).toThrow();
      expect(() => bargainMachine.next("expired", event)).toThrow();
    }
  });

  it("is documented in the module README exactly as the code has it", () => {
    const readme = fs.readFileSync(new URL("./README.md", import.meta.url), "utf8");
    expect(readme).toContain(bargainMachine.render());
  });
});
