import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { reviewsRoutes } from "./reviews.routes.js";

/** Reviews (评价) and photo reviews (晒单) of received items, moderation and merchant replies. */
export const reviewsModule: Module = {
  name: "reviews",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: reviewsRoutes,
};
