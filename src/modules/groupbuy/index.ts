import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import type { DomainEvent } from "../../platform/events/outbox.js";
import { groupbuyRoutes } from "./groupbuy.routes.js";
import { groupbuyAdjuster } from "./seats.service.js";
import { CAMPAIGN, closeAtDeadline, JOB_TEAM_DEADLINE, onOrderOutcome } from "./teams.service.js";

/** 拼团 group buying: activities, teams filled by paying members, success or automatic refunds at the deadline. */
export const groupbuyModule: Module = {
  name: "groupbuy",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: groupbuyRoutes,
  subscribers: (deps) => [
    {
      name: "groupbuy.order_outcome",
      events: ["order.paid", "order.cancelled"],
      when: (event) => (event.payload as { campaign?: { type: string } | null }).campaign?.type === CAMPAIGN,
      handle: async (trx, event: DomainEvent<{ campaign?: { type: string; ref: string } | null }>) => {
        const campaign = event.payload.campaign;
        if (campaign?.type !== CAMPAIGN) return;
        await onOrderOutcome(deps, trx, event.type === "order.paid" ? "paid" : "cancelled", campaign.ref);
      },
    },
  ],
  jobs: (deps) => ({ [JOB_TEAM_DEADLINE]: (trx, { teamId }: { teamId: string }) => closeAtDeadline(deps, trx, teamId) }),
  adjusters: (deps) => [groupbuyAdjuster(deps)],
};
