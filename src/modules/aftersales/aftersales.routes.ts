import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, merchantOrOperator, PUBLIC } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery } from "../../platform/http/schemas.js";
import { staffViewer } from "../orders/orders.routes.js";
import { CARRIER_CODES, type CarrierCode } from "../shipping/carriers.js";
import { AFTERSALE_STATES, AFTERSALE_TRANSITIONS, AFTERSALE_TYPES, type AftersaleStatus, type AftersaleType } from "./after-sales-machine.js";
import { AFTERSALE_WINDOWS, REASONS } from "./after-sales-rules.js";
import {
  type NewAftersaleRequest,
  type Staff,
  approveRequest,
  cancelRequest,
  getRequest,
  listRequests,
  openRequest,
  receiveReturn,
  refundRequest,
  rejectRequest,
  reshipRequest,
  sendBack,
} from "./aftersales.service.js";

const literals = (values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Parcel = Type.Object(
  { carrier: literals(CARRIER_CODES), trackingNo: Type.String({ pattern: "^[A-Za-z0-9-]{6,40}$" }) },
  { additionalProperties: false },
);
const ListQuery = Type.Intersect([
  PageQuery,
  Type.Object({ status: Type.Optional(literals(Object.keys(AFTERSALE_STATES))), type: Type.Optional(literals(Object.keys(AFTERSALE_TYPES))) }),
]);
/** Lets a POST whose body fields are all optional come without a body at all. */
const bodyMayBeEmpty = async (request: FastifyRequest) => {
  request.body ??= {};
};
const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const staff = (request: FastifyRequest): Staff => ({ viewer: staffViewer(request), actor: actorOf(request.principal, request.id) });

export function aftersalesRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["aftersales"];
  const staffAccess = merchantOrOperator("aftersales");

  app.get("/aftersales/rules", { config: { access: PUBLIC }, schema: { tags, summary: "Request types, reasons, time limits and the state machine" } }, async () => ({
    types: AFTERSALE_TYPES,
    reasons: REASONS,
    windows: AFTERSALE_WINDOWS,
    states: AFTERSALE_STATES,
    transitions: AFTERSALE_TRANSITIONS,
  }));

  app.post(
    "/orders/:id/aftersales",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: {
        tags,
        summary: "Ask for a refund, return, exchange or repair of some items of my order",
        params: IdParam("ord"),
        body: Type.Object(
          {
            type: literals(Object.keys(AFTERSALE_TYPES)),
            items: Type.Array(Type.Object({ orderItemId: IdOf("oit"), qty: Type.Integer({ minimum: 1, maximum: 9999 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
            reasonCode: literals(Object.keys(REASONS)),
            description: Type.String({ maxLength: 500, default: "" }),
            photos: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 9, default: [], description: "media ids or /uploads/… URLs from POST /uploads" }),
            refundAmount: Type.Optional({ ...FenAmount, description: "fen; defaults to the items' paid share" }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as Omit<NewAftersaleRequest, "orderId" | "userId">;
      const created = await openRequest(deps, { ...body, orderId: id(request), userId: request.principal!.userId });
      return reply.status(201).send(created);
    },
  );

  app.get("/aftersales", { config: { access: CONSUMER }, schema: { tags, summary: "My after-sales requests, newest first", querystring: ListQuery } }, async (request) => {
    const q = request.query as { status?: AftersaleStatus; type?: AftersaleType; limit?: number; after?: string };
    return listRequests(deps, { kind: "buyer", userId: request.principal!.userId }, { ...q, limit: q.limit ?? 20 });
  });

  app.get("/aftersales/:id", { config: { access: CONSUMER }, schema: { tags, summary: "One of my requests with its full history", params: IdParam("afs") } }, async (request) =>
    getRequest(deps, id(request), { kind: "buyer", userId: request.principal!.userId }),
  );

  app.post(
    "/aftersales/:id/return-shipment",
    { config: { access: CONSUMER }, schema: { tags, summary: "I sent the goods back: the return parcel's carrier and tracking number", params: IdParam("afs"), body: Parcel } },
    async (request) => sendBack(deps, id(request), request.principal!.userId, request.body as { carrier: CarrierCode; trackingNo: string }, actorOf(request.principal, request.id)),
  );

  app.post("/aftersales/:id/cancel", { config: { access: CONSUMER }, schema: { tags, summary: "Withdraw my request (while requested or approved)", params: IdParam("afs") } }, async (request) =>
    cancelRequest(deps, id(request), request.principal!.userId, actorOf(request.principal, request.id)),
  );

  app.get(
    "/admin/aftersales",
    {
      config: { access: staffAccess },
      schema: { tags, summary: "After-sales requests (a merchant sees its own), newest first", querystring: Type.Intersect([ListQuery, Type.Object({ orderId: Type.Optional(IdOf("ord")) })]) },
    },
    async (request) => {
      const q = request.query as { status?: AftersaleStatus; type?: AftersaleType; orderId?: string; limit?: number; after?: string };
      return listRequests(deps, staffViewer(request), { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get("/admin/aftersales/:id", { config: { access: staffAccess }, schema: { tags, summary: "One request with its full history", params: IdParam("afs") } }, async (request) =>
    getRequest(deps, id(request), staffViewer(request)),
  );

  app.post(
    "/admin/aftersales/:id/approve",
    {
      config: { access: staffAccess, idempotent: true },
      preValidation: bodyMayBeEmpty,
      schema: { tags, summary: "Accept a request (refund-only before shipment: refunded at once)", params: IdParam("afs"), body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }) },
    },
    async (request) => approveRequest(deps, id(request), staff(request), (request.body as { note?: string }).note),
  );

  app.post(
    "/admin/aftersales/:id/reject",
    { config: { access: staffAccess }, schema: { tags, summary: "Refuse a request, saying why", params: IdParam("afs"), body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }) } },
    async (request) => rejectRequest(deps, id(request), staff(request), (request.body as { reason: string }).reason),
  );

  app.post(
    "/admin/aftersales/:id/receive-return",
    {
      config: { access: staffAccess, idempotent: true },
      preValidation: bodyMayBeEmpty,
      schema: {
        tags,
        summary: "The returned goods arrived (a return's goods go back into stock unless restock is false)",
        params: IdParam("afs"),
        body: Type.Object({ restock: Type.Boolean({ default: true }) }, { additionalProperties: false }),
      },
    },
    async (request) => receiveReturn(deps, id(request), staff(request), (request.body as { restock: boolean }).restock),
  );

  app.post("/admin/aftersales/:id/refund", { config: { access: staffAccess, idempotent: true }, schema: { tags, summary: "Pay the refund of an approved refund-only request or a received return", params: IdParam("afs") } }, async (request) =>
    refundRequest(deps, id(request), staff(request)),
  );

  app.post(
    "/admin/aftersales/:id/reship",
    { config: { access: staffAccess, idempotent: true }, schema: { tags, summary: "Ship the replacement (exchange) or the repaired goods (repair) back", params: IdParam("afs"), body: Parcel } },
    async (request) => reshipRequest(deps, id(request), staff(request), request.body as { carrier: CarrierCode; trackingNo: string }),
  );
}
