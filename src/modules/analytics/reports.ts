import { type TObject, type TProperties, Type } from "@sinclair/typebox";
import type { Deps } from "../../deps.js";
import { sql } from "kysely";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { invalidField } from "../../platform/errors.js";
import { IdOf } from "../../platform/http/schemas.js";
import type { Grain } from "./calendar.js";
import { cohorts, MAX_COHORT_WEEKS } from "./cohorts.js";
import { type Table, tableOf } from "./csv.js";
import { type FilterInput, type ReportQuery, reportQuery } from "./filters.js";
import { funnel, MAX_FUNNEL_STEPS, MAX_WINDOW_HOURS } from "./funnel.js";
import { inviteTree } from "./invite-tree.js";
import { overview } from "./overview.js";
import { type Board, type BoardMetric, campaignReport, channelReport, leaderboard } from "./returns.js";
import { EVENT_TYPES, type EventType, FISSION_PATHS } from "./tracking.service.js";
import { kFactor } from "./virality.js";

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Asia/Shanghai calendar day, YYYY-MM-DD (inclusive)" });
export const CampaignId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$", description: "a campaign id (gba_…, bga_…, lot_…, fss_…, cpt_…)" });
export const ChannelName = Type.String({ pattern: "^[a-z0-9_]{1,32}$", description: "a share channel (wechat_friend, poster, …) or `direct`" });

/** The range and filters every report takes. */
export const FILTERS = {
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  channel: Type.Optional(ChannelName),
  campaignId: Type.Optional(CampaignId),
  productId: Type.Optional(IdOf("prd")),
  promoterId: Type.Optional(IdOf("usr")),
  path: Type.Optional(literals(FISSION_PATHS)),
} satisfies TProperties;

const DEFAULT_STEPS = "product_view,add_to_cart,order,payment";

interface Report<P> {
  summary: string;
  /** Parameters beyond the filters. */
  params: TProperties;
  run(deps: Deps, q: ReportQuery, p: P): Promise<unknown>;
  /** The report's main table, flattened (the CSV). */
  table(result: any): Table;
}

const report = <P>(r: Report<P>) => r;

function checkDay(field: string, day: string | undefined): void {
  const parsed = day ? Date.parse(`${day}T00:00:00Z`) : 0;
  if (day && (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== day)) throw invalidField(field, "is not a calendar day");
}

function parseSteps(steps: string, field = "query.steps"): EventType[] {
  const list = steps.split(",").map((s) => s.trim());
  const unknown = list.find((s) => !(EVENT_TYPES as readonly string[]).includes(s));
  if (unknown) throw invalidField(field, `unknown event type ${unknown}; one of ${EVENT_TYPES.join(", ")}`);
  if (list.length < 2 || list.length > MAX_FUNNEL_STEPS) throw invalidField(field, `between 2 and ${MAX_FUNNEL_STEPS} steps`);
  return list as EventType[];
}

function cohortTable(result: Awaited<ReturnType<typeof cohorts>>): Table {
  const span = Math.max(1, ...result.cohorts.map((c) => c.retained.length));
  const weeks = Array.from({ length: span }, (_, k) => k);
  return {
    header: ["cohort", "size", ...weeks.map((k) => `week_${k}`), ...weeks.map((k) => `rate_${k}`), "partial"],
    rows: result.cohorts.map((c) => [c.cohort, c.size, ...weeks.map((k) => c.retained[k] ?? ""), ...weeks.map((k) => c.rates[k] ?? ""), c.partial]),
  };
}

