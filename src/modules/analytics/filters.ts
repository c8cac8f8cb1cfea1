import { type RawBuilder, sql } from "kysely";
import type { Clock } from "../../platform/clock.js";
import { invalidField } from "../../platform/errors.js";
import { addDays, daysBetween, type Grain, shanghaiDay } from "./calendar.js";
import type { FissionPath } from "./tracking.service.js";

/** The channel reports use for what came through no share (no channel). */
export const DIRECT = "direct";
/** The longest range one report covers. */
export const MAX_RANGE_DAYS = 400;
export const DEFAULT_RANGE_DAYS = 30;

/** A report's range (inclusive Asia/Shanghai days) and its optional filters. */
export interface ReportQuery {
  from: string;
  to: string;
  channel?: string;
  campaignId?: string;
  productId?: string;
  promoterId?: string;
  path?: FissionPath;
}

export type FilterInput = Partial<ReportQuery>;

/**
 * Fills the default range (the last 30 days up to today) and refuses a backwards or too long one;
 * `prefix` names where the fields came from ("query" on a route, "params" in an export).
 */
export function reportQuery(q: FilterInput, clock: Clock, prefix = "query"): ReportQuery {
  const to = q.to ?? (q.from ? addDays(q.from, DEFAULT_RANGE_DAYS - 1) : shanghaiDay(clock.now()));
  const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw invalidField(`${prefix}.from`, "must not be after `to`");
  if (daysBetween(from, to) >= MAX_RANGE_DAYS) throw invalidField(`${prefix}.to`, `a report covers at most ${MAX_RANGE_DAYS} days`);
  return { from, to, channel: q.channel, campaignId: q.campaignId, productId: q.productId, promoterId: q.promoterId, path: q.path };
}

export const hasFilters = (q: ReportQuery) => Boolean(q.channel || q.campaignId || q.productId || q.promoterId || q.path);

/** A SQL expression for the bucket (its first day) of a `date` column; independent of the session time zone. */
export function bucketSql(column: string, grain: Grain): RawBuilder<string> {
  const day = sql.ref(column);
  if (grain === "day") return sql<string>`${day}::text`;
  if (grain === "week") return sql<string>`(${day} - extract(isodow from ${day})::int + 1)::text`;
  return sql<string>`(${day} - extract(day from ${day})::int + 1)::text`;
}

/** a / b rounded to `digits` decimals; 0 when b is 0. */
export const ratio = (a: number, b: number, digits = 4) => (b === 0 ? 0 : Number((a / b).toFixed(digits)));

/** How each kind of record answers each filter; a record without the dimension never matches it. */
type Source = "events" | "counts" | "users" | "orders" | "costs";

const channelIs = (column: RawBuilder<unknown>, channel: string, empty: "null" | "blank") =>
  channel === DIRECT ? (empty === "null" ? sql`${column} is null` : sql`${column} = ''`) : sql`${column} = ${channel}`;

/**
 * The fission path of an order (precedence top down): its group-buy or bargain campaign, a promoter's
 * commission, the share it is credited to, the buyer having been invited, else organic.
 */
export const orderPath = (o: string) =>
  sql<string>`(case when ${sql.ref(`${o}.campaign_type`)} in ('groupbuy', 'bargain') then ${sql.ref(`${o}.campaign_type`)}
    when ${sql.ref(`${o}.promoter_id`)} is not null then 'distribution' when ${sql.ref(`${o}.sharer_id`)} is not null then 'share'
    when ${sql.ref(`${o}.invited`)} then 'invite' else 'organic' end)`;

/** The fission path of a registration: a share it is credited to, else an inviter, else organic. */
export const userPath = (u: string) =>
  sql<string>`(case when ${sql.ref(`${u}.sharer_id`)} is not null then 'share' when ${sql.ref(`${u}.inviter_id`)} is not null then 'invite' else 'organic' end)`;

/** `and …` conditions for the filters of `q` on `source` rows aliased `alias`. */
export function filtersOn(source: Source, alias: string, q: ReportQuery): RawBuilder<unknown> {
  const c = (name: string) => sql.ref(`${alias}.${name}`);
  const parts: RawBuilder<unknown>[] = [];
  const never = sql`false`;
  if (q.channel) parts.push(channelIs(c("channel"), q.channel, source === "counts" ? "blank" : "null"));
  if (q.campaignId) parts.push(sql`${c("campaign_id")} = ${q.campaignId}`);
  if (q.productId) {
    if (source === "events") parts.push(sql`${c("product_id")} = ${q.productId}`);
    else if (source === "orders") parts.push(sql`${q.productId} = any(${c("product_ids")})`);
    else parts.push(never);
  }
  if (q.promoterId) {
    if (source === "events") parts.push(sql`${c("promoter_id")} = ${q.promoterId}`);
    else if (source === "users") parts.push(sql`(${c("sharer_id")} = ${q.promoterId} or ${c("inviter_id")} = ${q.promoterId})`);
    else if (source === "orders") parts.push(sql`(${c("promoter_id")} = ${q.promoterId} or ${c("sharer_id")} = ${q.promoterId})`);
    else if (source === "costs") parts.push(sql`${c("user_id")} = ${q.promoterId}`);
    // The daily counts have no promoter or product: callers read the log instead (see countsAnswer).
    else parts.push(never);
  }
  if (q.path) {
    if (source === "events") parts.push(sql`coalesce(${c("path")}, 'organic') = ${q.path}`);
    else if (source === "counts") parts.push(q.path === "organic" ? sql`${c("path")} in ('', 'organic')` : sql`${c("path")} = ${q.path}`);
    else if (source === "users") parts.push(sql`${userPath(alias)} = ${q.path}`);
    else if (source === "orders") parts.push(sql`${orderPath(alias)} = ${q.path}`);
    else parts.push(sql`${c("path")} = ${q.path}`);
  }
  return parts.length === 0 ? sql`` : sql`and ${sql.join(parts, sql` and `)}`;
}

/** The daily counts answer every filter but the promoter and the product. */
export const countsAnswer = (q: ReportQuery) => !q.promoterId && !q.productId;
