import { fileURLToPath } from "node:url";
import type { Module } from "../../module.js";
import { referralRoutes } from "./referral.routes.js";
import { type Registration, bindRegistration } from "./referral.service.js";

/** Invites (邀请): invite codes and links, who brought whom, and the invite tree to any depth. */
export const referralModule: Module = {
  name: "referral",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  routes: referralRoutes,
  subscribers: () => [
    { name: "referral.bind_inviter", events: ["user.registered"], handle: async (trx, e) => void (await bindRegistration(trx, e.payload as unknown as Registration, e.createdAt)) },
  ],
};
