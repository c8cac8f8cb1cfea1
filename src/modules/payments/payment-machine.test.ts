import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { nextPaymentStatus, renderPaymentMachine } from "./payment-machine.js";

describe("the payment state machine", () => {
  it("is the table the README shows", () => {
    const readme = fs.readFileSync(new URL("./README.md", import.meta.url), "utf8");
    expect(readme).toContain(renderPaymentMachine());
  });

  it("refuses an illegal transition with the events allowed from there", () => {
    expect(nextPaymentStatus("created", "succeed")).toBe("succeeded");
    expect(() => nextPaymentStatus("closed", "succeed")).toThrow("a payment that is closed cannot succeed");
    let refused: unknown;
    try {
      nextPaymentStatus("succeeded", "fail");
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ status: 409, code: "illegal_transition", details: { from: "succeeded", event: "fail", allowed: [] } });
  });
});
