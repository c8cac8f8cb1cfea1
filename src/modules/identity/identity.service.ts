import crypto from "node:crypto";
import type { Deps } from "../../deps.js";
import { hashPassword, verifyPassword } from "../../platform/auth/passwords.js";
import { OPERATOR_PERMISSIONS, type Permission, type Principal, type Role } from "../../platform/auth/principal.js";
import { DAY, HOUR, MINUTE } from "../../platform/clock.js";
import { maskPhone, sha256 } from "../../platform/crypto.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, invalidField, tooManyRequests, unauthorized } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { publish } from "../../platform/events/outbox.js";
import type { IdentityTables } from "./identity.tables.js";

export const PHONE_PATTERN = "^1[3-9]\\d{9}$";
const CODE_TTL = 5 * MINUTE;
const CODE_MAX_ATTEMPTS = 5;
const CONSUMER_SESSION = 30 * DAY;
const STAFF_SESSION = 12 * HOUR;

/** Send limits: one code a minute and ten a day per phone, thirty an hour per IP. */
export const SMS_LIMITS = { perPhoneMinute: 1, perPhoneDay: 10, perIpHour: 30 };

/**
 * New consumer accounts per device a day and per IP an hour: a family sharing a phone or an office
 * behind one address passes, an account farm does not.
 */
export const REGISTRATION_LIMITS = { perDeviceDay: 5, perIpHour: 20 };

type UserRow = IdentityTables["users"];

export interface PublicUser {
  id: string;
  kind: UserRow["kind"];
  displayName: string;
  username: string | null;
  /** Masked (138****1234) unless shown to its owner. */
  phone: string | null;
  roles: Role[];
  permissions: string[];
  merchantId: string | null;
  supplierId: string | null;
  createdAt: Date;
}

export function rolesOf(u: Pick<UserRow, "kind" | "is_promoter">): Role[] {
  if (u.kind === "consumer") return u.is_promoter ? ["consumer", "promoter"] : ["consumer"];
  return [u.kind];
}

export function toPublicUser(deps: Deps, u: UserRow, viewerIsOwner: boolean): PublicUser {
  const phone = u.phone_enc ? deps.cipher.decrypt(u.phone_enc) : null;
  return {
    id: u.id,
    kind: u.kind,
    displayName: u.display_name,
    username: u.username,
    phone: phone && (viewerIsOwner ? phone : maskPhone(phone)),
    roles: rolesOf(u),
    permissions: u.permissions,
    merchantId: u.merchant_id,
    supplierId: u.supplier_id,
    createdAt: u.created_at,
  };
}

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findConsumerByPhone(deps: Deps, db: Db, phone: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("kind", "=", "consumer").where("phone_hash", "=", deps.cipher.hash(phone)).executeTakeFirst();
}

function codeHash(phoneHash: string, code: string): string {
  return sha256(`${phoneHash}:${code}`);
}

/** Issues a one-time login code, within the per-phone and per-IP send limits. */
export async function sendLoginCode(deps: Deps, phone: string, ip: string): Promise<{ expiresInSeconds: number; code: string }> {
  const phoneHash = deps.cipher.hash(phone);
  const checks: Array<[string, number, number]> = [
    [`sms:phone:min:${phoneHash}`, MINUTE, SMS_LIMITS.perPhoneMinute],
    [`sms:phone:day:${phoneHash}`, DAY, SMS_LIMITS.perPhoneDay],
    [`sms:ip:hour:${ip}`, HOUR, SMS_LIMITS.perIpHour],
  ];
  const now = deps.clock.now();
  for (const [key, window, limit] of checks) {
    if ((await deps.kv.hit(key, window, now)) > limit) {
      throw tooManyRequests("too many codes requested; try again later", Math.ceil(window / 1000));
    }
  }
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  await deps.db
    .insertInto("sms_codes")
    .values({ id: newId("otp"), phone_hash: phoneHash, code_hash: codeHash(phoneHash, code), purpose: "login", attempts: 0, created_at: now, expires_at: new Date(now.getTime() + CODE_TTL), consumed_at: null })
    .execute();
  await deps.adapters.sms.sendCode(phone, code, "login");
  return { expiresInSeconds: CODE_TTL / 1000, code };
}

