import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, merchantOrOperator, operator, PUBLIC } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { IdOf, IdParam, Timestamp } from "../../platform/http/schemas.js";
import { staffViewer } from "../orders/orders.routes.js";
import { CARRIER_CODES, CARRIERS, type CarrierCode, TRACKING_STATUSES, type TrackingStatus } from "./carriers.js";
import { addTrackingEvent, createShipment, receiveCarrierPush, setCarrierSecret, shipmentsOfOrder, type ShipmentLine } from "./shipping.service.js";

const Carrier = Type.Union(CARRIER_CODES.map((c) => Type.Literal(c)), { description: CARRIER_CODES.map((c) => `${c} ${CARRIERS[c]}`).join(", ") });
const TrackingNo = Type.String({ pattern: "^[A-Za-z0-9-]{6,40}$", description: "the carrier's waybill number" });
const TrackingEvent = Type.Object(
  {
    at: Type.Optional(Timestamp),
    status: Type.Union(Object.keys(TRACKING_STATUSES).map((s) => Type.Literal(s))),
    location: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
const MAX_PUSH_BYTES = 256 * 1024;

export function shippingRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["shipping"];

  app.get("/shipping/carriers", { config: { access: PUBLIC }, schema: { tags, summary: "Carriers a shipment can go with, and tracking statuses" } }, async () => ({
    carriers: CARRIER_CODES.map((code) => ({ code, name: CARRIERS[code] })),
    trackingStatuses: TRACKING_STATUSES,
  }));

  app.post(
    "/admin/orders/:id/shipments",
    {
      config: { access: merchantOrOperator("orders"), idempotent: true },
      schema: {
        tags,
        summary: "Ship a parcel: some items (partial shipment) or, without items, everything not yet shipped",
        params: IdParam("ord"),
        body: Type.Object(
          {
            carrier: Carrier,
            trackingNo: TrackingNo,
            items: Type.Optional(
              Type.Array(
                Type.Object({ orderItemId: Type.Optional(IdOf("oit")), skuId: Type.Optional(IdOf("sku")), qty: Type.Integer({ minimum: 1, maximum: 9999 }) }, { additionalProperties: false }),
                { minItems: 1, maxItems: 50, description: "each line names its order item (or SKU) and quantity" },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as { carrier: CarrierCode; trackingNo: string; items?: ShipmentLine[] };
      const shipment = await createShipment(deps, { orderId: (request.params as { id: string }).id, viewer: staffViewer(request), ...body, actor: actorOf(request.principal, request.id) });
      return reply.status(201).send(shipment);
    },
  );

  app.post(
    "/admin/shipments/:id/events",
    {
      config: { access: merchantOrOperator("orders") },
      schema: { tags, summary: "Add a tracking event; `delivered` delivers the parcel (and the order once every parcel is delivered)", params: IdParam("shp"), body: TrackingEvent },
    },
    async (request) => {
      const body = request.body as { at?: string; status: TrackingStatus; location?: string; description: string };
      return addTrackingEvent(deps, {
        shipmentId: (request.params as { id: string }).id,
        viewer: staffViewer(request),
        event: { ...body, at: body.at ? new Date(body.at) : undefined },
        actor: actorOf(request.principal, request.id),
      });
    },
  );

  app.get("/orders/:id/shipments", { config: { access: CONSUMER }, schema: { tags, summary: "The parcels of my order with their tracking", params: IdParam("ord") } }, async (request) =>
    shipmentsOfOrder(deps, (request.params as { id: string }).id, { kind: "buyer", userId: request.principal!.userId }),
  );

  app.get("/admin/orders/:id/shipments", { config: { access: merchantOrOperator("orders") }, schema: { tags, summary: "The parcels of an order with their tracking", params: IdParam("ord") } }, async (request) =>
    shipmentsOfOrder(deps, (request.params as { id: string }).id, staffViewer(request)),
  );

  app.put(
    "/admin/shipping/carriers/:carrier/webhook-secret",
    {
      config: { access: operator("admin") },
      schema: {
        tags,
        summary: "Set the secret a carrier signs its tracking pushes with",
        params: Type.Object({ carrier: Carrier }),
        body: Type.Object({ secret: Type.String({ minLength: 16, maxLength: 200 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await setCarrierSecret(deps, (request.params as { carrier: CarrierCode }).carrier, (request.body as { secret: string }).secret, actorOf(request.principal, request.id));
      return reply.status(204).send();
    },
  );

  // The signature covers the exact bytes sent, so this route reads its body raw and parses it itself.
  void app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_PUSH_BYTES }, (_request, body, done) => done(null, body));
    raw.post(
      "/shipping/webhooks/:carrier",
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: "Carrier tracking push: JSON {trackingNo, events: [{at, status, location?, description}]} signed with X-Liebian-Signature: sha256=<HMAC-SHA256 hex of the raw body>",
          params: Type.Object({ carrier: Carrier }),
        },
      },
      async (request) => receiveCarrierPush(deps, (request.params as { carrier: CarrierCode }).carrier, (request.body as Buffer | undefined) ?? Buffer.alloc(0), request.headers),
    );
  });
}
