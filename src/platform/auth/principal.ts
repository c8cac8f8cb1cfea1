/**
 * Who is calling. Kinds of account: platform operators (with permissions), merchant staff (of one
 * merchant), suppliers, and consumers (some of whom are also promoters).
 */
export type Role = "operator" | "merchant" | "supplier" | "promoter" | "consumer";

/** Operator permissions; `admin` implies all of them. Finance and support operators get subsets. */
export const OPERATOR_PERMISSIONS = ["admin", "catalog", "orders", "aftersales", "finance", "users", "audit"] as const;
export type Permission = (typeof OPERATOR_PERMISSIONS)[number];

export const OPERATOR_PRESETS: Record<string, Permission[]> = {
  admin: ["admin"],
  finance: ["finance", "orders", "audit"],
  support: ["orders", "aftersales", "users"],
};

export interface Principal {
  userId: string;
  kind: "operator" | "merchant" | "supplier" | "consumer";
  roles: Role[];
  permissions: Permission[];
  merchantId: string | null;
  supplierId: string | null;
  sessionId: string;
}

export function hasPermission(p: Principal, perm: Permission): boolean {
  return p.kind === "operator" && (p.permissions.includes("admin") || p.permissions.includes(perm));
}

/** The actor recorded in the audit log and passed to services that need to know who acts. */
export interface Actor {
  userId: string | null;
  kind: string;
  merchantId: string | null;
  requestId: string | null;
}

export const systemActor: Actor = { userId: null, kind: "system", merchantId: null, requestId: null };

export function actorOf(p: Principal | undefined, requestId: string | null): Actor {
  if (!p) return { ...systemActor, kind: "anonymous", requestId };
  return { userId: p.userId, kind: p.kind, merchantId: p.merchantId, requestId };
}
