import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import type { Module } from "../../module.js";
import { categoriesRoutes } from "./categories.routes.js";
import { priceListsRoutes } from "./price-lists.routes.js";
import { productsRoutes } from "./products.routes.js";
import { storefrontRoutes } from "./storefront.routes.js";

/** Categories, attributes, products and SKUs, bundles, price lists; what buyers browse. */
export const catalogModule: Module = {
  name: "catalog",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: (app: FastifyInstance, deps: Deps) => {
    storefrontRoutes(app, deps);
    productsRoutes(app, deps);
    categoriesRoutes(app, deps);
    priceListsRoutes(app, deps);
  },
};
