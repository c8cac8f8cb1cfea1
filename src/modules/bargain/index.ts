import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { bargainRoutes } from "./bargain.routes.js";
import { CAMPAIGN, JOB_EXPIRE, bargainAdjuster, expireBargain, onOrderOutcome } from "./bargains.service.js";

/** 砍价 bargaining: activities, bargains whose friends cut the price to the floor, and their orders. */
export const bargainModule: Module = {
  name: "bargain",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: bargainRoutes,
  subscribers: (deps) => [
    {
      name: "bargain.order_outcome",
      events: ["order.paid", "order.cancelled"],
      when: (event) => (event.payload as { campaign?: { type: string } | null }).campaign?.type === CAMPAIGN,
      handle: async (trx, event) => {
        const { campaign, orderId } = event.payload as { orderId: string; campaign?: { type: string; ref: string } | null };
        if (campaign?.type !== CAMPAIGN) return;
        await onOrderOutcome(deps, trx, event.type === "order.paid" ? "paid" : "cancelled", campaign.ref, orderId);
      },
    },
  ],
  jobs: () => ({ [JOB_EXPIRE]: async (trx, payload: { bargainId: string }, now) => expireBargain(trx, payload.bargainId, now) }),
  adjusters: (deps) => [bargainAdjuster(deps)],
};
