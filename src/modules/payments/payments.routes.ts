import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { ANY_USER, CONSUMER, operator, PUBLIC } from "../../platform/auth/access.js";
import { IdOf, IdParam, PageQuery } from "../../platform/http/schemas.js";
import { PAYMENT_STATES, PAYMENT_TRANSITIONS, type PaymentStatus, REFUND_STATES, type RefundStatus } from "./payment-machine.js";
import { getPayment, handleNotification, listPayments, notificationsOf, startPayment } from "./payments.service.js";
import { PROVIDER_NAMES, type ProviderName } from "./providers/provider.js";
import { listRefunds } from "./refunds.service.js";
import { testPayRoutes } from "./test-pay.routes.js";

const Provider = Type.Unsafe<ProviderName>(Type.String({ enum: [...PROVIDER_NAMES], description: "test, wechatpay or alipay" }));
const literals = (values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export async function paymentRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const tags = ["payments"];

  app.get("/payments/state-machine", { config: { access: PUBLIC }, schema: { tags, summary: "The payment state machine and refund states" } }, async () => ({
    states: PAYMENT_STATES,
    transitions: PAYMENT_TRANSITIONS,
    refundStates: REFUND_STATES,
  }));

  app.post(
    "/payments",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: {
        tags,
        summary: "Pay my unpaid orders in one payment: returns what my client does next (redirect, WeChat JSAPI params or H5 link)",
        body: Type.Object(
          {
            orderIds: Type.Array(IdOf("ord"), { minItems: 1, maxItems: 50 }),
            provider: Provider,
            openid: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "the buyer's WeChat openid: WeChat Pay uses JSAPI (inside WeChat) when given, H5 otherwise" })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as { orderIds: string[]; provider: ProviderName; openid?: string };
      const started = await startPayment(deps, request.principal!.userId, { ...body, ip: request.ip });
      return reply.status(201).send(started);
    },
  );

  app.get("/payments/:id", { config: { access: ANY_USER }, schema: { tags, summary: "One of my payments", params: IdParam("pay") } }, async (request) =>
    getPayment(deps, (request.params as { id: string }).id, { userId: request.principal!.userId }),
  );

  // Providers sign the exact bytes they send, so these routes get the body as the raw string.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser(["application/json", "application/x-www-form-urlencoded", "text/plain"], { parseAs: "string" }, (_req, body, done) => done(null, body));

    raw.post(
      "/payments/notify/:provider",
      {
        config: { access: PUBLIC },
        schema: { tags, summary: "Asynchronous payment notification from a provider (signature verified; every one is logged)", params: Type.Object({ provider: Provider }) },
      },
      async (request, reply) => {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]));
        const rawBody = typeof request.body === "string" ? request.body : "";
        const ack = await handleNotification(deps, (request.params as { provider: string }).provider, { headers, rawBody });
        return reply.status(ack.status).header("content-type", ack.contentType).send(ack.body);
      },
    );

    testPayRoutes(raw, deps);
  });

  app.get(
    "/admin/payments",
    {
      config: { access: operator("finance") },
      schema: { tags, summary: "Payments, newest first", querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(literals(Object.keys(PAYMENT_STATES))), provider: Type.Optional(Provider) })]) },
    },
    async (request) => {
      const q = request.query as { status?: PaymentStatus; provider?: ProviderName; limit?: number; after?: string };
      return listPayments(deps, { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get("/admin/payments/:id", { config: { access: operator("finance") }, schema: { tags, summary: "One payment with every notification received for it", params: IdParam("pay") } }, async (request) => {
    const id = (request.params as { id: string }).id;
    return { ...(await getPayment(deps, id, "operator")), notifications: await notificationsOf(deps, id) };
  });

  app.get(
    "/admin/refunds",
    {
      config: { access: operator("finance") },
      schema: { tags, summary: "Refunds, newest first", querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(literals(Object.keys(REFUND_STATES))), orderId: Type.Optional(IdOf("ord")) })]) },
    },
    async (request) => {
      const q = request.query as { status?: RefundStatus; orderId?: string; limit?: number; after?: string };
      return listRefunds(deps, { ...q, limit: q.limit ?? 20 });
    },
  );
}
