import { DAY, HOUR } from "../../platform/clock.js";

/** Report days are Asia/Shanghai calendar days: UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET = 8 * HOUR;

export type Grain = "day" | "week" | "month";

/** Day names by day number: a batch of events spans a day or two, so each name is formatted once. */
const dayNames = new Map<number, string>();

/** The Asia/Shanghai calendar day of an instant, "YYYY-MM-DD". */
export function shanghaiDay(at: Date): string {
  const n = Math.floor((at.getTime() + SHANGHAI_OFFSET) / DAY);
  let name = dayNames.get(n);
  if (name === undefined) {
    name = new Date(n * DAY).toISOString().slice(0, 10);
    if (dayNames.size >= 10_000) dayNames.clear();
    dayNames.set(n, name);
  }
  return name;
}

export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** Weeks start on Monday (ISO), months on the 1st; a bucket is named by its first day. */
export function bucketOf(day: string, grain: Grain): string {
  if (grain === "day") return day;
  if (grain === "month") return `${day.slice(0, 8)}01`;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Every bucket that overlaps [from, to], in order (so empty buckets show as zeros). */
export function bucketsIn(from: string, to: string, grain: Grain): string[] {
  const buckets: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const bucket = bucketOf(day, grain);
    if (buckets[buckets.length - 1] !== bucket) buckets.push(bucket);
  }
  return buckets;
}
