import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { PUBLIC } from "../../platform/auth/access.js";
import { notFound } from "../../platform/errors.js";
import { IdOf } from "../../platform/http/schemas.js";
import { getPayment } from "./payments.service.js";
import { TestPaymentProvider } from "./providers/test-provider.js";
import { testPayPage } from "./test-pay-page.js";

const Params = Type.Object({ paymentId: IdOf("pay") });

async function testPayment(deps: Deps, paymentId: string) {
  const payment = await getPayment(deps, paymentId, "operator");
  if (payment.provider !== "test") throw notFound("test payment");
  return payment;
}

function testProvider(deps: Deps): TestPaymentProvider {
  const provider = deps.adapters.payments.test;
  if (!(provider instanceof TestPaymentProvider)) throw notFound("test payment provider");
  return provider;
}

/**
 * The test provider's pay page. Confirming posts a notification signed with the test secret to
 * POST /payments/notify/test, the route real providers call, so a demo payment exercises the real path.
 */
export function testPayRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["payments"];

  app.get("/pay/test/:paymentId", { config: { access: PUBLIC }, schema: { tags, summary: "Test provider: the pay page (HTML)", params: Params } }, async (request, reply) => {
    testProvider(deps);
    const payment = await testPayment(deps, (request.params as { paymentId: string }).paymentId);
    return reply.header("content-type", "text/html; charset=utf-8").header("cache-control", "no-store").send(testPayPage(payment));
  });

  app.post(
    "/pay/test/:paymentId/confirm",
    { config: { access: PUBLIC }, schema: { tags, summary: "Test provider: the pay button; sends the signed notification and returns to the pay page", params: Params } },
    async (request, reply) => {
      const provider = testProvider(deps);
      const payment = await testPayment(deps, (request.params as { paymentId: string }).paymentId);
      const notification = provider.notificationFor({ paymentId: payment.id, amount: payment.amount, success: true });
      const res = await app.inject({ method: "POST", url: "/payments/notify/test", headers: notification.headers, payload: notification.rawBody });
      if (res.statusCode >= 300) request.log.error({ status: res.statusCode, body: res.body }, "test payment notification was refused");
      return reply.redirect(`/pay/test/${payment.id}`, 303);
    },
  );
}
