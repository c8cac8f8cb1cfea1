import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { sharingRoutes } from "./sharing.routes.js";
import { sharingSubscribers } from "./sharing.subscribers.js";

/** Shares (分享) and attribution: share → visit → registration → order, with per-channel funnels. */
export const sharingModule: Module = {
  name: "sharing",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: sharingRoutes,
  subscribers: sharingSubscribers,
};