/**
 * Checks a code against the newest unexpired one for the phone. Each wrong try counts; after five the
 * code is dead. A right code is consumed, so it works once. Returns the refusal rather than throwing it,
 * so the counted attempt commits.
 */
async function consumeCode(deps: Deps, trx: Db, phone: string, code: string): Promise<AppError | null> {
  const phoneHash = deps.cipher.hash(phone);
  const now = deps.clock.now();
  const row = await trx
    .selectFrom("sms_codes")
    .selectAll()
    .where("phone_hash", "=", phoneHash)
    .where("consumed_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  if (!row || row.attempts >= CODE_MAX_ATTEMPTS) return new AppError(400, "code_expired", "the code has expired; request a new one", [{ field: "code", message: "expired" }]);
  const ok = crypto.timingSafeEqual(Buffer.from(row.code_hash), Buffer.from(codeHash(phoneHash, code)));
  if (!ok) {
    await trx.updateTable("sms_codes").set({ attempts: row.attempts + 1 }).where("id", "=", row.id).execute();
    return new AppError(400, "code_invalid", "the code is wrong", [{ field: "code", message: "wrong code" }]);
  }
  await trx.updateTable("sms_codes").set({ consumed_at: now }).where("id", "=", row.id).execute();
  return null;
}

/** Opens a session for a user who has just proven who they are. */
export async function createSession(deps: Deps, trx: Db, user: UserRow): Promise<{ token: string; expiresAt: Date }> {
  const token = `lbt_${crypto.randomBytes(32).toString("base64url")}`;
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + (user.kind === "consumer" ? CONSUMER_SESSION : STAFF_SESSION));
  await trx.insertInto("sessions").values({ id: newId("ses"), token_hash: sha256(token), user_id: user.id, created_at: now, expires_at: expiresAt, revoked_at: null }).execute();
  return { token, expiresAt };
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: PublicUser;
  created: boolean;
}

/**
 * Where a new consumer came from, as the client knows it: the invite code or share token in the link
 * they opened, and their device. Carried on `user.registered` for referral and attribution.
 */
export interface SignupSource {
  inviteCode?: string;
  shareToken?: string;
  deviceId?: string;
  ip?: string;
}

/**
 * Counts one more new account against the device and the IP it comes from; past either limit the
 * sign-up is refused with 429 and Retry-After (the end of the counting window).
 */
async function admitRegistration(deps: Deps, source: SignupSource): Promise<void> {
  const now = deps.clock.now();
  const checks: Array<[string | undefined, string, number, number]> = [
    [source.deviceId, "device:day", DAY, REGISTRATION_LIMITS.perDeviceDay],
    [source.ip, "ip:hour", HOUR, REGISTRATION_LIMITS.perIpHour],
  ];
  for (const [id, scope, window, limit] of checks) {
    if (id && (await deps.kv.hit(`register:${scope}:${id}`, window, now)) > limit) {
      throw tooManyRequests("too many new accounts from this device or network; try again later", Math.ceil((window - (now.getTime() % window)) / 1000));
    }
  }
}

/**
 * Consumer sign-in by phone code; the first sign-in registers the account, within the registration
 * limits (the code is spent either way: a refused newcomer asks for a new one later).
 */
export async function loginWithCode(deps: Deps, phone: string, code: string, displayName?: string, source: SignupSource = {}): Promise<LoginResult> {
  // The code check commits on its own, so a wrong code still counts as an attempt.
  const refused = await deps.db.transaction().execute((trx) => consumeCode(deps, trx, phone, code));
  if (refused) throw refused;
  return deps.db.transaction().execute(async (trx) => {
    let user = await findConsumerByPhone(deps, trx, phone);
    let created = false;
    if (!user) {
      await admitRegistration(deps, source);
      user = await createUser(deps, trx, { kind: "consumer", phone, displayName: displayName ?? `用户${phone.slice(-4)}` });
      created = true;
      await publish(trx, "user.registered", user.id, { userId: user.id, phoneHash: user.phone_hash, ...source }, deps.clock.now());
    }
    if (user.status !== "active") throw unauthorized("this account is disabled");
    const session = await createSession(deps, trx, user);
    return { ...session, user: toPublicUser(deps, user, true), created };
  });
}

