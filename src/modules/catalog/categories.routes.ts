import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { merchantOrOperator, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { IdOf, IdParam } from "../../platform/http/schemas.js";
import { createAttribute, listAttributes, updateAttribute } from "./attributes.service.js";
import { type CategoryInput, createCategory, deleteCategory, updateCategory } from "./categories.service.js";

const CategoryFields = {
  name: Type.String({ minLength: 1, maxLength: 30 }),
  parentId: Type.Optional(Type.Union([IdOf("cat"), Type.Null()], { description: "null or absent: a top-level category" })),
  icon: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()])),
  sort: Type.Optional(Type.Integer({ minimum: -10_000, maximum: 10_000, description: "smaller first" })),
};
const AttributeValues = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 100, description: "allowed values; empty: free text" });

/** Operators shape the catalog: the category tree and the spec attributes SKUs draw on. */
export function categoriesRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["catalog"];
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.post(
    "/admin/categories",
    { config: { access: operator("catalog") }, schema: { tags, summary: "Add a category", body: Type.Object(CategoryFields, { additionalProperties: false }) } },
    async (request, reply) => {
      const category = await deps.db.transaction().execute((trx) => createCategory(trx, actor(request), request.body as CategoryInput, deps.clock.now()));
      return reply.status(201).send(category);
    },
  );

  app.patch(
    "/admin/categories/:id",
    {
      config: { access: operator("catalog") },
      schema: { tags, summary: "Rename, move or reorder a category", params: IdParam("cat"), body: Type.Partial(Type.Object(CategoryFields), { additionalProperties: false, minProperties: 1 }) },
    },
    async (request) => deps.db.transaction().execute((trx) => updateCategory(trx, actor(request), id(request), request.body as Partial<CategoryInput>, deps.clock.now())),
  );

  app.delete(
    "/admin/categories/:id",
    { config: { access: operator("catalog") }, schema: { tags, summary: "Remove an empty category (no subcategories, no products)", params: IdParam("cat") } },
    async (request, reply) => {
      await deps.db.transaction().execute((trx) => deleteCategory(trx, actor(request), id(request), deps.clock.now()));
      return reply.status(204).send();
    },
  );

  app.get("/admin/attributes", { config: { access: merchantOrOperator("catalog") }, schema: { tags, summary: "Spec attributes (规格项) and their values" } }, async () => ({
    items: await listAttributes(deps.db),
  }));

  app.post(
    "/admin/attributes",
    {
      config: { access: operator("catalog") },
      schema: {
        tags,
        summary: "Add a spec attribute such as 颜色 or 尺码",
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 20 }), values: AttributeValues, sort: Type.Optional(Type.Integer({ minimum: -10_000, maximum: 10_000 })) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const attribute = await deps.db.transaction().execute((trx) => createAttribute(trx, actor(request), request.body as never, deps.clock.now()));
      return reply.status(201).send(attribute);
    },
  );

  app.patch(
    "/admin/attributes/:id",
    {
      config: { access: operator("catalog") },
      schema: {
        tags,
        summary: "Change an attribute's values or order",
        params: IdParam("att"),
        body: Type.Object({ values: Type.Optional(AttributeValues), sort: Type.Optional(Type.Integer({ minimum: -10_000, maximum: 10_000 })) }, { additionalProperties: false, minProperties: 1 }),
      },
    },
    async (request) => deps.db.transaction().execute((trx) => updateAttribute(trx, actor(request), id(request), request.body as never, deps.clock.now())),
  );
}
