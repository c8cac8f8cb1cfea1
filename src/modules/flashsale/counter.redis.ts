import { Redis } from "ioredis";
import type { AttemptVerdict, CounterState, FlashCounter, Hold, ItemTerms } from "./counter.js";

/**
 * Per item, three keys sharing one hash tag (one cluster slot, so one script may touch all three):
 *   m — hash: stock (total on sale), limit, opens, closes (epoch ms), left (remaining units)
 *   u — hash: buyer → units held
 *   a — hash: attempt id → "buyer|qty|at"; the holds themselves, from which m.left and u derive
 */
const REBUILD = `
local function rebuild(m, u, a)
  local held = 0
  redis.call('DEL', u)
  local vals = redis.call('HVALS', a)
  for i = 1, #vals do
    local user, qty = string.match(vals[i], '^(.-)|(%d+)|')
    qty = tonumber(qty)
    held = held + qty
    redis.call('HINCRBY', u, user, qty)
  end
  redis.call('HSET', m, 'left', tonumber(redis.call('HGET', m, 'stock')) - held)
end
`;

/**
 * The purchase decision. ARGV: attempt id, buyer, qty, now (ms from the application's clock, so every
 * process and every test judges the window by the same time). Steps, all or nothing:
 *   1. the item must be known (else the caller restores it from the database);
 *   2. the slot must be open: opens <= now < closes;
 *   3. enough units left;
 *   4. the buyer's units held + qty within the per-user limit;
 *   5. take the units (left -= qty), count them to the buyer, record the attempt as a hold.
 */
const ATTEMPT = `
local m = redis.call('HMGET', KEYS[1], 'left', 'limit', 'opens', 'closes')
if not m[1] then return {'unknown_item', 0} end
local now = tonumber(ARGV[4])
if now < tonumber(m[3]) then return {'not_open', 0} end
if now >= tonumber(m[4]) then return {'ended', 0} end
local qty = tonumber(ARGV[3])
local left = tonumber(m[1])
if left < qty then return {'sold_out', left} end
local had = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
if had + qty > tonumber(m[2]) then return {'limit_reached', left} end
if redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[2] .. '|' .. qty .. '|' .. ARGV[4]) == 0 then return {'duplicate', left} end
redis.call('HINCRBY', KEYS[1], 'left', -qty)
redis.call('HINCRBY', KEYS[2], ARGV[2], qty)
return {'ok', left - qty}
`;

const DEFINE = `${REBUILD}
redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'limit', ARGV[2], 'opens', ARGV[3], 'closes', ARGV[4])
rebuild(KEYS[1], KEYS[2], KEYS[3])
return 1
`;

const RESTORE = `${REBUILD}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'limit', ARGV[2], 'opens', ARGV[3], 'closes', ARGV[4])
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
rebuild(KEYS[1], KEYS[2], KEYS[3])
return 1
`;

