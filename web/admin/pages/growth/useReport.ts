import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../../../shared/api";
import { api } from "../../api";
import { serverNow } from "./clock";

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface Report<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  /** When the shown data arrived, on the server's clock. */
  updatedAt: Date | null;
  reload(): void;
}

/**
 * One report from the analytics API. A null path waits (e.g. for the server's date). With `pollMs` the
 * report refreshes quietly in the background: the old numbers stay on screen until new ones arrive.
 */
export function useReport<T>(path: string | null, query: Query, opts: { pollMs?: number } = {}): Report<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [nonce, setNonce] = useState(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    if (!path) return;
    let live = true;
    const load = (quiet: boolean) => {
      if (!quiet) setLoading(true);
      api
        .get<T>(path, JSON.parse(key) as Query)
        .then((d) => {
          if (!live) return;
          setData(d);
          setError(null);
          setUpdatedAt(serverNow());
        })
        .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)))
        .finally(() => live && setLoading(false));
    };
    load(false);
    const timer = opts.pollMs ? setInterval(() => load(true), opts.pollMs) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [path, key, opts.pollMs, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, updatedAt, reload };
}
