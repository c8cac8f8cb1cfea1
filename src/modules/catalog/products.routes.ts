import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { merchantOrOperator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery, pageOf } from "../../platform/http/schemas.js";
import {
  addSku,
  createProduct,
  getProduct,
  listProducts,
  type ProductFilter,
  type ProductInput,
  type ProductPatch,
  setProductStatus,
  type SkuInput,
  type SkuPatch,
  updateSku,
  updateProduct,
} from "./products.service.js";
import { ProductFields, ProductStatusSchema, SkuBody } from "./schemas.js";

/** Staff manage products: operators (catalog) every store's, merchant staff their own store's. */
export function productsRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["catalog"];
  const access = merchantOrOperator("catalog");
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);
  const params = (request: FastifyRequest) => request.params as { id: string; skuId: string };

  app.get(
    "/admin/products",
    {
      config: { access },
      schema: {
        tags,
        summary: "Products in any state, newest first",
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            status: Type.Optional(ProductStatusSchema),
            merchantId: Type.Optional(IdOf("mch")),
            categoryId: Type.Optional(IdOf("cat")),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          }),
        ]),
      },
    },
    async (request) => {
      const q = request.query as Omit<ProductFilter, "limit"> & { limit?: number };
      const limit = q.limit ?? 20;
      return pageOf(await listProducts(deps.db, actor(request), { ...q, limit: limit + 1 }), limit);
    },
  );

  app.post(
    "/admin/products",
    {
      config: { access },
      schema: {
        tags,
        summary: "Create a product (a draft) with its SKUs; a bundle has one SKU listing its components",
        body: Type.Object(
          {
            ...ProductFields,
            merchantId: Type.Optional(IdOf("mch")),
            kind: Type.Optional(Type.Union([Type.Literal("standard"), Type.Literal("bundle")])),
            skus: Type.Array(SkuBody, { minItems: 1, maxItems: 100 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const product = await deps.db.transaction().execute((trx) => createProduct(trx, actor(request), request.body as ProductInput, deps.clock.now()));
      return reply.status(201).send(product);
    },
  );

  app.get("/admin/products/:id", { config: { access }, schema: { tags, summary: "One product with all its SKUs", params: IdParam("prd") } }, async (request) =>
    getProduct(deps.db, actor(request), params(request).id),
  );

  app.patch(
    "/admin/products/:id",
    {
      config: { access },
      schema: {
        tags,
        summary: "Change a product's details",
        params: IdParam("prd"),
        body: Type.Partial(Type.Object(ProductFields), { additionalProperties: false, minProperties: 1 }),
      },
    },
    async (request) => deps.db.transaction().execute((trx) => updateProduct(trx, actor(request), params(request).id, request.body as ProductPatch, deps.clock.now())),
  );

  app.put(
    "/admin/products/:id/status",
    {
      config: { access },
      schema: {
        tags,
        summary: "Put a product on sale (上架) or take it off (下架)",
        params: IdParam("prd"),
        body: Type.Object({ status: Type.Union([Type.Literal("on_sale"), Type.Literal("off_sale")]) }, { additionalProperties: false }),
      },
    },
    async (request) =>
      deps.db.transaction().execute((trx) => setProductStatus(trx, actor(request), params(request).id, (request.body as { status: "on_sale" | "off_sale" }).status, deps.clock.now())),
  );

  app.post(
    "/admin/products/:id/skus",
    { config: { access }, schema: { tags, summary: "Add a SKU to a product", params: IdParam("prd"), body: SkuBody } },
    async (request, reply) => {
      const sku = await deps.db.transaction().execute((trx) => addSku(trx, actor(request), params(request).id, request.body as SkuInput, deps.clock.now()));
      return reply.status(201).send(sku);
    },
  );

  app.patch(
    "/admin/products/:id/skus/:skuId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Change a SKU's code, price, weight, or switch it off",
        params: Type.Object({ id: IdOf("prd"), skuId: IdOf("sku") }),
        body: Type.Object(
          {
            code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            price: Type.Optional(FenAmount),
            weightGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
            status: Type.Optional(Type.Union([Type.Literal("active"), Type.Literal("inactive")])),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
      },
    },
    async (request) =>
      deps.db.transaction().execute((trx) => updateSku(trx, actor(request), params(request).id, params(request).skuId, request.body as SkuPatch, deps.clock.now())),
  );
}
