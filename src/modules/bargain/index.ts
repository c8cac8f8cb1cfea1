import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { bargainRoutes } from "./bargain.routes.js";
import { CAMPAIGN, JOB_EXPIRE, bargainAdjuster, expireBargain, onOrderOutcome } from "./bargains.service.js";
import { campaignOutcomes } from "../orders/campaign-outcomes.js";

/** 砍价 bargaining: activities, bargains whose friends cut the price to the floor, and their orders. */
export const bargainModule: Module = {
  name: "bargain",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: bargainRoutes,
  subscribers: (deps) => [campaignOutcomes("bargain.order_outcome", CAMPAIGN, (trx, outcome, ref, orderId) => onOrderOutcome(deps, trx, outcome, ref, orderId))],
  jobs: () => ({ [JOB_EXPIRE]: async (trx, payload: { bargainId: string }, now) => expireBargain(trx, payload.bargainId, now) }),
  adjusters: (deps) => [bargainAdjuster(deps)],
};
