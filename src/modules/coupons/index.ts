import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { couponsAdjuster } from "./coupons.pricing.js";
import { couponsRoutes } from "./coupons.routes.js";
import { couponSubscribers } from "./coupons.subscribers.js";

/** Coupons (优惠券): templates, claims, checkout use and return, coupon fission and double-sided invite coupons. */
export const couponsModule: Module = {
  name: "coupons",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: couponsRoutes,
  subscribers: couponSubscribers,
  adjusters: (deps) => [couponsAdjuster(deps)],
};
