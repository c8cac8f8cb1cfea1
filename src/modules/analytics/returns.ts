import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { displayNames } from "../identity/identity.service.js";
import { campaignLabels } from "./campaigns.js";
import { DIRECT, type ReportQuery, countsAnswer, filtersOn } from "./filters.js";

/** Return on growth spend: attributed GMV per fen of reward and commission cost; null without cost. */
export const roi = (gmv: number, cost: number) => (cost === 0 ? null : Number((gmv / cost).toFixed(2)));

type Totals = Map<string, Record<string, number>>;

function add(into: Totals, key: string, field: string, value: number): void {
  const row = into.get(key) ?? into.set(key, {}).get(key)!;
  row[field] = (row[field] ?? 0) + Number(value);
}

/** Orders, GMV, registrations and costs grouped by one dimension (`campaign_id` or the channel). */
async function byDimension(db: Db, q: ReportQuery, dimension: "campaign" | "channel"): Promise<Totals> {
  const dim = (alias: string) => (dimension === "campaign" ? sql.ref(`${alias}.campaign_id`) : sql`coalesce(${sql.ref(`${alias}.channel`)}, ${DIRECT})`);
  const present = (alias: string) => (dimension === "campaign" ? sql`and ${sql.ref(`${alias}.campaign_id`)} is not null` : sql``);
  const totals: Totals = new Map();
  const sales = await sql<{ key: string; orders: number; gmv: number }>`
    select ${dim("o")} as key, count(*)::bigint as orders, coalesce(sum(o.payable - o.refunded), 0)::bigint as gmv from analytics_orders o
    where o.paid_day between ${q.from}::date and ${q.to}::date and o.refunded < o.payable ${present("o")} ${filtersOn("orders", "o", q)}
    group by 1`.execute(db);
  for (const r of sales.rows) {
    add(totals, r.key, "orders", r.orders);
    add(totals, r.key, "gmv", r.gmv);
  }
  const users = await sql<{ key: string; n: number }>`
    select ${dim("u")} as key, count(*)::bigint as n from analytics_users u
    where u.day between ${q.from}::date and ${q.to}::date ${present("u")} ${filtersOn("users", "u", q)}
    group by 1`.execute(db);
  for (const r of users.rows) add(totals, r.key, "registrations", r.n);
  const costs = await sql<{ key: string; kind: string; amount: number }>`
    select ${dim("k")} as key, k.kind, coalesce(sum(k.amount), 0)::bigint as amount from analytics_costs k
    where k.day between ${q.from}::date and ${q.to}::date ${present("k")} ${filtersOn("costs", "k", q)}
    group by 1, 2`.execute(db);
  for (const r of costs.rows) add(totals, r.key, r.kind === "reward" ? "rewardCost" : "commissionCost", r.amount);
  return totals;
}

export interface CampaignRow {
  campaignId: string;
  campaignType: string;
  name: string;
  orders: number;
  gmv: number;
  newUsers: number;
  rewardCost: number;
  commissionCost: number;
  cost: number;
  roi: number | null;
}

/** Every campaign with orders, sign-ups or costs in the range, by GMV. */
export async function campaignReport(deps: Deps, q: ReportQuery): Promise<{ rows: CampaignRow[] }> {
  const totals = await byDimension(deps.db, q, "campaign");
  const labels = await campaignLabels(deps, [...totals.keys()]);
  const rows = [...totals.entries()].map(([campaignId, t]) => {
    const cost = (t.rewardCost ?? 0) + (t.commissionCost ?? 0);
    return {
      campaignId,
      ...labels.get(campaignId)!,
      orders: t.orders ?? 0,
      gmv: t.gmv ?? 0,
      newUsers: t.registrations ?? 0,
      rewardCost: t.rewardCost ?? 0,
      commissionCost: t.commissionCost ?? 0,
      cost,
      roi: roi(t.gmv ?? 0, cost),
    };
  });
  return { rows: rows.sort((a, b) => b.gmv - a.gmv || a.campaignId.localeCompare(b.campaignId)) };
}

export interface ChannelRow {
  channel: string;
  shares: number;
  visits: number;
  registrations: number;
  orders: number;
  gmv: number;
  rewardCost: number;
  commissionCost: number;
  roi: number | null;
}

