import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, merchantOrOperator, PUBLIC, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import { invalidField } from "../../platform/errors.js";
import { IdOf, IdParam, PageQuery } from "../../platform/http/schemas.js";
import { selectedLines } from "../cart/cart.service.js";
import { ORDER_STATES, ORDER_TRANSITIONS, type OrderStatus } from "./order-machine.js";
import { type Viewer, cancelOrder, confirmReceipt, getOrder, listOrders, placeOrders, previewCheckout } from "./orders.service.js";

const Lines = Type.Array(Type.Object({ skuId: IdOf("sku"), qty: Type.Integer({ minimum: 1, maximum: 999 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 });
const CheckoutBody = {
  items: Type.Optional(Lines),
  fromCart: Type.Optional(Type.Boolean({ description: "use the selected lines of my cart instead of items" })),
  couponIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: "coupons to apply" })),
  points: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: "points to redeem" })),
};

const optionsOf = (request: FastifyRequest) => {
  const body = request.body as { couponIds?: string[]; points?: number };
  return { couponIds: body.couponIds, points: body.points };
};
const StatusQuery = Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union(Object.keys(ORDER_STATES).map((s) => Type.Literal(s)))) })]);

async function linesOf(deps: Deps, request: FastifyRequest) {
  const body = request.body as { items?: { skuId: string; qty: number }[]; fromCart?: boolean };
  if (body.items && body.fromCart) throw invalidField("items", "give items or fromCart, not both");
  if (body.fromCart) return selectedLines(deps, request.principal!.userId);
  if (!body.items) throw invalidField("items", "give items or fromCart");
  return body.items;
}

export function staffViewer(request: FastifyRequest): Viewer {
  const p = request.principal!;
  return p.kind === "merchant" ? { kind: "merchant", merchantId: p.merchantId! } : { kind: "operator" };
}

export function orderRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["orders"];

  app.get("/orders/state-machine", { config: { access: PUBLIC }, schema: { tags, summary: "The order state machine: states and transitions" } }, async () => ({
    states: ORDER_STATES,
    transitions: ORDER_TRANSITIONS,
  }));

  app.post(
    "/checkout/preview",
    { config: { access: CONSUMER }, schema: { tags, summary: "Price breakdown per merchant (items, shipping, every adjustment), reserving nothing", body: Type.Object(CheckoutBody, { additionalProperties: false }) } },
    async (request) => previewCheckout(deps, { userId: request.principal!.userId, lines: await linesOf(deps, request), options: optionsOf(request) }),
  );

  app.post(
    "/orders",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: {
        tags,
        summary: "Place the orders of a checkout (one per merchant); stock is reserved until payment or timeout",
        body: Type.Object({ ...CheckoutBody, addressId: IdOf("adr"), note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const body = request.body as { addressId: string; note?: string; fromCart?: boolean };
      const placed = await placeOrders(deps, { userId: request.principal!.userId, lines: await linesOf(deps, request), fromCart: body.fromCart, options: optionsOf(request), addressId: body.addressId, note: body.note });
      const orders = await Promise.all(placed.orderIds.map((id) => getOrder(deps, id, { kind: "buyer", userId: request.principal!.userId })));
      return reply.status(201).send({ checkoutId: placed.checkoutId, payable: placed.payable, orders });
    },
  );

  app.get("/orders", { config: { access: CONSUMER }, schema: { tags, summary: "My orders, newest first", querystring: StatusQuery } }, async (request) => {
    const q = request.query as { status?: OrderStatus; limit?: number; after?: string };
    return listOrders(deps, { kind: "buyer", userId: request.principal!.userId }, { ...q, limit: q.limit ?? 20 });
  });

  app.get("/orders/:id", { config: { access: CONSUMER }, schema: { tags, summary: "One of my orders with items, adjustments and timeline", params: IdParam("ord") } }, async (request) =>
    getOrder(deps, (request.params as { id: string }).id, { kind: "buyer", userId: request.principal!.userId }),
  );

  app.post(
    "/orders/:id/cancel",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Cancel my unpaid order (releases its stock)", params: IdParam("ord") } },
    async (request) => {
      const { id } = request.params as { id: string };
      const userId = request.principal!.userId;
      await getOrder(deps, id, { kind: "buyer", userId });
      await deps.db.transaction().execute((trx) => cancelOrder(deps, trx, id, actorOf(request.principal, request.id), "cancelled by buyer"));
      deps.events.poke();
      return getOrder(deps, id, { kind: "buyer", userId });
    },
  );

  app.post(
    "/orders/:id/confirm-receipt",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Confirm I received the goods (确认收货)", params: IdParam("ord") } },
    async (request) => {
      const { id } = request.params as { id: string };
      const userId = request.principal!.userId;
      await getOrder(deps, id, { kind: "buyer", userId });
      await deps.db.transaction().execute((trx) => confirmReceipt(deps, trx, id, actorOf(request.principal, request.id)));
      deps.events.poke();
      return getOrder(deps, id, { kind: "buyer", userId });
    },
  );

  app.get(
    "/admin/orders",
    {
      config: { access: merchantOrOperator("orders") },
      schema: {
        tags,
        summary: "Orders (a merchant sees its own), newest first",
        querystring: Type.Intersect([
          StatusQuery,
          Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: "an order number (or its start), the buyer's phone number, or words of the recipient's name or an item's title" })) }),
        ]),
      },
    },
    async (request) => {
      const q = request.query as { status?: OrderStatus; q?: string; limit?: number; after?: string };
      return listOrders(deps, staffViewer(request), { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get("/admin/orders/:id", { config: { access: merchantOrOperator("orders") }, schema: { tags, summary: "One order with its timeline", params: IdParam("ord") } }, async (request) =>
    getOrder(deps, (request.params as { id: string }).id, staffViewer(request)),
  );

  app.post(
    "/admin/orders/:id/cancel",
    { config: { access: operator("orders"), idempotent: true }, schema: { tags, summary: "Cancel an unpaid order", params: IdParam("ord"), body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) } },
    async (request) => {
      const { id } = request.params as { id: string };
      const { reason } = request.body as { reason: string };
      await deps.db.transaction().execute(async (trx) => {
        const actor = actorOf(request.principal, request.id);
        await cancelOrder(deps, trx, id, actor, reason);
        await audit(trx, actor, { action: "order.cancel", entity: "order", entityId: id, before: { status: "pending_payment" }, after: { status: "cancelled", reason } }, deps.clock.now());
      });
      deps.events.poke();
      return getOrder(deps, id, { kind: "operator" });
    },
  );
}