/** Password sign-in: staff by username, consumers by phone (if they set a password). */
export async function loginWithPassword(deps: Deps, login: { username?: string; phone?: string }, password: string): Promise<LoginResult> {
  const user = login.username
    ? await deps.db.selectFrom("users").selectAll().where("username", "=", login.username).executeTakeFirst()
    : login.phone
      ? await findConsumerByPhone(deps, deps.db, login.phone)
      : undefined;
  // Hash anyway when the user is unknown, so response time does not reveal which accounts exist.
  const ok = user?.password_hash ? await verifyPassword(password, user.password_hash) : (await hashPassword(password), false);
  if (!user || !ok || user.status !== "active") throw new AppError(401, "invalid_credentials", "wrong account or password");
  return deps.db.transaction().execute(async (trx) => ({ ...(await createSession(deps, trx, user)), user: toPublicUser(deps, user, true), created: false }));
}

export async function logout(deps: Deps, sessionId: string): Promise<void> {
  await deps.db.updateTable("sessions").set({ revoked_at: deps.clock.now() }).where("id", "=", sessionId).execute();
}

/** Bearer token → principal, or undefined for a missing, expired or revoked session. */
export async function resolvePrincipal(deps: Deps, token: string): Promise<Principal | undefined> {
  const row = await deps.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id as session_id", "sessions.expires_at", "sessions.revoked_at", "users.id", "users.kind", "users.is_promoter", "users.permissions", "users.merchant_id", "users.supplier_id", "users.status"])
    .where("sessions.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= deps.clock.now() || row.status !== "active") return undefined;
  return {
    userId: row.id,
    kind: row.kind,
    roles: rolesOf(row),
    permissions: row.permissions.filter((p): p is Permission => (OPERATOR_PERMISSIONS as readonly string[]).includes(p)),
    merchantId: row.merchant_id,
    supplierId: row.supplier_id,
    sessionId: row.session_id,
  };
}

export interface NewUser {
  kind: UserRow["kind"];
  displayName: string;
  username?: string;
  phone?: string;
  password?: string;
  merchantId?: string;
  supplierId?: string;
  permissions?: Permission[];
  isPromoter?: boolean;
}

export async function createUser(deps: Deps, trx: Db, input: NewUser): Promise<UserRow> {
  if (input.kind === "merchant" && !input.merchantId) throw invalidField("merchantId", "merchant staff belong to a merchant");
  if (input.kind === "supplier" && !input.supplierId) throw invalidField("supplierId", "supplier accounts belong to a supplier");
  if (input.username) {
    const taken = await trx.selectFrom("users").select("id").where("username", "=", input.username).executeTakeFirst();
    if (taken) throw new AppError(409, "username_taken", "this username is taken", [{ field: "username", message: "taken" }]);
  }
  const row: UserRow = {
    id: newId("usr"),
    kind: input.kind,
    username: input.username ?? null,
    phone_enc: input.phone ? deps.cipher.encrypt(input.phone) : null,
    phone_hash: input.phone ? deps.cipher.hash(input.phone) : null,
    password_hash: input.password ? await hashPassword(input.password) : null,
    display_name: input.displayName,
    merchant_id: input.merchantId ?? null,
    supplier_id: input.supplierId ?? null,
    permissions: input.permissions ?? [],
    is_promoter: input.isPromoter ?? false,
    status: "active",
    created_at: deps.clock.now(),
  };
  await trx.insertInto("users").values(row).execute();
  return row;
}

export async function setPassword(deps: Deps, userId: string, password: string, current?: string): Promise<void> {
  const user = await findUser(deps.db, userId);
  if (!user) throw unauthorized();
  if (user.password_hash && !(current && (await verifyPassword(current, user.password_hash)))) {
    throw new AppError(400, "invalid_credentials", "the current password is wrong", [{ field: "currentPassword", message: "wrong password" }]);
  }
  await deps.db.updateTable("users").set({ password_hash: await hashPassword(password) }).where("id", "=", userId).execute();
}

/** Marks a consumer as a promoter (分销员); the distribution module decides when. */
export async function setPromoter(trx: Db, userId: string, isPromoter: boolean): Promise<void> {
  await trx.updateTable("users").set({ is_promoter: isPromoter }).where("id", "=", userId).where("kind", "=", "consumer").execute();
}

/** Display names for a set of users (for lists that show who did what). */
export async function displayNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