/** Every channel (and "direct") with activity in the range: shares → visits → registrations → orders. */
export async function channelReport(db: Db, q: ReportQuery): Promise<{ rows: ChannelRow[] }> {
  const totals = await byDimension(db, q, "channel");
  const shares = countsAnswer(q)
    ? await sql<{ key: string; n: number }>`
        select coalesce(nullif(c.channel, ''), ${DIRECT}) as key, sum(c.events)::bigint as n from analytics_daily_counts c
        where c.type = 'share_created' and c.day between ${q.from}::date and ${q.to}::date ${filtersOn("counts", "c", q)}
        group by 1`.execute(db)
    : await sql<{ key: string; n: number }>`
        select coalesce(e.channel, ${DIRECT}) as key, count(*)::bigint as n from analytics_events e
        where e.type = 'share_created' and e.day between ${q.from}::date and ${q.to}::date ${filtersOn("events", "e", q)}
        group by 1`.execute(db);
  for (const r of shares.rows) add(totals, r.key, "shares", r.n);
  // A visit is a browser session; events without a session id count once per person and day.
  const visits = await sql<{ key: string; n: number }>`
    select key, count(*)::bigint as n from (
      select distinct coalesce(e.channel, ${DIRECT}) as key, coalesce(e.session_id, e.actor_id || ' ' || e.day) as visit
      from analytics_events e
      where e.type = 'page_view' and e.day between ${q.from}::date and ${q.to}::date ${filtersOn("events", "e", q)}) visits
    group by key`.execute(db);
  for (const r of visits.rows) add(totals, r.key, "visits", r.n);
  const rows = [...totals.entries()].map(([channel, t]) => ({
    channel,
    shares: t.shares ?? 0,
    visits: t.visits ?? 0,
    registrations: t.registrations ?? 0,
    orders: t.orders ?? 0,
    gmv: t.gmv ?? 0,
    rewardCost: t.rewardCost ?? 0,
    commissionCost: t.commissionCost ?? 0,
    roi: roi(t.gmv ?? 0, (t.rewardCost ?? 0) + (t.commissionCost ?? 0)),
  }));
  return { rows: rows.sort((a, b) => b.gmv - a.gmv || b.visits - a.visits || a.channel.localeCompare(b.channel)) };
}

export type Board = "sharer" | "promoter";
export type BoardMetric = "gmv" | "registrations" | "orders";

export interface LeaderRow {
  userId: string;
  displayName: string;
  value: number;
  orders: number;
  gmv: number;
  registrations: number;
}

/**
 * Sharers (分享达人): orders and sign-ups credited to their shares. Promoters (推广员): orders they
 * earned a first-level commission on, and the people they invited.
 */
export async function leaderboard(db: Db, q: ReportQuery, by: Board, metric: BoardMetric, limit: number): Promise<{ rows: LeaderRow[] }> {
  const orderCredit = by === "sharer" ? sql.ref("o.sharer_id") : sql.ref("o.promoter_id");
  const userCredit = by === "sharer" ? sql.ref("u.sharer_id") : sql.ref("u.inviter_id");
  const rows = await sql<{ user_id: string; orders: number; gmv: number; registrations: number }>`
    with sales as (
      select ${orderCredit} as user_id, count(*)::bigint as orders, sum(o.payable - o.refunded)::bigint as gmv from analytics_orders o
      where ${orderCredit} is not null and o.paid_day between ${q.from}::date and ${q.to}::date and o.refunded < o.payable ${filtersOn("orders", "o", q)}
      group by 1),
    signups as (
      select ${userCredit} as user_id, count(*)::bigint as registrations from analytics_users u
      where ${userCredit} is not null and u.day between ${q.from}::date and ${q.to}::date ${filtersOn("users", "u", q)}
      group by 1)
    select coalesce(s.user_id, r.user_id) as user_id, coalesce(s.orders, 0)::bigint as orders, coalesce(s.gmv, 0)::bigint as gmv,
      coalesce(r.registrations, 0)::bigint as registrations
    from sales s full join signups r on r.user_id = s.user_id
    order by ${sql.raw(metric === "gmv" ? "3" : metric === "orders" ? "2" : "4")} desc, 1
    limit ${limit}`.execute(db);
  const names = await displayNames(db, rows.rows.map((r) => r.user_id));
  return {
    rows: rows.rows.map((r) => ({
      userId: r.user_id,
      displayName: names.get(r.user_id) ?? "",
      value: Number(r[metric]),
      orders: Number(r.orders),
      gmv: Number(r.gmv),
      registrations: Number(r.registrations),
    })),
  };
}
