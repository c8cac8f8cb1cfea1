import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { memberAdjuster } from "./levels.js";
import { pointsAdjuster } from "./points.js";
import { rewardSubscribers } from "./rewards.events.js";
import { rewardRoutes } from "./rewards.routes.js";
import { expireReward, JOB_EXPIRE } from "./rewards.service.js";

/**
 * Rewards (奖励): the double-entry ledger, reward rules per fission path, member levels and points at
 * checkout. Listed last among the modules so that its adjusters (member benefits, then points) apply
 * after shipping, promotions and coupons.
 */
export const rewardsModule: Module = {
  name: "rewards",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: rewardRoutes,
  subscribers: rewardSubscribers,
  jobs: (deps) => ({ [JOB_EXPIRE]: (trx, payload: { rewardId: string }, now) => expireReward(deps, trx, payload.rewardId, now) }),
  adjusters: (deps) => [memberAdjuster(deps), pointsAdjuster(deps)],
};
