import type { FastifyInstance } from "fastify";
import type { Deps } from "./deps.js";
import type { Subscriber } from "./platform/events/dispatcher.js";
import type { JobHandler } from "./platform/jobs/jobs.js";
import type { Adjuster } from "./modules/orders/pricing.js";

/** A capability of Liebian: its tables (migrations), HTTP routes, event subscribers and clock jobs. */
export interface Module {
  name: string;
  /** Absolute path of the module's migrations folder. */
  migrations?: string;
  routes?: (app: FastifyInstance, deps: Deps) => void | Promise<void>;
  subscribers?: (deps: Deps) => Subscriber[];
  jobs?: (deps: Deps) => Record<string, JobHandler>;
  /** Pricing steps this module adds to checkout (shipping, promotions, coupons), applied in module order. */
  adjusters?: (deps: Deps) => Adjuster[];
}
