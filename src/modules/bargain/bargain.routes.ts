import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, PUBLIC, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { createActivity, getActivity, listActivities, listOpenActivities, updateActivity } from "./activities.service.js";
import { BARGAIN_STATES, BARGAIN_TRANSITIONS, type BargainStatus } from "./bargain-machine.js";
import { bargainPage, helpBargain, listBargainsForOperator, myBargains, orderBargain, startBargain } from "./bargains.service.js";

const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const DeviceHeader = Type.Object({ "x-device-id": Type.String({ pattern: "^[A-Za-z0-9_.:-]{6,128}$", description: "the app's or browser's device id (one help per device)" }) });
const OptionalDevice = Type.Object({ "x-device-id": Type.Optional(Type.String({ pattern: "^[A-Za-z0-9_.:-]{6,128}$" })) });

const ActivityBody = Type.Object(
  {
    skuId: IdOf("sku"),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    originalPrice: Type.Optional({ ...FenAmount, minimum: 1, description: "原价 in fen; the SKU's own price by default, never above it" }),
    floorPrice: { ...FenAmount, description: "底价 in fen: what the K-th helper brings the price to" },
    helpersNeeded: Type.Integer({ minimum: 1, maximum: 500, description: "K: helpers needed to reach the floor (at most original − floor, every cut is ≥ 1 fen)" }),
    timeLimitMinutes: Type.Integer({ minimum: 5, maximum: 10080, description: "how long a started bargain stays open" }),
    earlyPurchase: Type.Boolean({ description: "whether the owner may buy at the current price before reaching the floor" }),
    paymentMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: "minutes a bargain order waits for payment" })),
    stock: Type.Integer({ minimum: 0, maximum: 1_000_000, description: "units this activity may sell; each started bargain reserves one" }),
    startsAt: Timestamp,
    endsAt: Timestamp,
  },
  { additionalProperties: false },
);

export function bargainRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["bargain"];
  const staff = operator("catalog");

  app.get("/bargains/state-machine", { config: { access: PUBLIC }, schema: { tags, summary: "The bargain state machine: states and transitions" } }, async () => ({
    states: BARGAIN_STATES,
    transitions: BARGAIN_TRANSITIONS,
  }));

  app.post("/admin/bargain-activities", { config: { access: staff }, schema: { tags, summary: "Create a 砍价 activity (audited); 422 bargain_config_invalid names the field that cannot work", body: ActivityBody } }, async (request, reply) => {
    const body = request.body as Omit<Parameters<typeof createActivity>[2], "startsAt" | "endsAt"> & { startsAt: string; endsAt: string };
    const created = await createActivity(deps, actorOf(request.principal, request.id), { ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) });
    return reply.status(201).send(created);
  });

  app.get("/admin/bargain-activities", { config: { access: staff }, schema: { tags, summary: "Bargain activities, newest first, with units reserved and sold", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return listActivities(deps, { limit: q.limit ?? 20, after: q.after });
  });

  app.patch(
    "/admin/bargain-activities/:id",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Pause or resume an activity, or change its stock (audited)",
        params: IdParam("bga"),
        body: Type.Object({ status: Type.Optional(Type.Union([Type.Literal("active"), Type.Literal("paused")])), stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })) }, { additionalProperties: false }),
      },
    },
    async (request) => updateActivity(deps, actorOf(request.principal, request.id), id(request), request.body as { status?: "active" | "paused"; stock?: number }),
  );

  app.get(
    "/admin/bargains",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Bargains by activity and status, newest first: owner, price so far, helpers so far",
        querystring: Type.Intersect([PageQuery, Type.Object({ activityId: Type.Optional(IdOf("bga")), status: Type.Optional(Type.Union(Object.keys(BARGAIN_STATES).map((s) => Type.Literal(s)))) })]),
      },
    },
    async (request) => {
      const q = request.query as { activityId?: string; status?: BargainStatus; limit?: number; after?: string };
      return listBargainsForOperator(deps, { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get("/bargain-activities", { config: { access: PUBLIC }, schema: { tags, summary: "Bargain activities open now, ending soonest first, with their product and units left" } }, async () => ({
    items: await listOpenActivities(deps),
    serverTime: deps.clock.now(),
  }));

  app.get("/bargain-activities/:id", { config: { access: PUBLIC }, schema: { tags, summary: "A bargain activity: prices, helpers needed, time limit, units left", params: IdParam("bga") } }, async (request) => getActivity(deps, id(request)));

  app.post(
    "/bargain-activities/:id/bargains",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: { tags, summary: "Start my bargain (reserves a unit); 409 already_bargaining, sold_out or activity_not_open", params: IdParam("bga"), headers: OptionalDevice },
    },
    async (request, reply) => {
      const started = await startBargain(deps, { activityId: id(request), userId: request.principal!.userId, deviceId: (request.headers["x-device-id"] as string | undefined) ?? null });
      return reply.status(201).send(await bargainPage(deps, started.bargainId, request.principal!.userId));
    },
  );

  app.get("/bargains/:id", { config: { access: PUBLIC }, schema: { tags, summary: "The bargain page: helpers (masked), cut history, remaining amount and countdown from server time", params: IdParam("bgn") } }, async (request) =>
    bargainPage(deps, id(request), request.principal?.userId ?? null),
  );

  app.post(
    "/bargains/:id/help",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: { tags, summary: "帮砍: cut a friend's price; 409 own_bargain, same_device, already_helped, device_already_helped, floor_reached or bargain_closed", params: IdParam("bgn"), headers: DeviceHeader },
    },
    async (request) => helpBargain(deps, { bargainId: id(request), helperId: request.principal!.userId, deviceId: request.headers["x-device-id"] as string }),
  );

  app.post(
    "/bargains/:id/order",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: { tags, summary: "Buy at the current price (at the floor, or earlier where allowed); 409 floor_not_reached or bargain_changed", params: IdParam("bgn"), body: Type.Object({ addressId: IdOf("adr") }, { additionalProperties: false }) },
    },
    async (request, reply) => {
      const placed = await orderBargain(deps, { bargainId: id(request), userId: request.principal!.userId, addressId: (request.body as { addressId: string }).addressId });
      return reply.status(201).send(placed);
    },
  );

  app.get("/me/bargains", { config: { access: CONSUMER }, schema: { tags, summary: "My bargains, newest first", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return myBargains(deps, request.principal!.userId, { limit: q.limit ?? 20, after: q.after });
  });
}
