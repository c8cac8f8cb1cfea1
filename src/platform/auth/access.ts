import type { Permission, Principal, Role } from "./principal.js";
import { hasPermission } from "./principal.js";

/**
 * Who may call a route. Every route declares one (registration fails otherwise), and one hook enforces
 * it before the handler runs. `permission` narrows operators; other roles listed are let through and
 * the service scopes what they see (a merchant sees its own store, a consumer its own orders).
 */
export type Access = "public" | { roles: Role[]; permission?: Permission };

export const PUBLIC: Access = "public";
export const ANY_USER: Access = { roles: ["operator", "merchant", "supplier", "promoter", "consumer"] };
export const CONSUMER: Access = { roles: ["consumer"] };
export const operator = (permission: Permission): Access => ({ roles: ["operator"], permission });
/** Operators with the permission, and merchant staff for their own store. */
export const merchantOrOperator = (permission: Permission): Access => ({ roles: ["operator", "merchant"], permission });

export function allows(access: Access, p: Principal | undefined): "ok" | "unauthenticated" | "forbidden" {
  if (access === "public") return "ok";
  if (!p) return "unauthenticated";
  for (const role of access.roles) {
    if (!p.roles.includes(role)) continue;
    if (role === "operator" && access.permission && !hasPermission(p, access.permission)) continue;
    return "ok";
  }
  return "forbidden";
}
