import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { paymentRoutes } from "./payments.routes.js";
import { closePaymentsOfOrder } from "./payments.service.js";

/** Payments through provider adapters (WeChat Pay v3, Alipay, the built-in test provider), verified notifications, refunds. */
export const paymentsModule: Module = {
  name: "payments",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: paymentRoutes,
  subscribers: () => [
    {
      name: "payments.close-on-order-cancelled",
      events: ["order.cancelled"],
      handle: (trx, event) => closePaymentsOfOrder(trx, (event.payload as { orderId: string }).orderId),
    },
  ],
};
