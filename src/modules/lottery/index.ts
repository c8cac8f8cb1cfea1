import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { lotteryRoutes } from "./lottery.routes.js";

/** 抽奖 lucky draws (wheel or grid) with daily, share-earned and quiz-earned chances; every draw reproducible. */
export const lotteryModule: Module = {
  name: "lottery",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: lotteryRoutes,
};
