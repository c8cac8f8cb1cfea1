import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { identityRoutes } from "./identity.routes.js";

/** Accounts, sign-in (phone code or password), sessions and address books. */
export const identityModule: Module = {
  name: "identity",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: identityRoutes,
};
