/** The server's error shape, kept whole so forms can show `details` next to the field it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Each field the server named, with its message: `details` is `[{field, message}]` ("items.0.qty"). */
  get fieldErrors(): { field: string; message: string }[] {
    const d = this.details as { field?: string; message?: string } | { field: string; message: string }[] | undefined;
    const list = Array.isArray(d) ? d : d?.field ? [{ field: d.field, message: d.message ?? this.message }] : [];
    return list.map((x) => ({ field: x.field.replace(/^(querystring|params|headers)\./, ""), message: x.message }));
  }
}

export interface ApiClient {
  get<T>(path: string, query?: Record<string, string | number | boolean | undefined | null>): Promise<T>;
  post<T>(path: string, body?: unknown, opts?: { idempotencyKey?: string; headers?: Record<string, string> }): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  token(): string | null;
  setToken(token: string | null): void;
}

/** A JSON client for the Liebian API; the session token lives in localStorage under `storageKey`. */
export function createApi(storageKey: string, onUnauthenticated?: () => void): ApiClient {
  const token = () => localStorage.getItem(storageKey);
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { accept: "application/json", ...headers };
    const t = token();
    if (t) h.authorization = `Bearer ${t}`;
    if (body !== undefined) h["content-type"] = "application/json";
    const res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      if (res.status === 401 && onUnauthenticated) onUnauthenticated();
      throw new ApiError(res.status, data?.code ?? "http_error", data?.message ?? res.statusText, data?.details);
    }
    return data as T;
  }
  return {
    get: (path, query) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
      const qs = q.toString();
      return call("GET", qs ? `${path}?${qs}` : path);
    },
    post: (path, body, opts) => call("POST", path, body ?? {}, { ...opts?.headers, ...(opts?.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {}) }),
    put: (path, body) => call("PUT", path, body ?? {}),
    patch: (path, body) => call("PATCH", path, body ?? {}),
    del: (path) => call("DELETE", path),
    token,
    setToken: (t) => (t ? localStorage.setItem(storageKey, t) : localStorage.removeItem(storageKey)),
  };
}

/** A fresh key for a POST that moves money or stock, so a retried tap cannot pay or reserve twice. */
export const idempotencyKey = () => crypto.randomUUID();
