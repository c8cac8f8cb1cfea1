import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { IdOf } from "../../platform/http/schemas.js";
import type { PosterStyle } from "./posters.tables.js";
import { listTemplates, posterFor, setDefaultTemplate, updateTemplate } from "./posters.service.js";

const TemplateKey = Type.String({ pattern: "^[a-z0-9-]{2,32}$", description: "poster template key (classic, midnight, …)" });
const Colour = Type.String({ pattern: "^#[0-9a-fA-F]{6}$" });
const Coord = Type.Integer({ minimum: 0, maximum: 1334 });
const Place = (extra: Record<string, ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>> = {}) =>
  Type.Object({ x: Coord, y: Coord, size: Type.Integer({ minimum: 8, maximum: 750 }), ...extra }, { additionalProperties: false });
const StylePatch = Type.Object(
  {
    colors: Type.Optional(
      Type.Object({ background: Colour, panel: Colour, accent: Colour, bannerText: Colour, text: Colour, muted: Colour, price: Colour }, { additionalProperties: false }),
    ),
    banner: Type.Optional(
      Type.Object({ text: Type.String({ maxLength: 20 }), y: Coord, height: Type.Integer({ minimum: 0, maximum: 400 }), size: Type.Integer({ minimum: 8, maximum: 120 }) }, { additionalProperties: false }),
    ),
    image: Type.Optional(Place()),
    title: Type.Optional(Place({ maxWidth: Type.Integer({ minimum: 50, maximum: 750 }), lines: Type.Integer({ minimum: 1, maximum: 4 }) })),
    price: Type.Optional(Place()),
    sharer: Type.Optional(Place()),
    qr: Type.Optional(Place()),
    hint: Type.Optional(Place({ text: Type.String({ maxLength: 30 }) })),
  },
  { additionalProperties: false },
);

export function posterRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["posters"];

  app.get(
    "/posters",
    {
      config: { access: CONSUMER },
      schema: {
        tags,
        summary: "My share poster of a product (PNG 750×1334) with a QR code of my attributed share link",
        querystring: Type.Object({ targetType: Type.Literal("product"), targetId: IdOf("prd"), template: Type.Optional(TemplateKey) }),
      },
    },
    async (request, reply) => {
      const q = request.query as { targetType: "product"; targetId: string; template?: string };
      const poster = await posterFor(deps, { ...q, sharerId: request.principal!.userId });
      return reply
        .type("image/png")
        .header("cache-control", "private, max-age=300")
        .header("x-poster-cache", poster.cache)
        .header("x-poster-template", poster.template)
        .header("x-share-url", poster.shareUrl)
        .send(poster.png);
    },
  );

  app.get("/admin/poster-templates", { config: { access: operator("admin") }, schema: { tags, summary: "Poster templates (layout and colours as data) and which is the default" } }, async () =>
    listTemplates(deps.db),
  );

  app.put(
    "/admin/poster-templates/:key",
    {
      config: { access: operator("admin") },
      schema: { tags, summary: "Restyle a template; posters drawn from it are redrawn", params: Type.Object({ key: TemplateKey }), body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })), style: Type.Optional(StylePatch) }, { additionalProperties: false }) },
    },
    async (request) => {
      const body = request.body as { name?: string; style?: Partial<PosterStyle> };
      return deps.db.transaction().execute((trx) => updateTemplate(trx, actorOf(request.principal, request.id), (request.params as { key: string }).key, body, deps.clock.now()));
    },
  );

  app.put(
    "/admin/poster-templates/:key/default",
    { config: { access: operator("admin") }, schema: { tags, summary: "Make this the template posters use when none is named", params: Type.Object({ key: TemplateKey }) } },
    async (request) => deps.db.transaction().execute((trx) => setDefaultTemplate(trx, actorOf(request.principal, request.id), (request.params as { key: string }).key, deps.clock.now())),
  );
}
