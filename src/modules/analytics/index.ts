import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { analyticsRoutes } from "./analytics.routes.js";
import { analyticsSubscribers } from "./analytics.subscribers.js";
import { JOB_EXPORT, runExportJob } from "./exports.service.js";

/**
 * Growth analytics (增长分析): browser and business events, rollups kept as they arrive, and the
 * reports (PV/UV, funnels, retention, K-factor, GMV, ROI) with CSV exports. Last in the module list:
 * its subscribers read what referral and sharing decided about the same event.
 */
export const analyticsModule: Module = {
  name: "analytics",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: analyticsRoutes,
  subscribers: analyticsSubscribers,
  jobs: (deps) => ({ [JOB_EXPORT]: (trx, payload, now) => runExportJob(deps, trx, payload, now) }),
};
