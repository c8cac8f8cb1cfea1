import crypto from "node:crypto";

/** The roll range: probabilities are basis points of it. */
export const ROLL_RANGE = 10_000;

/**
 * The random value of one draw: HMAC-SHA256 keyed by the activity's server seed over
 * `<activityId>:<nonce>`, its first 48 bits scaled to a roll in [0, 10 000). Anyone holding the seed
 * recomputes every draw; the published seed hash shows the seed was fixed before the first draw.
 */
export function rollFor(serverSeed: string, activityId: string, nonce: number): { digest: string; roll: number } {
  const digest = crypto.createHmac("sha256", serverSeed).update(`${activityId}:${nonce}`).digest("hex");
  const value = BigInt(`0x${digest.slice(0, 12)}`);
  return { digest, roll: Number((value * BigInt(ROLL_RANGE)) >> 48n) };
}

/** The prize whose band of the roll range holds the roll: bands follow the prizes' positions. */
export function pickPrize<P extends { position: number; probability_bp: number }>(prizes: P[], roll: number): P {
  let upper = 0;
  const ordered = [...prizes].sort((a, b) => a.position - b.position);
  for (const prize of ordered) {
    upper += prize.probability_bp;
    if (roll < upper) return prize;
  }
  throw new Error(`roll ${roll} is outside the prizes' bands (they sum to ${upper})`);
}

export const newServerSeed = () => crypto.randomBytes(32).toString("hex");
export const seedHash = (seed: string) => crypto.createHash("sha256").update(seed).digest("hex");
