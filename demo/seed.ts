import type { Deps } from "../src/deps.js";
import { createUser } from "../src/modules/identity/identity.service.js";

export interface DemoAccount {
  role: string;
  login: string;
  password: string;
  note: string;
}

/** Loads the demo store into an empty database; returns the demo accounts to print. */
export async function seedDemoStore(deps: Deps): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [
    { role: "operator/admin", login: "admin", password: "liebian-admin", note: "all permissions" },
  ];
  const existing = await deps.db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirst();
  if (existing) return accounts;
  await deps.db.transaction().execute(async (trx) => {
    await createUser(deps, trx, { kind: "operator", username: "admin", password: "liebian-admin", displayName: "平台管理员", permissions: ["admin"] });
  });
  return accounts;
}
