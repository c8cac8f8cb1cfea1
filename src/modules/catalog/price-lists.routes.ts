import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam } from "../../platform/http/schemas.js";
import { createPriceList, getPriceList, listPriceLists, type PriceListInput, updatePriceList } from "./price-lists.service.js";
import { Channel } from "./schemas.js";

const Item = Type.Object(
  { skuId: IdOf("sku"), price: FenAmount, minQty: Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: "tiered lists: the price holds from this quantity" }) },
  { additionalProperties: false },
);
const Items = Type.Array(Item, { maxItems: 1000 });

/** Operators keep price lists: member prices, channel prices and quantity tiers. */
export function priceListsRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["catalog"];
  const access = operator("catalog");
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get("/admin/price-lists", { config: { access }, schema: { tags, summary: "Every price list" } }, async () => ({ items: await listPriceLists(deps.db) }));

  app.post(
    "/admin/price-lists",
    {
      config: { access },
      schema: {
        tags,
        summary: "Create a price list; a buyer pays the lowest price that applies to them",
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 50 }),
            kind: Type.Union([Type.Literal("member"), Type.Literal("channel"), Type.Literal("tiered")]),
            channel: Type.Optional(Type.Union([Channel, Type.Null()], { description: "required for channel lists; on other kinds, limits the list to that channel" })),
            items: Type.Optional(Items),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const list = await deps.db.transaction().execute((trx) => createPriceList(trx, actor(request), request.body as PriceListInput, deps.clock.now()));
      return reply.status(201).send(list);
    },
  );

  app.get("/admin/price-lists/:id", { config: { access }, schema: { tags, summary: "A price list with its items", params: IdParam("prl") } }, async (request) => getPriceList(deps.db, id(request)));

  app.patch(
    "/admin/price-lists/:id",
    {
      config: { access },
      schema: {
        tags,
        summary: "Rename, switch on or off, or replace the items of a price list",
        params: IdParam("prl"),
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), active: Type.Optional(Type.Boolean()), items: Type.Optional(Items) }, { additionalProperties: false, minProperties: 1 }),
      },
    },
    async (request) => deps.db.transaction().execute((trx) => updatePriceList(trx, actor(request), id(request), request.body as never, deps.clock.now())),
  );
}
