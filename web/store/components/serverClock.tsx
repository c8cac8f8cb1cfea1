import { type CSSProperties, useEffect, useState } from "react";
import { countdown } from "../../shared/format";
import { api } from "../api";

/**
 * The server's clock as seen from this page. Countdowns run on it, not on the phone's clock, which may
 * be off (and browser tests run the server on a moved clock): the offset comes from `GET /time` and from
 * every view that carries `serverTime`.
 */
let offsetMs = 0;
let synced: Promise<void> | null = null;

export const serverNow = () => Date.now() + offsetMs;

export function syncServerTime(serverTime: string | Date | undefined): void {
  if (serverTime) offsetMs = new Date(serverTime).getTime() - Date.now();
}

function syncOnce(): Promise<void> {
  synced ??= (async () => {
    const sent = Date.now();
    const { now } = await api.get<{ now: string }>("/time");
    // Half the round trip is the best guess of how old the answer is.
    offsetMs = new Date(now).getTime() + (Date.now() - sent) / 2 - Date.now();
  })().catch(() => {
    synced = null;
  });
  return synced;
}

/** The server's time now, re-rendering the caller every second (synced with `GET /time` once per page load). */
export function useServerClock(): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    void syncOnce().then(() => setTick((n) => n + 1));
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return serverNow();
}

/** "01:02:03" to `until` on the server's clock; only this element re-renders each second. */
export function LiveCountdown({ until, style }: { until: string; style?: CSSProperties }) {
  const now = useServerClock();
  return (
    <span data-testid="countdown" style={{ fontVariantNumeric: "tabular-nums", ...style }}>
      {countdown(new Date(until).getTime() - now)}
    </span>
  );
}
