import { type CSSProperties, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import DotLoading from "antd-mobile/es/components/dot-loading";
import ErrorBlock from "antd-mobile/es/components/error-block";
import { ApiError } from "../../shared/api";
import { countdown } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { loginPath } from "../components/RequireLogin";
import { useSession } from "../session";

/**
 * The server's clock as seen from this page. Countdowns (teams, bargains, flash slots) run on it, not on
 * the phone's clock, which may be off: the offset is taken from `GET /time` and from every view that
 * carries `serverTime`.
 */
let offsetMs = 0;
export const serverNow = () => Date.now() + offsetMs;
export function syncServerTime(serverTime: string | Date | undefined): void {
  if (serverTime) offsetMs = new Date(serverTime).getTime() - Date.now();
}

/** Syncs with `GET /time` on mount and re-renders every second, so countdowns tick. */
export function useServerClock(): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const sent = Date.now();
    api
      .get<{ now: string }>("/time")
      .then(({ now }) => {
        // Half the round trip is the best guess of how old the answer is.
        offsetMs = new Date(now).getTime() + (Date.now() - sent) / 2 - Date.now();
        setTick((n) => n + 1);
      })
      .catch(() => undefined);
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return serverNow();
}

/** "01:02:03" to `until` by the server's clock (the caller re-renders each second with useServerClock). */
export function Countdown({ until, now, style }: { until: string | Date; now: number; style?: CSSProperties }) {
  return (
    <span data-testid="countdown" style={{ fontVariantNumeric: "tabular-nums", ...style }}>
      {countdown(new Date(until).getTime() - now)}
    </span>
  );
}

/** Loads `load()` now, when `deps` change and every `pollMs`; views with `serverTime` sync the clock. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      const value = await loadRef.current();
      const st = (value as { serverTime?: string } | null)?.serverTime;
      if (st) syncServerTime(st);
      setData(value);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    setData(null);
    void reload();
    if (!pollMs) return;
    const timer = setInterval(() => void reload(), pollMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { data, error, reload, setData };
}

/** An API error in the shopper's language: a phrase per known code, else the server's message. */
export function useErrorText() {
  const { t } = useI18n();
  return (e: unknown) => {
    if (e instanceof ApiError) {
      const key = `err.${e.code}`;
      const phrase = t(key);
      if (phrase !== key) return phrase;
      if (e.status === 429) return t("err.too_many");
      return e.message;
    }
    return t("err.network");
  };
}

/** The share token (`?share=`) of the link that brought the visitor here, if any (the shell remembers it for sign-up). */
export function useShareToken(): string | null {
  const [search] = useSearchParams();
  return search.get("share");
}

/** Sends a visitor who must sign in to the login page, to come back here afterwards. */
export function useRequireUser() {
  const { user } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  return useCallback(() => {
    if (user) return user;
    navigate(loginPath(location.pathname + location.search));
    return null;
  }, [user, navigate, location]);
}

/** What a page shows while its data loads, or when it cannot. */
export function LoadState({ error }: { error: unknown }) {
  const { t } = useI18n();
  const text = useErrorText();
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <ErrorBlock status={missing ? "empty" : "default"} title={missing ? t("common.notFound") : t("common.loadFailed")} description={missing ? "" : text(error)} style={{ paddingTop: 80 }} />;
  }
  return (
    <div style={{ textAlign: "center", paddingTop: 120, color: "#999" }}>
      <DotLoading />
    </div>
  );
}

/** A white rounded block on the grey page. */
export function Card({ children, style, testId }: { children: ReactNode; style?: CSSProperties; testId?: string }) {
  return (
    <div data-testid={testId} style={{ background: "#fff", borderRadius: 12, margin: "12px 12px 0", padding: 14, ...style }}>
      {children}
    </div>
  );
}

/** A masked name's initial in a coloured circle (team pages show no real avatars). */
export function Avatar({ name, empty, size = 48, color = "#ff6a00" }: { name?: string; empty?: boolean; size?: number; color?: string }) {
  return (
    <div
      style={{
        width: size,
        height: size,
        borderRadius: size / 2,
        background: empty ? "#fff" : color,
        border: empty ? "2px dashed #ccc" : "none",
        color: empty ? "#ccc" : "#fff",
        fontSize: size / 2.4,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        flex: "none",
      }}
    >
      {empty ? "?" : ([...(name ?? "")][0] ?? "·")}
    </div>
  );
}

export const PRICE_RED = "var(--store-red)";
