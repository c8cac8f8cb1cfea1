import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER } from "../../platform/auth/access.js";
import { notFound } from "../../platform/errors.js";
import { IdOf } from "../../platform/http/schemas.js";
import { addToCart, getCart, removeFromCart, updateCartItem } from "./cart.service.js";

const Qty = Type.Integer({ minimum: 1, maximum: 999 });

export function cartRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["cart"];
  const config = { access: CONSUMER };
  app.get("/cart", { config, schema: { tags, summary: "My cart, priced now, with stock availability" } }, async (request) => getCart(deps, request.principal!.userId));
  app.post(
    "/cart/items",
    { config, schema: { tags, summary: "Add a SKU (adds to the quantity already there)", body: Type.Object({ skuId: IdOf("sku"), qty: Qty }, { additionalProperties: false }) } },
    async (request, reply) => {
      const body = request.body as { skuId: string; qty: number };
      await addToCart(deps, request.principal!.userId, body.skuId, body.qty);
      return reply.status(201).send(await getCart(deps, request.principal!.userId));
    },
  );
  app.put(
    "/cart/items/:skuId",
    {
      config,
      schema: {
        tags,
        summary: "Change quantity or selection",
        params: Type.Object({ skuId: IdOf("sku") }),
        body: Type.Object({ qty: Type.Optional(Qty), selected: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      },
    },
    async (request) => {
      const { skuId } = request.params as { skuId: string };
      if (!(await updateCartItem(deps, request.principal!.userId, skuId, request.body as { qty?: number; selected?: boolean }))) throw notFound("cart item");
      return getCart(deps, request.principal!.userId);
    },
  );
  app.delete("/cart/items/:skuId", { config, schema: { tags, summary: "Remove a SKU", params: Type.Object({ skuId: IdOf("sku") }) } }, async (request) => {
    await removeFromCart(deps, request.principal!.userId, [(request.params as { skuId: string }).skuId]);
    return getCart(deps, request.principal!.userId);
  });
}
