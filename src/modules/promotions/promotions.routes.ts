import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { merchantOrOperator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { createPromotion, deletePromotion, getPromotion, listPromotions, type PromotionInput, type PromotionPatch, updatePromotion } from "./promotions.service.js";
import type { PromotionKind } from "./promotions.tables.js";

const literals = (values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Kind = literals(["full_reduction", "gift", "limited_price"]);
const Tier = Type.Object({ threshold: { ...FenAmount, description: "spend at least this (fen)" }, off: { ...FenAmount, description: "take this off (fen)" } }, { additionalProperties: false });
const editable = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  scope: literals(["all", "products", "categories"]),
  scopeIds: Type.Array(Type.String({ pattern: "^(prd|cat)_[0-9A-HJKMNP-TV-Z]{26}$" }), { maxItems: 200, description: "product ids or category ids, per scope" }),
  tiers: Type.Array(Tier, { minItems: 1, maxItems: 10, description: "满减 tiers; the best one reached applies" }),
  threshold: { ...FenAmount, description: "满赠: spend at least this (fen)" },
  giftSkuId: IdOf("sku"),
  giftQty: Type.Integer({ minimum: 1, maximum: 99 }),
  skuId: IdOf("sku"),
  price: { ...FenAmount, description: "limited-time price (fen)" },
  startsAt: Timestamp,
  endsAt: Timestamp,
};
const optional = <T extends Record<string, any>>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)]));

const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);

export function promotionsRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["promotions"];
  const access = merchantOrOperator("catalog");

  app.post(
    "/admin/promotions",
    {
      config: { access },
      schema: {
        tags,
        summary: "Create a 满减, 满赠 or limited-time price promotion (merchant staff: for their own store)",
        body: Type.Object(
          {
            kind: Kind,
            name: editable.name,
            startsAt: editable.startsAt,
            endsAt: editable.endsAt,
            merchantId: Type.Optional(Type.Union([IdOf("mch"), Type.Null()], { description: "operators: the store a 满减 runs in; absent for platform-wide" })),
            ...optional({ scope: editable.scope, scopeIds: editable.scopeIds, tiers: editable.tiers, threshold: editable.threshold, giftSkuId: editable.giftSkuId, giftQty: editable.giftQty, skuId: editable.skuId, price: editable.price }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.status(201).send(await createPromotion(deps, actor(request), request.body as PromotionInput)),
  );

  app.get(
    "/admin/promotions",
    { config: { access }, schema: { tags, summary: "Promotions, newest first (merchant staff: their own)", querystring: Type.Intersect([PageQuery, Type.Object({ kind: Type.Optional(Kind) })]) } },
    async (request) => {
      const q = request.query as { kind?: PromotionKind; limit?: number; after?: string };
      return listPromotions(deps, actor(request), { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get("/admin/promotions/:id", { config: { access }, schema: { tags, summary: "One promotion", params: IdParam("prm") } }, async (request) => getPromotion(deps, actor(request), id(request)));

  app.patch(
    "/admin/promotions/:id",
    {
      config: { access },
      schema: {
        tags,
        summary: "Change a promotion's rule, window or status (its kind and store stay)",
        params: IdParam("prm"),
        body: Type.Object({ ...optional(editable), status: Type.Optional(literals(["active", "disabled"])) }, { additionalProperties: false }),
      },
    },
    async (request) => updatePromotion(deps, actor(request), id(request), request.body as PromotionPatch),
  );

  app.delete("/admin/promotions/:id", { config: { access }, schema: { tags, summary: "Delete a promotion", params: IdParam("prm") } }, async (request, reply) => {
    await deletePromotion(deps, actor(request), id(request));
    return reply.status(204).send();
  });
}
