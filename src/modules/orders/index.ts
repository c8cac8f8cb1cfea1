import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { orderJobs } from "./orders.jobs.js";
import { orderRoutes } from "./orders.routes.js";
import { shippingAdjuster } from "./pricing.js";

/** Checkout and orders: the order state machine, payment timeout, receipt and the after-sales window. */
export const ordersModule: Module = {
  name: "orders",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: orderRoutes,
  jobs: orderJobs,
  adjusters: () => [shippingAdjuster],
};
