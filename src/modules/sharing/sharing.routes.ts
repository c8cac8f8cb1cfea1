import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, PUBLIC, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { notFound } from "../../platform/errors.js";
import { IdOf, IdParam } from "../../platform/http/schemas.js";
import { productForShopper } from "../catalog/storefront.service.js";
import { type StatsFilter, type StatsGroup, orderChain, statsReport } from "./reports.js";
import { CHANNELS, type NewShare, TARGET_PAGES, createShare, landingPath, linkDevice, recordVisit, shareIntro, shareUrl } from "./sharing.service.js";
import { type AttributionSettings, attributionSettings, saveAttributionSettings } from "./sharing.settings.js";
import { deviceIdOf, ensureDeviceId } from "./visitor.js";

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const TargetId = Type.String({ pattern: "^[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}$", description: "id of the shared thing (prd_…, cmp_…, cpt_…)" });
const CampaignId = Type.String({ pattern: "^[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}$", description: "campaign the share belongs to" });
const Settings = Type.Object(
  {
    windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, description: "days a share touch can claim a registration or order" })),
    rule: Type.Optional(literals(["last_touch", "first_touch"])),
    visitDedupeHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, description: "one visitor's clicks on one share within this many hours are one visit" })),
  },
  { additionalProperties: false },
);
const StatsQuery = Type.Object({
  groupBy: Type.Optional(literals(["channel", "campaign", "sharer"])),
  sharerId: Type.Optional(IdOf("usr")),
  campaignId: Type.Optional(CampaignId),
  channel: Type.Optional(literals(CHANNELS)),
});

export function sharingRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["sharing"];

  app.post(
    "/shares",
    {
      config: { access: CONSUMER },
      schema: {
        tags,
        summary: "Share something: a token and link that credit me with the visits, registrations and orders it brings",
        body: Type.Object(
          { targetType: literals(Object.keys(TARGET_PAGES)), targetId: TargetId, channel: literals(CHANNELS), campaignId: Type.Optional(CampaignId) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as Omit<NewShare, "sharerId">;
      if (body.targetType === "product") await productForShopper(deps.db, body.targetId);
      const share = await createShare(deps, { ...body, sharerId: request.principal!.userId });
      deps.events.poke();
      return reply.status(201).send({ ...share, url: shareUrl(deps, share.token) });
    },
  );

  app.get(
    "/s/:token",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Open a share link: records the visit (once per visitor per dedupe window) and redirects to the shared page",
        params: Type.Object({ token: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const deviceId = ensureDeviceId(request, reply);
      const visit = await recordVisit(deps, { token: (request.params as { token: string }).token, userId: request.principal?.userId ?? null, deviceId, ip: request.ip });
      if (!visit) throw notFound("share");
      if (visit.newVisit) deps.events.poke();
      return reply.redirect(landingPath(visit.share, visit.share.token), 302);
    },
  );

  app.get(
    "/shares/:token",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Who shared what: the sharer's display name and the shared target, for the page a share link lands on (records nothing)",
        params: Type.Object({ token: Type.String({ pattern: "^[A-Za-z0-9_-]{6,64}$" }) }),
      },
    },
    async (request) => {
      const intro = await shareIntro(deps.db, (request.params as { token: string }).token);
      if (!intro) throw notFound("share");
      return intro;
    },
  );

  app.post(
    "/me/devices",
    {
      config: { access: CONSUMER },
      schema: {
        tags,
        summary: "Link this device (X-Device-Id or the lb_vid cookie) to me after signing in, so its share visits count for me",
        body: Type.Object({}, { additionalProperties: false }),
      },
    },
    async (request) => {
      const deviceId = deviceIdOf(request);
      if (deviceId) await deps.db.transaction().execute((trx) => linkDevice(trx, deviceId, request.principal!.userId, deps.clock.now()));
      return { deviceId, linked: deviceId !== null };
    },
  );

  app.get("/me/shares/stats", { config: { access: CONSUMER }, schema: { tags, summary: "My shares' funnel: shares, visits, registrations, orders, GMV; in total and per channel" } }, async (request) =>
    statsReport(deps.db, { sharerId: request.principal!.userId }, "channel"),
  );

  app.get(
    "/admin/shares/stats",
    { config: { access: operator("users") }, schema: { tags, summary: "The share funnel for a sharer, campaign or channel, grouped by channel, campaign or sharer", querystring: StatsQuery } },
    async (request) => {
      const { groupBy, ...filter } = request.query as StatsFilter & { groupBy?: StatsGroup };
      return statsReport(deps.db, filter, groupBy ?? "channel");
    },
  );

  app.get(
    "/admin/orders/:id/attribution",
    { config: { access: operator("orders") }, schema: { tags, summary: "The chain behind one order: share, sharer, visits, registration, order", params: IdParam("ord") } },
    async (request) => orderChain(deps, (request.params as { id: string }).id),
  );

  app.get("/admin/sharing/settings", { config: { access: operator("admin") }, schema: { tags, summary: "Attribution window, rule and visit dedupe window" } }, async () => attributionSettings(deps.db));

  app.put(
    "/admin/sharing/settings",
    { config: { access: operator("admin") }, schema: { tags, summary: "Change the attribution window, rule or visit dedupe window (applies to what happens next)", body: Settings } },
    async (request) =>
      deps.db.transaction().execute((trx) => saveAttributionSettings(trx, actorOf(request.principal, request.id), request.body as Partial<AttributionSettings>, deps.clock.now())),
  );
}
