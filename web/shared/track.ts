/**
 * Browser event tracking (埋点) for POST /track: events are queued and sent in batches — every few
 * seconds, when the queue fills, and when the page is hidden or closed (fetch with `keepalive`, else
 * `sendBeacon`), so a tap that navigates away is not lost. Business events (orders, payments, sign-ups)
 * are recorded by the server; pages only report what the shopper looked at and did.
 *
 *   const tracker = createTracker({ token: () => api.token(), shareToken: arrivalShareToken });
 *   tracker.pageView();
 *   tracker.track("product_view", { productId });
 */

export type BrowserEventType = "page_view" | "product_view" | "share" | "click" | "add_to_cart";
export type FissionPath = "share" | "invite" | "groupbuy" | "bargain" | "coupon" | "distribution" | "organic";

export interface EventFields {
  productId?: string;
  campaignId?: string;
  channel?: string;
  path?: FissionPath;
  /** A few flat values (at most 20; strings up to 200 characters). */
  props?: Record<string, string | number | boolean | null>;
}

export interface TrackerOptions {
  /** Where events go; `/track` on the same origin by default. */
  endpoint?: string;
  /** The signed-in shopper's token, if any: their events are credited to them. */
  token?: () => string | null;
  /** The share the visitor arrived through, sent with every event. */
  shareToken?: () => string | undefined;
  /** How often queued events are sent (default 5 s). */
  flushMs?: number;
}

export interface Tracker {
  track(type: BrowserEventType, fields?: EventFields): void;
  /** A page view of the current route (hash routes included). */
  pageView(fields?: EventFields): void;
  /** Sends what is queued now. */
  flush(): void;
  readonly anonymousId: string;
}

interface QueuedEvent extends EventFields {
  type: BrowserEventType;
  at: string;
  anonymousId: string;
  sessionId: string;
  shareToken?: string;
  source?: string;
  medium?: string;
}

const ANON_KEY = "liebian.track.anon";
const SESSION_KEY = "liebian.track.session";
const UTM_KEY = "liebian.track.utm";
/** A visit ends after half an hour without events. */
const SESSION_IDLE_MS = 30 * 60_000;
/** The server takes at most 100 events a call. */
const MAX_BATCH = 100;
/** Past this many unsent events (offline for long), the oldest are dropped. */
const MAX_QUEUE = 500;

const newId = () => crypto.randomUUID();

function stored(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function store(storage: Storage, key: string, value: string): void {
  try {
    storage.setItem(key, value);
  } catch {
    // Private mode or full storage: ids then last for this page only.
  }
}

function anonymousId(): string {
  const existing = stored(localStorage, ANON_KEY);
  if (existing) return existing;
  const id = newId();
  store(localStorage, ANON_KEY, id);
  return id;
}

/** The current visit's id: kept while events keep coming, renewed after half an hour of silence. */
function sessionId(now: number): string {
  const [id, last] = (stored(localStorage, SESSION_KEY) ?? "").split(" ");
  const current = id && now - Number(last) < SESSION_IDLE_MS ? id : newId();
  store(localStorage, SESSION_KEY, `${current} ${now}`);
  return current;
}

/** utm_source / utm_medium of the landing URL (before or after the hash), kept for the browser tab. */
function utm(): { source?: string; medium?: string } {
  const saved = stored(sessionStorage, UTM_KEY);
  if (saved) return JSON.parse(saved) as { source?: string; medium?: string };
  const params = new URLSearchParams(location.search);
  const inHash = location.hash.indexOf("?");
  if (inHash >= 0) new URLSearchParams(location.hash.slice(inHash + 1)).forEach((v, k) => params.set(k, v));
  const found = { source: params.get("utm_source")?.slice(0, 64) || undefined, medium: params.get("utm_medium")?.slice(0, 64) || undefined };
  store(sessionStorage, UTM_KEY, JSON.stringify(found));
  return found;
}

export function createTracker(options: TrackerOptions = {}): Tracker {
  const endpoint = options.endpoint ?? "/track";
  const anon = anonymousId();
  const landing = utm();
  let queue: QueuedEvent[] = [];

  function send(events: QueuedEvent[], leaving: boolean): void {
    const body = JSON.stringify({ events });
    const token = options.token?.();
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    // keepalive lets the request outlive the page; a beacon is the fallback (it cannot carry the token,
    // but the server knows whose browser this is once it has seen the two together).
    fetch(endpoint, { method: "POST", headers, body, keepalive: leaving }).catch(() => {
      if (leaving && navigator.sendBeacon) navigator.sendBeacon(endpoint, new Blob([body], { type: "application/json" }));
      else queue = [...events, ...queue].slice(-MAX_QUEUE);
    });
  }

  function flush(leaving = false): void {
    while (queue.length > 0) send(queue.splice(0, MAX_BATCH), leaving);
  }

  function track(type: BrowserEventType, fields: EventFields = {}): void {
    const now = Date.now();
    queue.push({
      ...fields,
      type,
      at: new Date(now).toISOString(),
      anonymousId: anon,
      sessionId: sessionId(now),
      shareToken: options.shareToken?.(),
      source: landing.source,
      medium: landing.medium,
    });
    if (queue.length > MAX_QUEUE) queue = queue.slice(-MAX_QUEUE);
    if (queue.length >= MAX_BATCH) flush();
  }

  setInterval(() => flush(), options.flushMs ?? 5000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush(true);
  });
  addEventListener("pagehide", () => flush(true));

  return {
    track,
    pageView: (fields) => track("page_view", { ...fields, props: { route: location.hash.replace(/\?.*$/, "") || "/", ...fields?.props } }),
    flush: () => flush(),
    anonymousId: anon,
  };
}
