/** Money is always an integer number of fen (分): ¥1.00 = 100. */
export type Fen = number;

export function assertFen(value: number, field = "amount"): Fen {
  if (!Number.isSafeInteger(value)) throw new Error(`${field} must be an integer number of fen, got ${value}`);
  return value;
}

/** "¥12.34" for display; never parse this back. */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Yuan strings as payment providers send them ("88.88") to fen, exactly, without floating point. */
export function yuanStringToFen(yuan: string): Fen {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) throw new Error(`not a yuan amount: ${yuan}`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export function fenToYuanString(fen: Fen): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}

/**
 * Splits `total` fen across `weights` in proportion, by the largest-remainder rule: every share is
 * floor(total × w / Σw), and the fen left over go one each to the largest fractional remainders
 * (ties to the earlier entry). The shares always sum to exactly `total`.
 */
export function allocate(total: Fen, weights: number[]): Fen[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const shares = raw.map((r) => Math.floor(r));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rem: r - Math.floor(r) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] += 1;
    left -= 1;
  }
  return shares;
}
