import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { PUBLIC, operator } from "../../platform/auth/access.js";
import { HOUR, MINUTE } from "../../platform/clock.js";
import { invalidField } from "../../platform/errors.js";
import { IdOf, IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { toCsv } from "./csv.js";
import { EXPORTABLE, type Exportable, exportFile, getExport, listExports, requestExport } from "./exports.service.js";
import { CampaignId, ChannelName, REPORTS, REPORT_NAMES, querySchema, reportTable, runReport } from "./reports.js";
import { type AnalyticsEventInput, BROWSER_EVENT_TYPES, type EventType, FISSION_PATHS, recordEvents } from "./tracking.service.js";

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const BrowserId = Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" });
const Label = Type.String({ maxLength: 64 });

export const MAX_TRACK_BATCH = 100;
/** A client clock is believed within this much of the server's; otherwise the server's time is used. */
const CLIENT_PAST_LIMIT = 24 * HOUR;
const CLIENT_FUTURE_LIMIT = 5 * MINUTE;

const TrackEvent = Type.Object(
  {
    type: literals(BROWSER_EVENT_TYPES),
    at: Type.Optional(Timestamp),
    anonymousId: Type.Optional({ ...BrowserId, description: "the browser's id (localStorage); required when not signed in" }),
    sessionId: Type.Optional(BrowserId),
    channel: Type.Optional(ChannelName),
    campaignId: Type.Optional(CampaignId),
    shareToken: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$", description: "the share the visitor arrived through" })),
    source: Type.Optional({ ...Label, description: "utm_source" }),
    medium: Type.Optional({ ...Label, description: "utm_medium" }),
    productId: Type.Optional(IdOf("prd")),
    path: Type.Optional(literals(FISSION_PATHS)),
    props: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]), { maxProperties: 20 })),
  },
  { additionalProperties: false },
);
type TrackEventBody = typeof TrackEvent.static;

export function analyticsRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["analytics"];
  const ops = operator("users");

  app.post(
    "/track",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Record browser events (page and product views, shares, clicks, add-to-cart) in one batch",
        body: Type.Object({ events: Type.Array(TrackEvent, { minItems: 1, maxItems: MAX_TRACK_BATCH }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const { events } = request.body as { events: TrackEventBody[] };
      const userId = request.principal?.kind === "consumer" ? request.principal.userId : null;
      const now = deps.clock.now();
      const inputs: AnalyticsEventInput[] = events.map((e, i) => {
        if (!userId && !e.anonymousId) throw invalidField(`body.events.${i}.anonymousId`, "required when not signed in");
        const claimed = e.at ? new Date(e.at) : now;
        const believable = claimed.getTime() >= now.getTime() - CLIENT_PAST_LIMIT && claimed.getTime() <= now.getTime() + CLIENT_FUTURE_LIMIT;
        return { ...e, type: e.type as EventType, at: believable ? claimed : now, userId, props: e.props ?? null };
      });
      const accepted = await recordEvents(deps.db, inputs);
      return reply.code(202).send({ accepted });
    },
  );

  for (const name of REPORT_NAMES) {
    app.get(
      `/admin/analytics/${name}`,
      {
        config: { access: ops },
        schema: { tags, summary: `${REPORTS[name].summary} (?format=csv for a CSV)`, querystring: querySchema(name) },
      },
      async (request, reply) => {
        const query = request.query as Record<string, string> & { format?: "json" | "csv" };
        const result = await runReport(deps, name, query);
        if (query.format !== "csv") return result;
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${name}.csv"`)
          .send(toCsv(reportTable(name, result)));
      },
    );
  }

  app.post(
    "/admin/exports",
    {
      config: { access: ops },
      schema: {
        tags,
        summary: "Export a report (or the raw events of a range) as CSV in the background; poll its progress",
        body: Type.Object(
          {
            report: literals(EXPORTABLE),
            params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: "the report's query parameters" })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as { report: Exportable; params?: Record<string, unknown> };
      const view = await requestExport(deps, body, request.principal!.userId);
      return reply.code(202).send(view);
    },
  );

  app.get("/admin/exports", { config: { access: ops }, schema: { tags, summary: "Exports, newest first", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return listExports(deps.db, { limit: q.limit ?? 20, after: q.after });
  });

  app.get("/admin/exports/:id", { config: { access: ops }, schema: { tags, summary: "An export's status and progress (0..1)", params: IdParam("exp") } }, async (request) =>
    getExport(deps.db, (request.params as { id: string }).id),
  );

  app.get(
    "/admin/exports/:id/download",
    { config: { access: ops }, schema: { tags, summary: "The finished export's CSV (409 until it is done)", params: IdParam("exp") } },
    async (request, reply) => {
      const file = await exportFile(deps.db, (request.params as { id: string }).id);
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${file.name}"`).send(file.csv);
    },
  );
}
