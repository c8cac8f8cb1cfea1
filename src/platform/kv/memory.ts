import type { Clock } from "../clock.js";
import type { Kv } from "./kv.js";

interface Entry {
  value: string;
  expiresAt?: number;
}

/** The embedded default: one process, so a map is atomic enough. */
export class MemoryKv implements Kv {
  private entries = new Map<string, Entry>();
  constructor(private readonly clock: Clock) {}

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async hit(key: string, windowMs: number, now: Date): Promise<number> {
    const window = Math.floor(now.getTime() / windowMs);
    const k = `${key}#${window}`;
    const e = this.live(k);
    if (!e) {
      this.entries.set(k, { value: "1", expiresAt: (window + 1) * windowMs });
      return 1;
    }
    const n = Number(e.value) + 1;
    e.value = String(n);
    return n;
  }
  async get(key: string) {
    return this.live(key)?.value ?? null;
  }
  async set(key: string, value: string, ttlMs?: number) {
    this.entries.set(key, { value, expiresAt: ttlMs ? this.clock.now().getTime() + ttlMs : undefined });
  }
  async del(key: string) {
    this.entries.delete(key);
  }
  async close() {
    this.entries.clear();
  }
}
