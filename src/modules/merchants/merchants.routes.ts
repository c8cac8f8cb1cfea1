import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { PUBLIC, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { notFound } from "../../platform/errors.js";
import { IdParam, PageQuery, pageOf } from "../../platform/http/schemas.js";
import { createMerchant, getMerchant, listMerchants, type MerchantPatch, type MerchantStatus, toStorefront, updateMerchant } from "./merchants.service.js";

const Logo = Type.Union([Type.String({ minLength: 1, maxLength: 500, description: "image URL" }), Type.Null()]);
const Status = Type.Union([Type.Literal("active"), Type.Literal("suspended")]);

export function merchantsRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["merchants"];

  app.get("/merchants/:id", { config: { access: PUBLIC }, schema: { tags, summary: "A store's public face (suspended stores are not found)", params: IdParam("mch") } }, async (request) => {
    const merchant = await getMerchant(deps.db, (request.params as { id: string }).id);
    if (!merchant || merchant.status !== "active") throw notFound("merchant");
    return toStorefront(merchant);
  });

  app.get(
    "/admin/merchants",
    { config: { access: operator("admin") }, schema: { tags, summary: "Every store, oldest first", querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Status) })]) } },
    async (request) => {
      const q = request.query as { limit?: number; after?: string; status?: MerchantStatus };
      const limit = q.limit ?? 20;
      return pageOf(await listMerchants(deps.db, { status: q.status, after: q.after, limit: limit + 1 }), limit);
    },
  );

  app.post(
    "/admin/merchants",
    {
      config: { access: operator("admin") },
      schema: {
        tags,
        summary: "Open a store",
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100, description: "company name" }),
            storeName: Type.String({ minLength: 1, maxLength: 50 }),
            logo: Type.Optional(Logo),
            selfOperated: Type.Optional(Type.Boolean({ description: "the platform's own store (自营); at most one" })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const merchant = await deps.db.transaction().execute((trx) => createMerchant(trx, actorOf(request.principal, request.id), request.body as never, deps.clock.now()));
      return reply.status(201).send(merchant);
    },
  );

  app.get("/admin/merchants/:id", { config: { access: operator("admin") }, schema: { tags, summary: "One store", params: IdParam("mch") } }, async (request) => {
    const merchant = await getMerchant(deps.db, (request.params as { id: string }).id);
    if (!merchant) throw notFound("merchant");
    return merchant;
  });

  app.patch(
    "/admin/merchants/:id",
    {
      config: { access: operator("admin") },
      schema: {
        tags,
        summary: "Change a store: names, logo, or suspend/reinstate it (a suspended store's products leave the shelves)",
        params: IdParam("mch"),
        body: Type.Object(
          { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), storeName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), logo: Type.Optional(Logo), status: Type.Optional(Status) },
          { additionalProperties: false, minProperties: 1 },
        ),
      },
    },
    async (request) =>
      deps.db.transaction().execute((trx) => updateMerchant(trx, actorOf(request.principal, request.id), (request.params as { id: string }).id, request.body as MerchantPatch, deps.clock.now())),
  );
}