/** Every report: the HTTP routes and the export jobs both go through this table. */
export const REPORTS = {
  overview: report<{ grain?: Grain }>({
    summary: "PV, UV, new users, orders, GMV, paying users and conversion per day, week or month, with totals",
    params: { grain: Type.Optional(literals(["day", "week", "month"])) },
    run: (deps, q, p) => overview(deps.db, q, p.grain ?? "day"),
    table: (r) => tableOf(r.series, ["bucket", "pv", "uv", "newUsers", "orders", "gmv", "payingUsers", "conversion"]),
  }),
  funnel: report<{ steps?: string; windowHours?: number }>({
    summary: "An ordered funnel of any event types, per person, within a window from the first step",
    params: {
      steps: Type.Optional(Type.String({ pattern: "^[a-z_]+(,[a-z_]+)*$", maxLength: 200, description: `comma-separated event types, default ${DEFAULT_STEPS}` })),
      windowHours: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WINDOW_HOURS, description: "hours after the first step the last may happen; default 24" })),
    },
    run: (deps, q, p) => funnel(deps.db, q, parseSteps(p.steps ?? DEFAULT_STEPS), p.windowHours ?? 24),
    table: (r) => tableOf(r.steps, ["step", "users", "fromPrevious", "fromFirst"]),
  }),
  cohorts: report<{ weeks?: number }>({
    summary: "Weekly retention by registration week",
    params: { weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COHORT_WEEKS, description: "cohorts: this many weeks ending with the week of `to`" })) },
    run: (deps, q, p) => cohorts(deps.db, q, p.weeks),
    table: cohortTable,
  }),
  kfactor: report<Record<string, never>>({
    summary: "K-factor (invitations per user × invitation conversion) and viral cycle time",
    params: {},
    run: (deps, q) => kFactor(deps.db, q),
    table: (r) => tableOf([r], ["users", "invitationsSent", "invitesPerUser", "invitedRegistrations", "invitationConversion", "kFactor", "viralCycleHours"]),
  }),
  campaigns: report<Record<string, never>>({
    summary: "Orders, GMV, new users, reward and commission cost, and ROI per campaign",
    params: {},
    run: (deps, q) => campaignReport(deps, q),
    table: (r) => tableOf(r.rows, ["campaignId", "campaignType", "name", "orders", "gmv", "newUsers", "rewardCost", "commissionCost", "cost", "roi"]),
  }),
  channels: report<Record<string, never>>({
    summary: "Shares, visits, registrations, orders, GMV, cost and ROI per channel",
    params: {},
    run: (deps, q) => channelReport(deps.db, q),
    table: (r) => tableOf(r.rows, ["channel", "shares", "visits", "registrations", "orders", "gmv", "rewardCost", "commissionCost", "roi"]),
  }),
  leaderboard: report<{ by?: Board; metric?: BoardMetric; limit?: number }>({
    summary: "Top sharers or promoters by GMV, registrations or orders",
    params: {
      by: Type.Optional(literals(["sharer", "promoter"])),
      metric: Type.Optional(literals(["gmv", "registrations", "orders"])),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    },
    run: (deps, q, p) => leaderboard(deps.db, q, p.by ?? "sharer", p.metric ?? "gmv", p.limit ?? 20),
    table: (r) => tableOf(r.rows, ["userId", "displayName", "value", "orders", "gmv", "registrations"]),
  }),
  "invite-tree": report<{ rootUserId?: string; depth?: number }>({
    summary: "The invite tree under a user, under a campaign's inviters, or under the biggest trees' roots",
    params: { rootUserId: Type.Optional(IdOf("usr")), depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) },
    run: (deps, q, p) => inviteTree(deps.db, q, { rootUserId: p.rootUserId, campaignId: q.campaignId, depth: p.depth ?? 4 }),
    table: (r) => tableOf(r.nodes, ["userId", "displayName", "depth", "inviterId", "revenue", "invitees"]),
  }),
} as const;

export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

/** A report's query schema: the filters, its own parameters, and `format`. */
export function querySchema(name: ReportName): TObject {
  return Type.Object({ ...FILTERS, ...REPORTS[name].params, format: Type.Optional(literals(["json", "csv"])) });
}

/** The checks a schema cannot make: real calendar days, a range in order, known funnel steps. */
export function checkQuery(name: ReportName | "events", query: FilterInput & Record<string, unknown>, clock: Clock, prefix = "query"): ReportQuery {
  checkDay(`${prefix}.from`, query.from);
  checkDay(`${prefix}.to`, query.to);
  if (name === "funnel") parseSteps((query.steps as string | undefined) ?? DEFAULT_STEPS, `${prefix}.steps`);
  return reportQuery(query, clock, prefix);
}

/**
 * Report queries hash and sort a few hundred thousand rows over a month of a busy store: they get the
 * memory to do it without spilling to disk, for their own transaction only.
 */
const REPORT_WORK_MEM = "64MB";

/** Runs a report from its query (validated by the route's schema, or by the export's). */
export async function runReport(deps: Deps, name: ReportName, query: FilterInput & Record<string, unknown>): Promise<unknown> {
  const q = checkQuery(name, query, deps.clock);
  const run = async (trx: Db) => {
    await sql`select set_config('work_mem', ${REPORT_WORK_MEM}, true)`.execute(trx);
    return (REPORTS[name] as Report<Record<string, unknown>>).run({ ...deps, db: trx }, q, query);
  };
  return deps.db.isTransaction ? run(deps.db) : deps.db.transaction().execute(run);
}

export const reportTable = (name: ReportName, result: unknown): Table => REPORTS[name].table(result);
