/** Rates are in basis points: 1000 bp = 10%. */
export const BP = 10_000;

/** A line's commission at a rate, rounded down to the fen. */
export const commissionOf = (base: number, rateBp: number): number => Math.floor((base * rateBp) / BP);

/**
 * What a promoter keeps of a commission after `refunded` of the order's `payable` came back:
 * floor(commission × (payable − refunded) / payable). Kept amounts round down, so the reversals
 * (each the drop in what is kept) add up to exactly ceil(commission × refunded / payable) — never more
 * than the commission, and all of it once everything is refunded.
 */
export function keptAfterRefunds(commission: number, payable: number, refunded: number): number {
  if (payable <= 0) return 0;
  const left = Math.max(0, payable - refunded);
  return Math.floor((commission * left) / payable);
}
