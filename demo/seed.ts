import type { Deps } from "../src/deps.js";
import { saveAddress } from "../src/modules/identity/addresses.service.js";
import { createUser } from "../src/modules/identity/identity.service.js";
import { seedDemoCatalog } from "./catalog.js";

export interface DemoAccount {
  role: string;
  login: string;
  password: string;
  note: string;
}

/** One account per role; the consumers also sign in by phone code (the code is in the server log). */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { role: "operator/admin", login: "admin", password: "liebian-admin", note: "all permissions" },
  { role: "operator/finance", login: "finance", password: "liebian-finance", note: "payments, refunds, audit log" },
  { role: "operator/support", login: "support", password: "liebian-support", note: "orders, after-sales, users" },
  { role: "merchant staff", login: "fruit-shop", password: "liebian-merchant", note: "鲜果时光旗舰店 only" },
  { role: "supplier", login: "supplier", password: "liebian-supplier", note: "supplier portal (later waves)" },
  { role: "consumer", login: "13800000001", password: "liebian-buyer", note: "or phone code; has an address" },
  { role: "promoter", login: "13800000002", password: "liebian-promoter", note: "a consumer who is also a promoter" },
];

/**
 * Loads the demo store into an empty database and returns the demo accounts to print. A database that
 * already has the admin account is left alone.
 */
export async function seedDemoStore(deps: Deps): Promise<DemoAccount[]> {
  const existing = await deps.db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirst();
  if (existing) return DEMO_ACCOUNTS;
  const pw = (login: string) => DEMO_ACCOUNTS.find((a) => a.login === login)!.password;
  const buyerId = await deps.db.transaction().execute(async (trx) => {
    const merchants = await seedDemoCatalog(deps, trx);
    await createUser(deps, trx, { kind: "operator", username: "admin", password: pw("admin"), displayName: "平台管理员", permissions: ["admin"] });
    await createUser(deps, trx, { kind: "operator", username: "finance", password: pw("finance"), displayName: "财务 王会计", permissions: ["finance", "orders", "audit"] });
    await createUser(deps, trx, { kind: "operator", username: "support", password: pw("support"), displayName: "客服 小美", permissions: ["orders", "aftersales", "users"] });
    await createUser(deps, trx, { kind: "merchant", username: "fruit-shop", password: pw("fruit-shop"), displayName: "鲜果时光 店长", merchantId: merchants.fruit });
    await createUser(deps, trx, { kind: "supplier", username: "supplier", password: pw("supplier"), displayName: "嘉兴优品供应链", supplierId: "sup_01JDEMO0000000000000000000" });
    await createUser(deps, trx, { kind: "consumer", phone: "13800000002", password: pw("13800000002"), displayName: "推广达人阿杰", isPromoter: true });
    return (await createUser(deps, trx, { kind: "consumer", phone: "13800000001", password: pw("13800000001"), displayName: "小红" })).id;
  });
  await saveAddress(deps, buyerId, { recipient: "李小红", phone: "13800000001", province: "浙江省", city: "杭州市", district: "西湖区", detail: "文三路 90 号 3 幢 501", postalCode: "310012", isDefault: true });
  return DEMO_ACCOUNTS;
}
