import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { aftersalesRoutes } from "./aftersales.routes.js";

/** After-sales (售后): refund only, return and refund, exchange, repair — time limits, review, refunds, restock. */
export const aftersalesModule: Module = {
  name: "aftersales",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: aftersalesRoutes,
};
