import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { shippingRoutes } from "./shipping.routes.js";

/** Parcels (partial and complete shipment), carrier tracking by staff or signed carrier push, delivery. */
export const shippingModule: Module = {
  name: "shipping",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: shippingRoutes,
};
