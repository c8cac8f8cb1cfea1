import { type TObject, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, type FieldIssue, conflict, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { schedule } from "../../platform/jobs/jobs.js";
import { CSV_BOM, csvLines } from "./csv.js";
import { type ReportQuery, filtersOn, reportQuery } from "./filters.js";
import { FILTERS, REPORT_NAMES, type ReportName, checkQuery, querySchema, reportTable, runReport } from "./reports.js";

export const JOB_EXPORT = "analytics.export";
/** Raw events written per job run: each run commits its part and its progress. */
export const EXPORT_CHUNK = 5000;

/** What can be exported: every report, and the raw event log of a range. */
export const EXPORTABLE = [...REPORT_NAMES, "events"] as const;
export type Exportable = (typeof EXPORTABLE)[number];

const EVENT_COLUMNS = ["id", "type", "at", "day", "actor_id", "user_id", "anonymous_id", "session_id", "channel", "campaign_id", "campaign_type", "path", "share_token", "source", "medium", "product_id", "order_id", "promoter_id", "amount"] as const;

export interface ExportView {
  id: string;
  report: string;
  params: Record<string, unknown>;
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  rows: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

type ExportRow = Awaited<ReturnType<typeof loadExport>>;

const loadExport = (db: Db, id: string) => db.selectFrom("analytics_exports").selectAll().where("id", "=", id).executeTakeFirst();

const toView = (r: NonNullable<ExportRow>): ExportView => ({
  id: r.id,
  report: r.report,
  params: r.params,
  status: r.status,
  progress: Number(r.progress),
  rows: r.rows,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

const paramsSchema = (report: Exportable): TObject => (report === "events" ? Type.Object(FILTERS, { additionalProperties: false }) : Type.Object(querySchema(report).properties, { additionalProperties: false }));

/** The same parameters the report's route takes (numbers may come as strings), checked now rather than in the job. */
function checkParams(report: Exportable, params: Record<string, unknown>): Record<string, unknown> {
  const schema = paramsSchema(report);
  const converted = Value.Convert(schema, params) as Record<string, unknown>;
  const issues: FieldIssue[] = [...Value.Errors(schema, converted)].map((e) => ({ field: `params${e.path.replace(/\//g, ".")}`, message: e.message }));
  if (issues.length > 0) throw new AppError(400, "validation_failed", `${issues[0].field}: ${issues[0].message}`, issues);
  delete converted.format;
  return converted;
}

/** Queues an export; the job runner writes it (a chunk per run) and the progress can be read meanwhile. */
export async function requestExport(deps: Deps, input: { report: Exportable; params?: Record<string, unknown> }, requestedBy: string): Promise<ExportView> {
  const params = checkParams(input.report, input.params ?? {});
  // A bad range or step list fails the request, not the job.
  checkQuery(input.report, params, deps.clock, "params");
  const now = deps.clock.now();
  const id = newId("exp");
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("analytics_exports")
      .values({ id, report: input.report, params: JSON.stringify(params), status: "queued", progress: 0, rows: 0, total: null, cursor: null, error: null, requested_by: requestedBy, created_at: now, finished_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await schedule(trx, { type: JOB_EXPORT, runAt: now, payload: { exportId: id, part: 0 }, key: `${JOB_EXPORT}:${id}:0` }, now);
    return inserted;
  });
  return toView(row);
}

export async function getExport(db: Db, id: string): Promise<ExportView> {
  const row = await loadExport(db, id);
  if (!row) throw notFound("export");
  return toView(row);
}

export async function listExports(db: Db, q: { limit: number; after?: string }): Promise<{ items: ExportView[]; nextCursor: string | null }> {
  let query = db.selectFrom("analytics_exports").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const items = rows.slice(0, q.limit).map(toView);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** The finished file, part by part. */
export async function exportFile(db: Db, id: string): Promise<{ name: string; csv: string }> {
  const view = await getExport(db, id);
  if (view.status !== "done") throw conflict("export_not_ready", `the export is ${view.status}; download it once it is done`, { status: view.status, progress: view.progress });
  const parts = await db.selectFrom("analytics_export_parts").select("csv").where("export_id", "=", id).orderBy("seq").execute();
  return { name: `${view.report}-${view.createdAt.toISOString().slice(0, 10)}-${id.slice(-6).toLowerCase()}.csv`, csv: CSV_BOM + parts.map((p) => p.csv).join("") };
}

async function finish(trx: Db, id: string, rows: number, now: Date): Promise<void> {
  await trx.updateTable("analytics_exports").set({ status: "done", progress: 1, rows, finished_at: now }).where("id", "=", id).execute();
}

/** One chunk of the raw log after the cursor; schedules the next run while rows remain. */
async function exportEvents(trx: Db, exp: NonNullable<ExportRow>, part: number, now: Date): Promise<void> {
  const q: ReportQuery = reportQuery(exp.params, { now: () => exp.created_at });
  const range = sql`e.day between ${q.from}::date and ${q.to}::date ${filtersOn("events", "e", q)}`;
  const total = exp.total ?? Number((await sql<{ n: number }>`select count(*)::bigint as n from analytics_events e where ${range}`.execute(trx)).rows[0].n);
  const cursor = Number(exp.cursor ?? 0);
  const rows = await sql<Record<string, unknown>>`
    select ${sql.join(EVENT_COLUMNS.map((c) => (c === "day" ? sql`e.day::text as day` : sql.ref(`e.${c}`))))} from analytics_events e
    where e.id > ${cursor} and ${range} order by e.id limit ${EXPORT_CHUNK}`.execute(trx);
  const header = part === 0 ? [[...EVENT_COLUMNS]] : [];
  await trx.insertInto("analytics_export_parts").values({ export_id: exp.id, seq: part, csv: csvLines([...header, ...rows.rows.map((r) => EVENT_COLUMNS.map((c) => r[c]))]) }).execute();
  const written = exp.rows + rows.rows.length;
  if (rows.rows.length < EXPORT_CHUNK) return finish(trx, exp.id, written, now);
  const last = rows.rows[rows.rows.length - 1].id as number;
  await trx
    .updateTable("analytics_exports")
    .set({ status: "running", rows: written, total, cursor: String(last), progress: total === 0 ? 0 : Math.min(0.99, written / total) })
    .where("id", "=", exp.id)
    .execute();
  await schedule(trx, { type: JOB_EXPORT, runAt: now, payload: { exportId: exp.id, part: part + 1 }, key: `${JOB_EXPORT}:${exp.id}:${part + 1}` }, now);
}

/**
 * The export job: a report in one run, the raw log a chunk per run. A failure that retrying cannot mend
 * (the report itself refuses) marks the export failed instead of retrying it.
 */
export async function runExportJob(deps: Deps, trx: Db, payload: { exportId: string; part: number }, now: Date): Promise<void> {
  const exp = await trx.selectFrom("analytics_exports").selectAll().where("id", "=", payload.exportId).forUpdate().executeTakeFirst();
  if (!exp || exp.status === "done" || exp.status === "failed") return;
  await sql`savepoint analytics_export`.execute(trx);
  try {
    if (exp.report === "events") {
      await exportEvents(trx, exp, payload.part, now);
    } else {
      const name = exp.report as ReportName;
      // Ranges are fixed when the export is asked for: "the last 30 days" means those of that day.
      const result = await runReport({ ...deps, db: trx, clock: { now: () => exp.created_at } }, name, exp.params as Record<string, string>);
      const table = reportTable(name, result);
      await trx.insertInto("analytics_export_parts").values({ export_id: exp.id, seq: 0, csv: csvLines([table.header, ...table.rows]) }).execute();
      await finish(trx, exp.id, table.rows.length, now);
    }
    await sql`release savepoint analytics_export`.execute(trx);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await sql`rollback to savepoint analytics_export`.execute(trx);
    await trx.updateTable("analytics_exports").set({ status: "failed", error: err.message, finished_at: now }).where("id", "=", exp.id).execute();
  }
}
