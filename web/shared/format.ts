/** Display rules shared by the store and the console: money arrives in integer fen, times in UTC. */
export const DISPLAY_ZONE = "Asia/Shanghai";

/** 12345 → "¥123.45"; integer arithmetic, so no float ever rounds a price. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return "—";
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const whole = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, "0")}`;
}

const dateTime = new Intl.DateTimeFormat("sv-SE", { timeZone: DISPLAY_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const dateOnly = new Intl.DateTimeFormat("sv-SE", { timeZone: DISPLAY_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** An instant shown in Asia/Shanghai: "2026-11-30 18:51:38". */
export function shanghaiTime(iso: string | Date | null | undefined): string {
  if (!iso) return "—";
  return dateTime.format(typeof iso === "string" ? new Date(iso) : iso);
}

export function shanghaiDate(iso: string | Date | null | undefined): string {
  if (!iso) return "—";
  return dateOnly.format(typeof iso === "string" ? new Date(iso) : iso);
}

/** 0.1234 → "12.3%". */
export const percent = (ratio: number | null | undefined, digits = 1) => (ratio === null || ratio === undefined || !Number.isFinite(ratio) ? "—" : `${(ratio * 100).toFixed(digits)}%`);

/** Seconds left → "01:02:03" for countdowns. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
