import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { mediaRoutes } from "./media.routes.js";

/** Image uploads (review photos, after-sales evidence), checked by their bytes, served under /uploads/. */
export const mediaModule: Module = {
  name: "media",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: (app, deps) => mediaRoutes(app, deps),
};
