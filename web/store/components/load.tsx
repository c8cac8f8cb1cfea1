import { useCallback, useEffect, useRef, useState } from "react";
import DotLoading from "antd-mobile/es/components/dot-loading";
import { ApiError } from "../../shared/api";
import { useI18n } from "../../shared/i18n";
import { syncServerTime } from "./serverClock";

/** Loads `load()` now and whenever `deps` change; a view that carries `serverTime` also syncs the clock. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      const value = await loadRef.current();
      syncServerTime((value as { serverTime?: string } | null)?.serverTime);
      setData(value);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    setData(null);
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { data, error, reload, setData };
}

/** An API error in the shopper's language: the phrase `err.<code>` when there is one, else the server's message. */
export function useErrorText() {
  const { t } = useI18n();
  return (e: unknown) => {
    if (e instanceof ApiError) {
      const key = `err.${e.code}`;
      const phrase = t(key);
      if (phrase !== key) return phrase;
      return e.status === 429 ? t("load.tooMany") : e.message;
    }
    return t("load.network");
  };
}

/** What a page shows while its data loads, or why it cannot (a missing thing, or the error). */
export function LoadState({ error }: { error: unknown }) {
  const { t } = useI18n();
  const text = useErrorText();
  if (!error)
    return (
      <div style={{ textAlign: "center", paddingTop: 140 }}>
        <DotLoading color="primary" />
      </div>
    );
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <div style={{ textAlign: "center", padding: "120px 24px 0", color: "#999" }} data-testid="load-error">
      <div style={{ fontSize: 16, color: "#555" }}>{t(missing ? "load.notFound" : "load.failed")}</div>
      {!missing && <div style={{ fontSize: 13, marginTop: 8 }}>{text(error)}</div>}
    </div>
  );
}
