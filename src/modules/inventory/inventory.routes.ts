import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { merchantOrOperator, operator } from "../../platform/auth/access.js";
import { type Actor, actorOf } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { invalidField, notFound } from "../../platform/errors.js";
import { IdOf, IdParam, PageQuery, pageOf } from "../../platform/http/schemas.js";
import { skuMerchants } from "../catalog/catalog.service.js";
import { ownMerchantId } from "../merchants/merchants.service.js";
import { listMovements, setStock, stockLevels } from "./inventory.service.js";
import { createWarehouse, getWarehouse, listWarehouses, updateWarehouse } from "./warehouses.service.js";

/** Merchant staff see and set stock of their own store's SKUs only; another store's SKU is not found. */
async function assertSkuVisible(db: Db, actor: Actor, skuId: string): Promise<void> {
  const owner = (await skuMerchants(db, [skuId])).get(skuId);
  const own = ownMerchantId(actor);
  if (!owner || (own !== null && owner !== own)) throw notFound("sku");
}

export function inventoryRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["inventory"];
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);

  app.get(
    "/admin/stock",
    {
      config: { access: merchantOrOperator("catalog") },
      schema: { tags, summary: "A SKU's stock per warehouse: on hand, held for unpaid orders, available", querystring: Type.Object({ skuId: IdOf("sku") }) },
    },
    async (request) => {
      const { skuId } = request.query as { skuId: string };
      await assertSkuVisible(deps.db, actor(request), skuId);
      const levels = await stockLevels(deps.db, skuId);
      return { skuId, available: levels.reduce((n, l) => n + l.available, 0), levels };
    },
  );

  app.put(
    "/admin/stock",
    {
      config: { access: merchantOrOperator("catalog"), idempotent: true },
      schema: {
        tags,
        summary: "Set the on-hand stock of a SKU in a warehouse (the default one when omitted); never below what unpaid orders hold",
        body: Type.Object(
          {
            skuId: IdOf("sku"),
            warehouseId: Type.Optional(IdOf("wh")),
            onHand: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
            reason: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '"receipt" for goods received; any other text is an adjustment (default "adjustment")' })),
            ref: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "the document behind the change" })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const body = request.body as { skuId: string; warehouseId?: string; onHand: number; reason?: string; ref?: string };
      const who = actor(request);
      await assertSkuVisible(deps.db, who, body.skuId);
      return deps.db.transaction().execute(async (trx) => {
        if (body.warehouseId) {
          const wh = await getWarehouse(trx, body.warehouseId);
          const own = ownMerchantId(who);
          if (!wh || (own !== null && wh.merchantId !== null && wh.merchantId !== own)) throw notFound("warehouse");
        }
        const before = await stockLevels(trx, body.skuId);
        await setStock(trx, { ...body, reason: body.reason ?? "adjustment" }, deps.clock.now());
        const levels = await stockLevels(trx, body.skuId);
        await audit(trx, who, { action: "stock.set", entity: "sku", entityId: body.skuId, before, after: levels }, deps.clock.now());
        return { skuId: body.skuId, available: levels.reduce((n, l) => n + l.available, 0), levels };
      });
    },
  );

  app.get(
    "/admin/stock/movements",
    {
      config: { access: merchantOrOperator("catalog") },
      schema: {
        tags,
        summary: "The stock ledger, newest first: every reservation, release, sale, return, receipt and adjustment (merchant staff name one of their SKUs)",
        querystring: Type.Intersect([PageQuery, Type.Object({ skuId: Type.Optional(IdOf("sku")), ref: Type.Optional(Type.String({ maxLength: 64 })) })]),
      },
    },
    async (request) => {
      const q = request.query as { skuId?: string; ref?: string; limit?: number; after?: string };
      const who = actor(request);
      if (ownMerchantId(who) !== null && !q.skuId) throw invalidField("skuId", "name one of your SKUs");
      if (q.skuId) await assertSkuVisible(deps.db, who, q.skuId);
      const limit = q.limit ?? 20;
      return pageOf(await listMovements(deps.db, { ...q, limit: limit + 1 }), limit);
    },
  );

  app.get("/admin/warehouses", { config: { access: merchantOrOperator("catalog") }, schema: { tags, summary: "Warehouses (merchant staff: the platform's and their own)" } }, async (request) => ({
    items: await listWarehouses(deps.db, ownMerchantId(actor(request))),
  }));

  app.post(
    "/admin/warehouses",
    {
      config: { access: operator("catalog") },
      schema: {
        tags,
        summary: "Add a warehouse",
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 50 }), merchantId: Type.Optional(Type.Union([IdOf("mch"), Type.Null()])), isDefault: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const warehouse = await deps.db.transaction().execute((trx) => createWarehouse(trx, actor(request), request.body as never, deps.clock.now()));
      return reply.status(201).send(warehouse);
    },
  );

  app.patch(
    "/admin/warehouses/:id",
    {
      config: { access: operator("catalog") },
      schema: {
        tags,
        summary: "Rename a warehouse or make it the default",
        params: IdParam("wh"),
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), isDefault: Type.Optional(Type.Literal(true)) }, { additionalProperties: false, minProperties: 1 }),
      },
    },
    async (request) =>
      deps.db.transaction().execute((trx) => updateWarehouse(trx, actor(request), (request.params as { id: string }).id, request.body as never, deps.clock.now())),
  );
}
