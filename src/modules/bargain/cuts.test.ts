import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planCuts } from "./cuts.js";

/** Random bargains: original price up to ¥1 000 000, any floor below it, any K the fen allow (up to 300). */
const bargains = fc
  .record({ original: fc.integer({ min: 1, max: 100_000_000 }), floorShare: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), k: fc.integer({ min: 1, max: 300 }), seed: fc.string({ minLength: 1, maxLength: 32 }) })
  .map(({ original, floorShare, k, seed }) => {
    const floor = Math.min(original - 1, Math.floor(original * floorShare));
    return { original, floor, k: Math.min(k, original - floor), seed };
  });

describe("bargain cuts", () => {
  it("reach the floor exactly with the K-th helper, never before and never below, in whole fen ≥ 1", () => {
    fc.assert(
      fc.property(bargains, ({ original, floor, k, seed }) => {
        const cuts = planCuts(original - floor, k, seed);
        if (cuts.length !== k) return false;
        let price = original;
        for (const [i, cut] of cuts.entries()) {
          if (!Number.isSafeInteger(cut) || cut < 1) return false;
          price -= cut;
          if (i < k - 1 && price <= floor) return false;
        }
        return price === floor;
      }),
      { numRuns: 500 },
    );
  });

  it("are front-loaded: each helper cuts at least as much as the next", () => {
    fc.assert(
      fc.property(bargains, ({ original, floor, k, seed }) => {
        const cuts = planCuts(original - floor, k, seed);
        return cuts.every((cut, i) => i === 0 || cuts[i - 1] >= cut);
      }),
      { numRuns: 300 },
    );
  });

  it("are the same for the same seed and differ between seeds", () => {
    expect(planCuts(9000, 10, "a1")).toEqual(planCuts(9000, 10, "a1"));
    expect(planCuts(9000, 10, "a1")).not.toEqual(planCuts(9000, 10, "b2"));
  });

  it("give the first helper a large share: about a third of ¥90 with 10 helpers", () => {
    const first = planCuts(9000, 10, "c3")[0];
    expect(first).toBeGreaterThan(9000 / 10);
    expect(first).toBeLessThan(9000 * 0.6);
  });

  it("split K fen into K cuts of exactly 1 fen", () => {
    expect(planCuts(5, 5, "x")).toEqual([1, 1, 1, 1, 1]);
  });

  it("refuse more helpers than fen to cut", () => {
    expect(() => planCuts(4, 5, "x")).toThrow("cannot cut 4 fen into 5 cuts");
  });
});
