import { describe, expect, it } from "vitest";
import { pickPrize, rollFor, seedHash } from "./draw-random.js";

describe("draw randomness", () => {
  it("is the same roll for the same seed, activity and nonce, and another for the next nonce", () => {
    const a = rollFor("seed-1", "lot_A", 1);
    expect(rollFor("seed-1", "lot_A", 1)).toEqual(a);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(a.roll).toBe(Number((BigInt(`0x${a.digest.slice(0, 12)}`) * 10000n) >> 48n));
    expect(rollFor("seed-1", "lot_A", 2).digest).not.toBe(a.digest);
    expect(rollFor("seed-2", "lot_A", 1).digest).not.toBe(a.digest);
  });

  it("spreads rolls evenly over [0, 10 000)", () => {
    const buckets = new Array(10).fill(0);
    for (let n = 1; n <= 20_000; n++) buckets[Math.floor(rollFor("even", "lot_B", n).roll / 1000)] += 1;
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it("picks the prize whose band holds the roll, bands in position order", () => {
    const prizes = [
      { id: "b", position: 1, probability_bp: 3000 },
      { id: "a", position: 0, probability_bp: 100 },
      { id: "c", position: 2, probability_bp: 6900 },
    ];
    expect([0, 99, 100, 3099, 3100, 9999].map((roll) => pickPrize(prizes, roll).id)).toEqual(["a", "a", "b", "b", "c", "c"]);
  });

  it("publishes a sha256 of the seed", () => {
    expect(seedHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
