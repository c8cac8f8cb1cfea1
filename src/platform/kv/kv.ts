/**
 * Hot counters and short-lived values: Redis when REDIS_URL is set, an in-process map otherwise.
 * Both implement the same interface and the same semantics; tests run against both.
 */
export interface Kv {
  /**
   * Adds 1 to a fixed-window counter and returns the count in the window that `now` falls in. Windows
   * are numbered from the clock, not from the store's own time, so a moved test clock opens a new one.
   */
  hit(key: string, windowMs: number, now: Date): Promise<number>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  del(key: string): Promise<void>;
  close(): Promise<void>;
}
