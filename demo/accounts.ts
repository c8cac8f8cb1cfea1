import type { Deps } from "../src/deps.js";
import { saveAddress } from "../src/modules/identity/addresses.service.js";
import { createUser, loginWithCode, sendLoginCode, setPassword } from "../src/modules/identity/identity.service.js";
import { applyAsPromoter, reviewPromoter } from "../src/modules/distribution/promoters.service.js";
import type { Actor } from "../src/platform/auth/principal.js";
import type { DemoCatalog } from "./catalog.js";
import type { Crowd, Stranger } from "./crowd.js";
import type { Staff } from "./town.js";

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
  { role: "consumer", login: "13800000001", password: "liebian-buyer", note: "or phone code; has an address, orders and an invited friend" },
  { role: "promoter", login: "13800000002", password: "liebian-promoter", note: "an approved promoter with customers and commission" },
];

const passwordOf = (login: string) => DEMO_ACCOUNTS.find((a) => a.login === login)!.password;
const staffActor = (userId: string, kind: "operator" | "merchant", merchantId: string | null = null): Actor => ({ userId, kind, merchantId, requestId: null });

/**
 * The staff accounts but the admin (created last: its presence says the demo store is complete). Each
 * is its own write, so their password hashes (scrypt, deliberately slow) are computed side by side.
 */
export async function createStaff(deps: Deps, catalog: DemoCatalog): Promise<Staff> {
  const [finance, support, fruit] = await Promise.all([
    createUser(deps, deps.db, { kind: "operator", username: "finance", password: passwordOf("finance"), displayName: "财务 王会计", permissions: ["finance", "orders", "audit"] }),
    createUser(deps, deps.db, { kind: "operator", username: "support", password: passwordOf("support"), displayName: "客服 小美", permissions: ["orders", "aftersales", "users"] }),
    createUser(deps, deps.db, { kind: "merchant", username: "fruit-shop", password: passwordOf("fruit-shop"), displayName: "鲜果时光 店长", merchantId: catalog.merchants.fruit }),
    createUser(deps, deps.db, { kind: "supplier", username: "supplier", password: passwordOf("supplier"), displayName: "嘉兴优品供应链", supplierId: "sup_01JDEMO0000000000000000000" }),
  ]);
  const supportActor = staffActor(support.id, "operator");
  const fruitStaff = { actor: staffActor(fruit.id, "merchant", catalog.merchants.fruit), viewer: { kind: "merchant" as const, merchantId: catalog.merchants.fruit } };
  const platformStaff = { actor: supportActor, viewer: { kind: "operator" as const } };
  return {
    support: supportActor,
    finance: staffActor(finance.id, "operator"),
    // 鲜果时光 ships its own parcels; the platform's customer support ships for the other stores.
    shipper: (merchantId) => (merchantId === catalog.merchants.fruit ? fruitStaff : platformStaff),
  };
}

export async function createAdmin(deps: Deps): Promise<void> {
  await createUser(deps, deps.db, { kind: "operator", username: "admin", password: passwordOf("admin"), displayName: "平台管理员", permissions: ["admin"] });
}

/** Whether the demo store is already loaded (its admin exists), or half loaded by an interrupted start. */
export async function demoState(deps: Deps): Promise<"loaded" | "partial" | "absent"> {
  const staff = await deps.db.selectFrom("users").select("username").where("username", "in", ["admin", "finance"]).execute();
  if (staff.some((u) => u.username === "admin")) return "loaded";
  return staff.length > 0 ? "partial" : "absent";
}

/** A demo consumer: signed up like anyone else, and given the password the README prints. */
export interface DemoConsumer extends Stranger {
  userId: string;
  addressId: string | null;
}

/**
 * 小红 (13800000001), a shopper with an address, and 阿杰 (13800000002), an approved promoter. Both
 * sign up by phone code, so they have everything a real sign-up brings, then set their passwords.
 */
export async function signUpDemoConsumers(deps: Deps, crowd: Crowd, support: Actor): Promise<{ buyer: DemoConsumer; promoter: DemoConsumer }> {
  const signUp = async (phone: string, displayName: string, recipient: string, address: Omit<Stranger["address"], "recipient" | "phone">): Promise<DemoConsumer> => {
    const stranger = crowd.stranger(displayName);
    const person = { ...stranger, phone, recipient, address: { ...address, recipient, phone } };
    const { code } = await sendLoginCode(deps, phone, person.ip);
    const login = await loginWithCode(deps, phone, code, displayName, { deviceId: person.deviceId, ip: person.ip });
    return { ...person, userId: login.user.id, addressId: null };
  };
  const buyer = await signUp("13800000001", "小红", "李小红", { province: "浙江省", city: "杭州市", district: "西湖区", detail: "文三路 90 号 3 幢 501", postalCode: "310012", isDefault: true });
  const promoter = await signUp("13800000002", "推广达人阿杰", "陈杰", { province: "浙江省", city: "杭州市", district: "滨江区", detail: "江南大道 3850 号 创新大厦 1208", isDefault: true });
  await Promise.all([setPassword(deps, buyer.userId, passwordOf("13800000001")), setPassword(deps, promoter.userId, passwordOf("13800000002"))]);
  buyer.addressId = (await saveAddress(deps, buyer.userId, buyer.address)).id;
  const applied = await applyAsPromoter(deps, promoter.userId);
  if (applied.status === "pending") await reviewPromoter(deps, support, promoter.userId, "approve", "老用户，推广经验丰富");
  return { buyer, promoter };
}
