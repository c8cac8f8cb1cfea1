import { setPromoter } from "../modules/identity/identity.service.js";
import type { Principal } from "../platform/auth/principal.js";
import { signInConsumer, signInStaff, type TestContext } from "./harness.js";

/** One signed-in caller of each kind (and anonymous), for tests that walk every route. */
export interface Caller {
  name: string;
  token?: string;
  principal?: Principal;
}

export async function signInEveryRole(ctx: TestContext): Promise<Caller[]> {
  const fake = (userId: string, kind: Principal["kind"], roles: Principal["roles"], permissions: Principal["permissions"]): Principal => ({
    userId,
    kind,
    roles,
    permissions,
    merchantId: null,
    supplierId: null,
    sessionId: "",
  });
  const consumer = await signInConsumer(ctx);
  const promoter = await signInConsumer(ctx);
  await setPromoter(ctx.deps.db, promoter.userId, true);
  const callers: Caller[] = [
    { name: "anonymous" },
    { name: "consumer", token: consumer.token, principal: fake(consumer.userId, "consumer", ["consumer"], []) },
    { name: "promoter", token: promoter.token, principal: fake(promoter.userId, "consumer", ["consumer", "promoter"], []) },
  ];
  const staff: Array<[string, "operator" | "merchant" | "supplier", Principal["permissions"]]> = [
    ["merchant", "merchant", []],
    ["supplier", "supplier", []],
    ["operator:admin", "operator", ["admin"]],
    ["operator:finance", "operator", ["finance", "orders", "audit"]],
    ["operator:support", "operator", ["orders", "aftersales", "users"]],
  ];
  for (const [name, kind, permissions] of staff) {
    const s = await signInStaff(ctx, kind, { permissions });
    callers.push({ name, token: s.token, principal: fake(s.userId, kind, [kind], permissions) });
  }
  return callers;
}
