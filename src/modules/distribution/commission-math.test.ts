import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commissionOf, keptAfterRefunds } from "./commission-math.js";

/** ceil(a × b / c) in exact integer arithmetic, to check the float-free claim independently. */
const ceilDiv = (a: number, b: number, c: number) => Number((BigInt(a) * BigInt(b) + BigInt(c) - 1n) / BigInt(c));

describe("commission arithmetic", () => {
  it("earns floor(base × rate) per line, never more than the base", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 10_000 }), (base, rate) => {
        const c = commissionOf(base, rate);
        expect(c).toBe(Number((BigInt(base) * BigInt(rate)) / 10_000n));
        expect(c).toBeLessThanOrEqual(base);
      }),
    );
  });

  it("reverses exactly the refunded share over any sequence of partial refunds: ceil(commission × refunded / payable) in all", () => {
    const scenario = fc
      .record({ payable: fc.integer({ min: 1, max: 10_000_000 }), base: fc.integer({ min: 0, max: 10_000_000 }), rate: fc.integer({ min: 1, max: 10_000 }), cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }) })
      .map(({ payable, base, rate, cuts }) => {
        // Refunds that add up to at most the payable, as refunds of one order must.
        let left = payable;
        const refunds = cuts.map((f) => {
          const r = Math.floor(left * f);
          left -= r;
          return r;
        });
        return { payable, commission: commissionOf(Math.min(base, payable), rate), refunds };
      });
    fc.assert(
      fc.property(scenario, ({ payable, commission, refunds }) => {
        let kept = commission;
        let refunded = 0;
        let reversedInAll = 0;
        for (const r of refunds) {
          refunded += r;
          const next = keptAfterRefunds(commission, payable, refunded);
          expect(kept - next).toBeGreaterThanOrEqual(0);
          reversedInAll += kept - next;
          kept = next;
          expect(reversedInAll).toBe(ceilDiv(commission, refunded, payable));
          expect(kept).toBe(commission - ceilDiv(commission, refunded, payable));
        }
        expect(reversedInAll).toBeLessThanOrEqual(commission);
        expect(keptAfterRefunds(commission, payable, payable)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it("rounds what is kept down: ¥20.00 on a ¥200.00 order, ¥70.01 refunded, keeps ¥12.99", () => {
    expect(keptAfterRefunds(2000, 20000, 7001)).toBe(1299);
    expect(2000 - keptAfterRefunds(2000, 20000, 7001)).toBe(ceilDiv(2000, 7001, 20000));
  });
});

describe("the README", () => {
  it("shows the commission and withdrawal machines exactly as the code has them", async () => {
    const fs = await import("node:fs");
    const { renderCommissionMachine } = await import("./commission-machine.js");
    const { renderWithdrawalMachine } = await import("./withdrawal-machine.js");
    const readme = fs.readFileSync(new URL("./README.md", import.meta.url), "utf8");
    expect(readme).toContain(renderCommissionMachine());
    expect(readme).toContain(renderWithdrawalMachine());
  });
});
