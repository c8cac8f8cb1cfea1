import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { posterRoutes } from "./posters.routes.js";

/** Share posters (海报): a product, its price, the sharer and a QR code of the sharer's share link. */
export const postersModule: Module = {
  name: "posters",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: posterRoutes,
};
