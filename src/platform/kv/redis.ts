import { Redis } from "ioredis";
import type { Kv } from "./kv.js";

/** Redis-backed counters, shared by every server process. Keys are namespaced so tests can share a server. */
export class RedisKv implements Kv {
  readonly redis: Redis;
  constructor(
    url: string,
    private readonly prefix = "lb:",
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  }
  async hit(key: string, windowMs: number, now: Date): Promise<number> {
    const k = `${this.prefix}${key}#${Math.floor(now.getTime() / windowMs)}`;
    const [[, count]] = (await this.redis.multi().incr(k).pexpire(k, windowMs, "NX").exec()) as [[null, number]];
    return count;
  }
  async get(key: string) {
    return this.redis.get(this.prefix + key);
  }
  async set(key: string, value: string, ttlMs?: number) {
    if (ttlMs) await this.redis.set(this.prefix + key, value, "PX", ttlMs);
    else await this.redis.set(this.prefix + key, value);
  }
  async del(key: string) {
    await this.redis.del(this.prefix + key);
  }
  async close() {
    this.redis.disconnect();
  }
}
