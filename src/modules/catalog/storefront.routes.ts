import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { PUBLIC } from "../../platform/auth/access.js";
import { IdOf, IdParam, PageQuery } from "../../platform/http/schemas.js";
import { categoryTree } from "./categories.service.js";
import { Tag } from "./schemas.js";
import { type BrowseQuery, browseProducts, productForShopper, tagsInUse } from "./storefront.service.js";

/** What buyers browse: the category tree, product lists and product pages. */
export function storefrontRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["catalog"];

  app.get("/categories", { config: { access: PUBLIC }, schema: { tags, summary: "The category tree" } }, async () => ({ items: await categoryTree(deps.db) }));

  app.get("/tags", { config: { access: PUBLIC }, schema: { tags, summary: "Tags on products for sale, most used first" } }, async () => ({ items: await tagsInUse(deps.db) }));

  app.get(
    "/products",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Products on sale: search, filter by category (and its subcategories), tag or store; newest first or by price",
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: "words in the title or subtitle" })),
            categoryId: Type.Optional(IdOf("cat")),
            tag: Type.Optional(Tag),
            merchantId: Type.Optional(IdOf("mch")),
            sort: Type.Optional(Type.Union([Type.Literal("newest"), Type.Literal("price_asc"), Type.Literal("price_desc")], { default: "newest" })),
          }),
        ]),
      },
    },
    async (request) => {
      const q = request.query as Omit<BrowseQuery, "limit"> & { limit?: number };
      return browseProducts(deps.db, { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get(
    "/products/:id",
    { config: { access: PUBLIC }, schema: { tags, summary: "A product page: SKUs with specs, price, member price and stock", params: IdParam("prd") } },
    async (request) => productForShopper(deps.db, (request.params as { id: string }).id),
  );
}
