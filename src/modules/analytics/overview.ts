import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { type Grain, bucketOf, bucketsIn } from "./calendar.js";
import { DIRECT, type ReportQuery, bucketSql, countsAnswer, filtersOn, hasFilters, ratio } from "./filters.js";
import { kFactor } from "./virality.js";

export interface OverviewPoint {
  bucket: string;
  pv: number;
  uv: number;
  newUsers: number;
  orders: number;
  gmv: number;
  payingUsers: number;
  conversion: number;
}

export interface Overview {
  grain: Grain;
  series: OverviewPoint[];
  totals: {
    pv: number;
    uv: number;
    newUsers: number;
    orders: number;
    gmv: number;
    aov: number;
    payingUsers: number;
    conversion: number;
    repurchaseRate: number;
    rewardCost: number;
    commissionCost: number;
    kFactor: number;
  };
  newUsersBySource: { source: string; users: number }[];
}

/** Rows grouped by bucket, plus one row with a null bucket for the whole range (grouping sets). */
type Grouped<T> = { bucket: string | null } & T;

const byBucket = <T>(rows: Grouped<T>[]) => new Map(rows.filter((r) => r.bucket !== null).map((r) => [r.bucket!, r]));
const wholeRange = <T>(rows: Grouped<T>[]) => rows.find((r) => r.bucket === null);

/** Page views per bucket: from the daily counts, or from the log when filtering by promoter. */
async function pageViews(db: Db, q: ReportQuery, grain: Grain): Promise<Map<string, number>> {
  const rows = countsAnswer(q)
    ? await sql<{ day: string; n: number }>`
        select c.day::text as day, sum(c.events)::bigint as n from analytics_daily_counts c
        where c.type = 'page_view' and c.day between ${q.from}::date and ${q.to}::date ${filtersOn("counts", "c", q)}
        group by c.day`.execute(db)
    : await sql<{ day: string; n: number }>`
        select e.day::text as day, count(*)::bigint as n from analytics_events e
        where e.type = 'page_view' and e.day between ${q.from}::date and ${q.to}::date ${filtersOn("events", "e", q)}
        group by e.day`.execute(db);
  const pv = new Map<string, number>();
  for (const r of rows.rows) pv.set(bucketOf(r.day, grain), (pv.get(bucketOf(r.day, grain)) ?? 0) + Number(r.n));
  return pv;
}

/** Distinct active people per bucket (a bucket row each) and over the whole range (a null-bucket row). */
async function visitors(db: Db, q: ReportQuery, grain: Grain): Promise<Grouped<{ uv: number }>[]> {
  if (!hasFilters(q) && grain === "day") {
    // The daily rollup has one row per person and day: a day's UV is its row count.
    const rows = await sql<Grouped<{ uv: number }>>`
      select a.day::text as bucket, count(*)::bigint as uv from analytics_daily_actors a where a.day between ${q.from}::date and ${q.to}::date group by a.day
      union all
      select null, count(*)::bigint from (select distinct a.actor_id from analytics_daily_actors a where a.day between ${q.from}::date and ${q.to}::date) everyone`.execute(db);
    return rows.rows;
  }
  const active = hasFilters(q)
    ? sql`select distinct ${bucketSql("e.day", grain)} as bucket, e.actor_id from analytics_events e
        where e.type not in ('refund', 'reward', 'commission') and e.day between ${q.from}::date and ${q.to}::date ${filtersOn("events", "e", q)}`
    : sql`select distinct ${bucketSql("a.day", grain)} as bucket, a.actor_id from analytics_daily_actors a
        where a.day between ${q.from}::date and ${q.to}::date`;
  // Distinct pairs first, then counts: hashing beats the sort a count(distinct) per group would need.
  const rows = await sql<Grouped<{ uv: number }>>`
    with active as (${active})
    select bucket, count(*)::bigint as uv from active group by bucket
    union all
    select null, count(*)::bigint from (select distinct actor_id from active) everyone`.execute(db);
  return rows.rows;
}

async function registrations(db: Db, q: ReportQuery, grain: Grain) {
  const rows = await sql<Grouped<{ n: number }>>`
    select ${bucketSql("u.day", grain)} as bucket, count(*)::bigint as n from analytics_users u
    where u.day between ${q.from}::date and ${q.to}::date ${filtersOn("users", "u", q)}
    group by grouping sets ((${bucketSql("u.day", grain)}), ())`.execute(db);
  return rows.rows;
}