const HOLD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'left', -tonumber(ARGV[3]))
redis.call('HINCRBY', KEYS[2], ARGV[2], tonumber(ARGV[3]))
return 1
`;

const RELEASE = `
local v = redis.call('HGET', KEYS[3], ARGV[1])
if not v then return 0 end
local user, qty = string.match(v, '^(.-)|(%d+)|')
qty = tonumber(qty)
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'left', qty)
if redis.call('HINCRBY', KEYS[2], user, -qty) <= 0 then redis.call('HDEL', KEYS[2], user) end
return 1
`;

const REBUILD_ONLY = `${REBUILD}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
rebuild(KEYS[1], KEYS[2], KEYS[3])
return 1
`;

type Keys = [string, string, string];
interface FlashCommands {
  flashAttempt(m: string, u: string, a: string, ...argv: (string | number)[]): Promise<[string, number]>;
  flashDefine(m: string, u: string, a: string, ...argv: (string | number)[]): Promise<number>;
  flashRestore(m: string, u: string, a: string, ...argv: (string | number)[]): Promise<number>;
  flashHold(m: string, u: string, a: string, ...argv: (string | number)[]): Promise<number>;
  flashRelease(m: string, u: string, a: string, ...argv: (string | number)[]): Promise<number>;
  flashRebuild(m: string, u: string, a: string): Promise<number>;
}

const parseHold = (attemptId: string, v: string): Hold => {
  const [userId, qty, at] = v.split("|");
  return { attemptId, userId, qty: Number(qty), at: Number(at) };
};

/** The counter in Redis, shared by every server process; each decision is one script, so atomic. */
export class RedisFlashCounter implements FlashCounter {
  readonly kind = "redis" as const;
  readonly redis: Redis;
  private readonly cmd: FlashCommands;

  constructor(
    url: string,
    private readonly prefix = "lb:",
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    const scripts = { flashAttempt: ATTEMPT, flashDefine: DEFINE, flashRestore: RESTORE, flashHold: HOLD, flashRelease: RELEASE, flashRebuild: REBUILD_ONLY };
    for (const [name, lua] of Object.entries(scripts)) this.redis.defineCommand(name, { numberOfKeys: 3, lua });
    this.cmd = this.redis as unknown as FlashCommands;
  }

  private keys(itemId: string): Keys {
    const base = `${this.prefix}fs:{${itemId}}`;
    return [`${base}:m`, `${base}:u`, `${base}:a`];
  }

  async define(itemId: string, t: ItemTerms) {
    await this.cmd.flashDefine(...this.keys(itemId), t.stock, t.perUserLimit, t.opensAt, t.closesAt);
  }

  async restore(itemId: string, t: ItemTerms, holds: Hold[]) {
    const argv = holds.flatMap((h) => [h.attemptId, `${h.userId}|${h.qty}|${h.at}`]);
    return (await this.cmd.flashRestore(...this.keys(itemId), t.stock, t.perUserLimit, t.opensAt, t.closesAt, ...argv)) === 1;
  }

  async attempt(itemId: string, a: { attemptId: string; userId: string; qty: number; now: number }): Promise<AttemptVerdict> {
    const [verdict, left] = await this.cmd.flashAttempt(...this.keys(itemId), a.attemptId, a.userId, a.qty, a.now);
    if (verdict === "ok") return { ok: true, remaining: Number(left) };
    return { ok: false, reason: verdict as Exclude<AttemptVerdict, { ok: true }>["reason"] };
  }

  async hold(itemId: string, h: Hold) {
    return (await this.cmd.flashHold(...this.keys(itemId), h.attemptId, h.userId, h.qty, h.at)) === 1;
  }

  async release(itemId: string, attemptId: string) {
    return (await this.cmd.flashRelease(...this.keys(itemId), attemptId)) === 1;
  }

  async rebuild(itemId: string) {
    await this.cmd.flashRebuild(...this.keys(itemId));
  }

  async remaining(itemIds: string[]) {
    if (itemIds.length === 0) return new Map<string, number | null>();
    const pipe = this.redis.pipeline();
    for (const id of itemIds) pipe.hget(this.keys(id)[0], "left");
    const res = (await pipe.exec()) ?? [];
    return new Map(itemIds.map((id, i) => [id, res[i]?.[1] == null ? null : Number(res[i][1])]));
  }

  async state(itemId: string): Promise<CounterState | null> {
    const [m, u, a] = this.keys(itemId);
    const res = (await this.redis.multi().hgetall(m).hgetall(u).hgetall(a).exec()) ?? [];
    const [meta, users, holds] = res.map((r) => (r[1] ?? {}) as Record<string, string>);
    if (!meta.stock) return null;
    return {
      terms: { stock: Number(meta.stock), perUserLimit: Number(meta.limit), opensAt: Number(meta.opens), closesAt: Number(meta.closes) },
      remaining: Number(meta.left),
      holds: Object.entries(holds).map(([id, v]) => parseHold(id, v)),
      perUser: new Map(Object.entries(users).map(([k, v]) => [k, Number(v)])),
    };
  }

  async remove(itemId: string) {
    await this.redis.del(...this.keys(itemId));
  }

  async close() {
    this.redis.disconnect();
  }
}
