import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { cartRoutes } from "./cart.routes.js";
import { removeFromCart } from "./cart.service.js";

/** The shopping cart. Bought SKUs leave the cart when their order is placed. */
export const cartModule: Module = {
  name: "cart",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: cartRoutes,
  subscribers: (deps) => [
    {
      name: "cart.clear-ordered",
      events: ["order.created"],
      handle: async (trx, event) => {
        const { userId, skus } = event.payload as { userId: string; skus: { skuId: string }[] };
        await removeFromCart({ ...deps, db: trx }, userId, skus.map((s) => s.skuId));
      },
    },
  ],
};
