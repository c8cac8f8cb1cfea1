import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { inventoryRoutes } from "./inventory.routes.js";

/** Stock per warehouse, reservations for unpaid orders, and the stock ledger. */
export const inventoryModule: Module = {
  name: "inventory",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: inventoryRoutes,
};
