import type { Access } from "../auth/access.js";
import type { Principal } from "../auth/principal.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call this route; required on every route. */
    access?: Access;
    /** Honour the Idempotency-Key header (every POST that moves money or stock). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
    idempotency?: { principal: string; key: string };
  }
}
