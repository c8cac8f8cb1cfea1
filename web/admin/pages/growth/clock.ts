import { useEffect, useState } from "react";
import { shanghaiDate, shanghaiTime } from "../../../shared/format";
import { api } from "../../api";

/**
 * Reports are asked for by Asia/Shanghai calendar day, and "today" is the server's today: a server
 * running on a moved clock (demos, browser tests) has weeks of history that the browser's own date
 * would miss.
 */
let offset: Promise<number> | null = null;
let known = 0;

function serverOffset(): Promise<number> {
  offset ??= api
    .get<{ now: string }>("/time")
    .then((r) => (known = new Date(r.now).getTime() - Date.now()))
    .catch(() => 0);
  return offset;
}

export const serverNow = () => new Date(Date.now() + known);

/** Today's date in Asia/Shanghai on the server's clock, once the clock is known; it turns at midnight. */
export function useServerToday(): string | null {
  const [today, setToday] = useState<string | null>(null);
  useEffect(() => {
    const check = () => setToday(shanghaiDate(serverNow()));
    void serverOffset().then(check);
    const timer = setInterval(check, 60_000);
    return () => clearInterval(timer);
  }, []);
  return today;
}

/** "2026-11-30" moved by `n` days (calendar arithmetic in UTC, so no zone or DST can shift it). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The last `days` days up to and including `today`. */
export function lastDays(today: string, days: number): [string, string] {
  return [addDays(today, 1 - days), today];
}

/** "HH:mm:ss" of a server instant in Asia/Shanghai. */
export const clockTime = (d: Date) => shanghaiTime(d).slice(11);
