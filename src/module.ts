import type { FastifyInstance } from "fastify";
import type { Deps } from "./deps.js";
import type { Subscriber } from "./platform/events/dispatcher.js";
import type { JobHandler } from "./platform/jobs/jobs.js";

/** A capability of Liebian: its tables (migrations), HTTP routes, event subscribers and clock jobs. */
export interface Module {
  name: string;
  /** Absolute path of the module's migrations folder. */
  migrations?: string;
  routes?: (app: FastifyInstance, deps: Deps) => void | Promise<void>;
  subscribers?: (deps: Deps) => Subscriber[];
  jobs?: (deps: Deps) => Record<string, JobHandler>;
}
