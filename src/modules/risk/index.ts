import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import type { DomainEvent } from "../../platform/events/outbox.js";
import { riskRoutes } from "./risk.routes.js";
import { recordRegistration } from "./risk.service.js";

/** Anti-abuse, first line (C10): self-referral, velocity limits, reward risk scores and the review queue. */
export const riskModule: Module = {
  name: "risk",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: riskRoutes,
  subscribers: (deps) => [
    {
      name: "risk.registrations",
      events: ["user.registered"],
      handle: (trx, event: DomainEvent<{ userId: string; phoneHash?: string; deviceId?: string; ip?: string }>) =>
        recordRegistration(deps, trx, { userId: event.payload.userId, deviceId: event.payload.deviceId, phoneHash: event.payload.phoneHash, ip: event.payload.ip }, event.createdAt),
    },
  ],
};
