import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { promotionsAdjuster } from "./promotions.pricing.js";
import { promotionsRoutes } from "./promotions.routes.js";

/** Checkout promotions: 满减 tiers, 满赠 gifts and limited-time prices, within their time windows. */
export const promotionsModule: Module = {
  name: "promotions",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: promotionsRoutes,
  adjusters: (deps) => [promotionsAdjuster(deps)],
};
