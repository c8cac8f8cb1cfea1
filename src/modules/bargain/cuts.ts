import crypto from "node:crypto";

/** `n` uniform numbers in [0, 1) derived from a seed (48 bits of sha256(seed:i) each): the same seed, the same numbers. */
function uniforms(seed: string, n: number): number[] {
  return Array.from({ length: n }, (_, i) => crypto.createHash("sha256").update(`${seed}:${i}`).digest().readUIntBE(0, 6) / 2 ** 48);
}

/**
 * The K cuts of a bargain, in the order helpers take them: every cut at least 1 fen, together exactly
 * `total` (original − floor) fen, so the K-th helper lands on the floor and no one earlier does.
 *
 * Front-loaded: helper i gets a weight of about 1/i times a random factor in [0.5, 1.5); the fen above
 * the 1-fen minimum are split by those weights (largest remainder, in integers), and the cuts are handed
 * out largest first. Deterministic for a seed, so a bargain's plan can be re-derived and checked.
 */
export function planCuts(total: number, helpers: number, seed: string): number[] {
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(helpers) || helpers < 1 || total < helpers) {
    throw new Error(`cannot cut ${total} fen into ${helpers} cuts of at least 1 fen`);
  }
  const weights = uniforms(seed, helpers).map((u, i) => BigInt(Math.floor((1_000_000 * (0.5 + u)) / (i + 1))) + 1n);
  const sum = weights.reduce((a, b) => a + b, 0n);
  const spare = BigInt(total - helpers);
  const shares = weights.map((w) => (spare * w) / sum);
  let left = spare - shares.reduce((a, b) => a + b, 0n);
  const byRemainder = weights.map((w, i) => ({ i, rem: (spare * w) % sum })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    shares[i] += 1n;
    left -= 1n;
  }
  return shares.map((s) => Number(s) + 1).sort((a, b) => b - a);
}