/** Paid orders not since refunded in full, by the day they were paid; GMV net of refunds. */
async function sales(db: Db, q: ReportQuery, grain: Grain) {
  const rows = await sql<Grouped<{ orders: number; gmv: number; payers: number }>>`
    select ${bucketSql("o.paid_day", grain)} as bucket, count(*)::bigint as orders, coalesce(sum(o.payable - o.refunded), 0)::bigint as gmv,
      count(distinct o.user_id)::bigint as payers
    from analytics_orders o
    where o.paid_day between ${q.from}::date and ${q.to}::date and o.refunded < o.payable ${filtersOn("orders", "o", q)}
    group by grouping sets ((${bucketSql("o.paid_day", grain)}), ())`.execute(db);
  return rows.rows;
}

/** Paying users in the range with at least two counted orders in it. */
async function repeatBuyers(db: Db, q: ReportQuery): Promise<number> {
  const row = await sql<{ n: number }>`
    select count(*)::bigint as n from (
      select o.user_id from analytics_orders o
      where o.paid_day between ${q.from}::date and ${q.to}::date and o.refunded < o.payable ${filtersOn("orders", "o", q)}
      group by o.user_id having count(*) >= 2) repeaters`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

async function growthCosts(db: Db, q: ReportQuery): Promise<{ rewardCost: number; commissionCost: number }> {
  const rows = await sql<{ kind: string; amount: number }>`
    select k.kind, coalesce(sum(k.amount), 0)::bigint as amount from analytics_costs k
    where k.day between ${q.from}::date and ${q.to}::date ${filtersOn("costs", "k", q)}
    group by k.kind`.execute(db);
  const of = (kind: string) => Number(rows.rows.find((r) => r.kind === kind)?.amount ?? 0);
  return { rewardCost: of("reward"), commissionCost: of("commission") };
}

/**
 * Where new users came from: the UTM source their browser first arrived with, else the channel of
 * the share that brought them, else "invite" for an invite code, else "direct".
 */
async function newUsersBySource(db: Db, q: ReportQuery) {
  const rows = await sql<{ source: string; users: number }>`
    select coalesce(u.source, u.channel, case when u.inviter_id is not null then 'invite' end, ${DIRECT}) as source, count(*)::bigint as users
    from analytics_users u
    where u.day between ${q.from}::date and ${q.to}::date ${filtersOn("users", "u", q)}
    group by 1 order by 2 desc, 1`.execute(db);
  return rows.rows.map((r) => ({ source: r.source, users: Number(r.users) }));
}

export async function overview(db: Db, q: ReportQuery, grain: Grain): Promise<Overview> {
  const pv = await pageViews(db, q, grain);
  const uv = await visitors(db, q, grain);
  const newUsers = await registrations(db, q, grain);
  const sold = await sales(db, q, grain);
  const repeaters = await repeatBuyers(db, q);
  const costs = await growthCosts(db, q);
  const viral = await kFactor(db, q);
  const sources = await newUsersBySource(db, q);

  const uvOf = byBucket(uv);
  const newOf = byBucket(newUsers);
  const soldOf = byBucket(sold);
  const series = bucketsIn(q.from, q.to, grain).map((bucket) => {
    const visitorsIn = Number(uvOf.get(bucket)?.uv ?? 0);
    const s = soldOf.get(bucket);
    const payers = Number(s?.payers ?? 0);
    return {
      bucket,
      pv: pv.get(bucket) ?? 0,
      uv: visitorsIn,
      newUsers: Number(newOf.get(bucket)?.n ?? 0),
      orders: Number(s?.orders ?? 0),
      gmv: Number(s?.gmv ?? 0),
      payingUsers: payers,
      conversion: ratio(payers, visitorsIn),
    };
  });
  const all = wholeRange(sold);
  const orders = Number(all?.orders ?? 0);
  const gmv = Number(all?.gmv ?? 0);
  const payingUsers = Number(all?.payers ?? 0);
  const totalUv = Number(wholeRange(uv)?.uv ?? 0);
  return {
    grain,
    series,
    totals: {
      pv: [...pv.values()].reduce((a, b) => a + b, 0),
      uv: totalUv,
      newUsers: Number(wholeRange(newUsers)?.n ?? 0),
      orders,
      gmv,
      aov: orders === 0 ? 0 : Math.round(gmv / orders),
      payingUsers,
      conversion: ratio(payingUsers, totalUv),
      repurchaseRate: ratio(repeaters, payingUsers),
      ...costs,
      kFactor: viral.kFactor,
    },
    newUsersBySource: sources,
  };
}
