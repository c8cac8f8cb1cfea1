import { fileURLToPath } from "node:url";
import type { Deps } from "../../deps.js";
import type { Module } from "../../module.js";
import type { JobHandler } from "../../platform/jobs/jobs.js";
import { CAMPAIGN, flashAdjuster, fulfilAttempt, onOrderOutcome } from "./attempts.service.js";
import { flashsaleRoutes } from "./flashsale.routes.js";
import { JOB_RECONCILE, reconcile, scheduleReconcile } from "./reconcile.js";
import { campaignOutcomes } from "../orders/campaign-outcomes.js";

function reconcileJob(deps: Deps): JobHandler {
  return async (trx, _payload, now) => {
    const result = await reconcile(deps, trx, { repair: true });
    if (!result.consistent) deps.log.warn({ items: result.items.filter((i) => !i.consistent) }, "flash-sale counter repaired");
    await scheduleReconcile(trx, now);
  };
}

/** 秒杀 flash sales: time slots, a counter that holds the crowd, a queue to orders, reconciliation. */
export const flashsaleModule: Module = {
  name: "flashsale",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: (app, deps) => {
    flashsaleRoutes(app, deps);
    // The consumer runs in every process (the queue shares the work out); reconciliation runs on start.
    app.addHook("onReady", async () => {
      await deps.adapters.flashQueue.start((attemptId) => fulfilAttempt(deps, attemptId));
      const now = deps.clock.now();
      await scheduleReconcile(deps.db, now, now);
    });
    app.addHook("onClose", async () => {
      await deps.adapters.flashQueue.close();
      await deps.adapters.flashCounter.close();
    });
  },
  subscribers: (deps) => [campaignOutcomes("flashsale.order_outcome", CAMPAIGN, (trx, outcome, ref) => onOrderOutcome(deps, trx, outcome, ref))],
  jobs: (deps) => ({ [JOB_RECONCILE]: reconcileJob(deps) }),
  adjusters: (deps) => [flashAdjuster(deps)],
};
