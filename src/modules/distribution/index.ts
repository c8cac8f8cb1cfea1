import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { distributionRoutes } from "./distribution.routes.js";
import { distributionSubscribers } from "./distribution.subscribers.js";

/** Distribution (分销): promoters, customer bindings, two-level commissions and withdrawals. */
export const distributionModule: Module = {
  name: "distribution",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: distributionRoutes,
  subscribers: distributionSubscribers,
};
