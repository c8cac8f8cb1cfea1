import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, PUBLIC, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import { FenAmount, IdOf, IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { ATTEMPT_STATES, attemptMachine } from "./attempt-machine.js";
import { attemptPurchase, getAttempt } from "./attempts.service.js";
import { reconcile } from "./reconcile.js";
import { addItem, createSlot, deleteSlot, flashNow, listSlots, removeItem, slotView, updateItem, updateSlot } from "./slots.service.js";

const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const Title = Type.String({ minLength: 1, maxLength: 60 });
const ItemTermsBody = {
  flashPrice: { ...FenAmount, description: "秒杀价 in fen, at most the SKU's own price" },
  stock: Type.Integer({ minimum: 1, maximum: 1_000_000, description: "units on sale, at most the SKU's available inventory now" }),
  perUserLimit: Type.Integer({ minimum: 1, maximum: 100 }),
  paymentMinutes: Type.Integer({ minimum: 1, maximum: 60, description: "minutes a flash order waits for payment before it is cancelled and its unit returns to the slot (default 5)" }),
};
const toDates = (b: { opensAt?: string; closesAt?: string; title?: string }) => ({
  ...(b.title !== undefined ? { title: b.title } : {}),
  ...(b.opensAt !== undefined ? { opensAt: new Date(b.opensAt) } : {}),
  ...(b.closesAt !== undefined ? { closesAt: new Date(b.closesAt) } : {}),
});

export function flashsaleRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["flashsale"];
  const staff = operator("catalog");
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);

  app.get("/flash/now", { config: { access: PUBLIC }, schema: { tags, summary: "Server time and today's flash-sale slots with their state and countdown (ms), from server time" } }, async () => flashNow(deps));

  app.get("/flash/state-machine", { config: { access: PUBLIC }, schema: { tags, summary: "The purchase attempt state machine: states and transitions" } }, async () => ({
    states: ATTEMPT_STATES,
    transitions: attemptMachine.transitions,
  }));

  app.get("/flash/slots/:id", { config: { access: PUBLIC }, schema: { tags, summary: "One slot: countdown, items, flash prices and units left", params: IdParam("fss") } }, async (request) =>
    slotView(deps, id(request), { staff: false }),
  );

  app.post(
    "/flash/items/:itemId/attempts",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: {
        tags,
        summary: "抢购: try to buy a flash item. 202 with an attempt id to poll; 409 sold_out, limit_reached, slot_not_open or slot_ended; 429 with Retry-After when sent too often",
        params: Type.Object({ itemId: IdOf("fsi") }),
        headers: Type.Object({ "x-device-id": Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$", description: "the app's device id (required; requests per device are limited)" }) }),
        body: Type.Object({ addressId: IdOf("adr"), qty: Type.Integer({ minimum: 1, maximum: 10, default: 1 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const body = request.body as { addressId: string; qty: number };
      const result = await attemptPurchase(deps, {
        itemId: (request.params as { itemId: string }).itemId,
        userId: request.principal!.userId,
        qty: body.qty,
        addressId: body.addressId,
        deviceId: request.headers["x-device-id"] as string,
        ip: request.ip,
      });
      return reply.status(202).send(result);
    },
  );

  app.get("/flash/attempts/:id", { config: { access: CONSUMER }, schema: { tags, summary: "My purchase attempt: queued until its order is placed, then the order id", params: IdParam("fsa") } }, async (request) =>
    getAttempt(deps, id(request), request.principal!.userId),
  );

  app.get("/admin/flash/slots", { config: { access: staff }, schema: { tags, summary: "Flash-sale slots, newest first", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return listSlots(deps, { limit: q.limit ?? 20, after: q.after });
  });

  app.post(
    "/admin/flash/slots",
    {
      config: { access: staff, idempotent: true },
      schema: {
        tags,
        summary: "Create a slot (e.g. 10:00, 14:00, 20:00 Asia/Shanghai: send times with their offset, 2026-06-01T10:00:00+08:00)",
        body: Type.Object({ title: Title, opensAt: Timestamp, closesAt: Timestamp }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const b = request.body as { title: string; opensAt: string; closesAt: string };
      return reply.status(201).send(await createSlot(deps, actor(request), { title: b.title, opensAt: new Date(b.opensAt), closesAt: new Date(b.closesAt) }));
    },
  );

  app.get("/admin/flash/slots/:id", { config: { access: staff }, schema: { tags, summary: "One slot with, per item, units left and units queued, ordered, paid, released, failed", params: IdParam("fss") } }, async (request) =>
    slotView(deps, id(request), { staff: true }),
  );

  app.patch(
    "/admin/flash/slots/:id",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Change a slot's title or window (before it opens)",
        params: IdParam("fss"),
        body: Type.Object({ title: Type.Optional(Title), opensAt: Type.Optional(Timestamp), closesAt: Type.Optional(Timestamp) }, { additionalProperties: false }),
      },
    },
    async (request) => updateSlot(deps, actor(request), id(request), toDates(request.body as { title?: string; opensAt?: string; closesAt?: string })),
  );

  app.delete("/admin/flash/slots/:id", { config: { access: staff }, schema: { tags, summary: "Delete a slot and its items (before it opens)", params: IdParam("fss") } }, async (request, reply) => {
    await deleteSlot(deps, actor(request), id(request));
    return reply.status(204).send();
  });

  app.post(
    "/admin/flash/slots/:id/items",
    {
      config: { access: staff, idempotent: true },
      schema: {
        tags,
        summary: "Put a SKU in a slot at a flash price, with stock and a per-user limit (before it opens)",
        params: IdParam("fss"),
        body: Type.Object({ skuId: IdOf("sku"), ...ItemTermsBody, paymentMinutes: Type.Optional(ItemTermsBody.paymentMinutes) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const b = request.body as { skuId: string; flashPrice: number; stock: number; perUserLimit: number; paymentMinutes?: number };
      return reply.status(201).send(await addItem(deps, actor(request), id(request), b));
    },
  );

  app.patch(
    "/admin/flash/items/:id",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Change an item's flash price, stock, limit or payment minutes (before its slot opens)",
        params: IdParam("fsi"),
        body: Type.Object(
          {
            flashPrice: Type.Optional(ItemTermsBody.flashPrice),
            stock: Type.Optional(ItemTermsBody.stock),
            perUserLimit: Type.Optional(ItemTermsBody.perUserLimit),
            paymentMinutes: Type.Optional(ItemTermsBody.paymentMinutes),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => updateItem(deps, actor(request), id(request), request.body as Record<string, number>),
  );

  app.delete("/admin/flash/items/:id", { config: { access: staff }, schema: { tags, summary: "Take an item out of its slot (before it opens)", params: IdParam("fsi") } }, async (request, reply) => {
    await removeItem(deps, actor(request), id(request));
    return reply.status(204).send();
  });

  app.get("/admin/flash/reconciliation", { config: { access: staff }, schema: { tags, summary: "Compare the counter with the attempts in the database, per item, without changing anything" } }, async () =>
    reconcile(deps, deps.db, { repair: false }),
  );

  app.post(
    "/admin/flash/reconciliation",
    {
      config: { access: staff, idempotent: true },
      schema: {
        tags,
        summary: "Reconcile now: make the counter agree with the database and re-queue stalled attempts",
        body: Type.Object({ itemIds: Type.Optional(Type.Array(IdOf("fsi"), { minItems: 1, maxItems: 100, description: "only these items (default: every recent one)" })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const result = await reconcile(deps, deps.db, { repair: true, itemIds: (request.body as { itemIds?: string[] }).itemIds });
      await audit(deps.db, actor(request), { action: "flash.reconcile", entity: "flash_reconciliation", after: { consistent: result.consistent, items: result.items.filter((i) => !i.consistent || i.requeued.length > 0) } }, deps.clock.now());
      return result;
    },
  );
}
