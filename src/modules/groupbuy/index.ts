import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { groupbuyRoutes } from "./groupbuy.routes.js";
import { groupbuyAdjuster } from "./seats.service.js";
import { CAMPAIGN, closeAtDeadline, JOB_TEAM_DEADLINE, onOrderOutcome } from "./teams.service.js";
import { campaignOutcomes } from "../orders/campaign-outcomes.js";

/** 拼团 group buying: activities, teams filled by paying members, success or automatic refunds at the deadline. */
export const groupbuyModule: Module = {
  name: "groupbuy",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: groupbuyRoutes,
  subscribers: (deps) => [campaignOutcomes("groupbuy.order_outcome", CAMPAIGN, (trx, outcome, ref) => onOrderOutcome(deps, trx, outcome, ref))],
  jobs: (deps) => ({ [JOB_TEAM_DEADLINE]: (trx, { teamId }: { teamId: string }) => closeAtDeadline(deps, trx, teamId) }),
  adjusters: (deps) => [groupbuyAdjuster(deps)],
};
