import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { merchantsRoutes } from "./merchants.routes.js";

/** Stores on the platform (商家), the platform's own store (自营) among them. */
export const merchantsModule: Module = {
  name: "merchants",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: merchantsRoutes,
};
