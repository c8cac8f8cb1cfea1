import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { cartRoutes } from "./cart.routes.js";

/** The shopping cart. Lines checked out from it leave it when their order is placed (orders calls removeFromCart). */
export const cartModule: Module = {
  name: "cart",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: cartRoutes,
};
