import crypto from "node:crypto";
import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import { HOUR } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { displayNames } from "../identity/identity.service.js";
import { attributionSettings } from "./sharing.settings.js";
import type { SharingTables } from "./sharing.tables.js";

/** What can be shared, and the store page each one opens. */
export const TARGET_PAGES = { product: "products", campaign: "campaigns", coupon: "coupons", poster: "posters", team: "teams", bargain: "bargains", store: "stores" } as const;
export type TargetType = keyof typeof TARGET_PAGES;
export const CHANNELS = ["wechat_friend", "wechat_moments", "qq", "qzone", "weibo", "douyin", "xiaohongshu", "sms", "link", "poster"] as const;
export type Channel = (typeof CHANNELS)[number];

/** The share a registration or an order is credited to. */
export interface Attribution {
  shareId: string;
  sharerId: string;
  channel: string;
  campaignId: string | null;
  targetType: string;
  targetId: string;
}

export interface Share extends Attribution {
  token: string;
  createdAt: Date;
}

type ShareRow = SharingTables["shares"];
type AttributionRow = SharingTables["share_attributions"];

export const shareUrl = (deps: Pick<Deps, "config">, token: string) => `${deps.config.publicUrl}/s/${token}`;

export function toAttribution(r: Pick<ShareRow, "sharer_id" | "channel" | "campaign_id" | "target_type" | "target_id"> & { share_id?: string; id?: string }): Attribution {
  return { shareId: r.share_id ?? r.id!, sharerId: r.sharer_id, channel: r.channel, campaignId: r.campaign_id, targetType: r.target_type, targetId: r.target_id };
}

const toShare = (r: ShareRow): Share => ({ ...toAttribution(r), token: r.token, createdAt: r.created_at });

export interface NewShare {
  sharerId: string;
  targetType: TargetType;
  targetId: string;
  channel: Channel;
  campaignId?: string | null;
}

async function insertShare(trx: Db, s: NewShare, now: Date): Promise<ShareRow | undefined> {
  const row: ShareRow = {
    id: newId("shr"),
    token: crypto.randomBytes(9).toString("base64url"),
    sharer_id: s.sharerId,
    target_type: s.targetType,
    target_id: s.targetId,
    channel: s.channel,
    campaign_id: s.campaignId ?? null,
    created_at: now,
  };
  const inserted = await trx.insertInto("shares").values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
  await publish(trx, "share.created", row.id, { ...toAttribution(row) }, now);
  return row;
}

/** A new share: each act of sharing gets its own token, so reports count shares as people make them. */
export async function createShare(deps: Deps, s: NewShare): Promise<Share> {
  return deps.db.transaction().execute(async (trx) => toShare((await insertShare(trx, s, deps.clock.now()))!));
}

/** The one share a sharer's posters of a target carry (created on first use). */
export async function posterShare(deps: Deps, sharerId: string, targetType: TargetType, targetId: string): Promise<Share> {
  const find = () =>
    deps.db.selectFrom("shares").selectAll().where("sharer_id", "=", sharerId).where("target_type", "=", targetType).where("target_id", "=", targetId).where("channel", "=", "poster").where("campaign_id", "is", null).executeTakeFirst();
  const existing = await find();
  if (existing) return toShare(existing);
  const created = await deps.db.transaction().execute((trx) => insertShare(trx, { sharerId, targetType, targetId, channel: "poster" }, deps.clock.now()));
  return toShare(created ?? (await find())!);
}

export async function shareByToken(db: Db, token: string): Promise<Share | null> {
  const row = await db.selectFrom("shares").selectAll().where("token", "=", token).executeTakeFirst();
  return row ? toShare(row) : null;
}

/** What a shared link's landing page tells the friend who opened it: who shared what. */
export interface ShareIntro {
  token: string;
  sharerName: string;
  targetType: string;
  targetId: string;
  campaignId: string | null;
  channel: string;
}

export async function shareIntro(db: Db, token: string): Promise<ShareIntro | null> {
  const share = await shareByToken(db, token);
  if (!share) return null;
  const names = await displayNames(db, [share.sharerId]);
  return { token, sharerName: names.get(share.sharerId) ?? "", targetType: share.targetType, targetId: share.targetId, campaignId: share.campaignId, channel: share.channel };
}

/**
 * The store page a share opens, carrying the token so the client can send it at sign-in. The store
 * routes in the URL's hash (`/#/products/<id>`), so the token travels inside the hash too.
 */
export const landingPath = (share: Pick<Share, "targetType" | "targetId">, token: string) =>
  `/#/${TARGET_PAGES[share.targetType as TargetType] ?? "s"}/${encodeURIComponent(share.targetId)}?share=${encodeURIComponent(token)}`;

/** The user a device belongs to, if it was ever linked. */
async function userOfDevice(db: Db, deviceId: string): Promise<string | null> {
  const row = await db.selectFrom("visitor_devices").select("user_id").where("device_id", "=", deviceId).executeTakeFirst();
  return row?.user_id ?? null;
}

/**
 * Links a device to a user (at registration or sign-in): its anonymous visits become the user's, and
 * later anonymous clicks from it count for them.
 */
export async function linkDevice(trx: Db, deviceId: string, userId: string, now: Date): Promise<void> {
  await trx
    .insertInto("visitor_devices")
    .values({ device_id: deviceId, user_id: userId, linked_at: now })
    .onConflict((oc) => oc.column("device_id").doUpdateSet({ user_id: userId, linked_at: now }))
    .execute();
  await trx.updateTable("share_visits").set({ user_id: userId, visitor_id: userId }).where("device_id", "=", deviceId).where("user_id", "is", null).execute();
}

export interface VisitOutcome {
  share: Share;
  /** The visit the click counted for; null for the sharer's own click and for a click past the limits. */
  visitId: string | null;
  /** False when the click fell within an existing visit's dedupe window. */
  newVisit: boolean;
}

/**
 * Clicks one device or one IP may make in an hour before they stop counting: someone opening links
 * friends forwarded passes, a script replaying a link does not. Sign-ups still credit the share token
 * they carry, so a busy shared address loses visit counts, not registrations.
 */
export const CLICK_LIMITS = { perDeviceHour: 30, perIpHour: 300 };

/** Counts a click against its device and IP; false once either is past its hourly limit. */
async function clickAllowed(deps: Deps, input: { deviceId: string | null; ip: string | null }, now: Date): Promise<boolean> {
  const checks: Array<[string | null, string, number]> = [
    [input.deviceId, "device", CLICK_LIMITS.perDeviceHour],
    [input.ip, "ip", CLICK_LIMITS.perIpHour],
  ];
  let allowed = true;
  for (const [id, scope, limit] of checks) {
    if (id && (await deps.kv.hit(`share:click:${scope}:${id}`, HOUR, now)) > limit) allowed = false;
  }
  return allowed;
}

/**
 * A click on a share link. One visitor's clicks on one share within the dedupe window are one visit
 * (an advisory lock per share and visitor keeps concurrent clicks from opening two); the latest click
 * time is the attribution touch. The sharer's own clicks record nothing, and neither do clicks past
 * the device or IP limits (logged): no visit, no device link, so nothing to attribute.
 */
export async function recordVisit(deps: Deps, input: { token: string; userId: string | null; deviceId: string | null; ip: string | null }): Promise<VisitOutcome | null> {
  const share = await shareByToken(deps.db, input.token);
  if (!share) return null;
  const now = deps.clock.now();
  if (!(await clickAllowed(deps, input, now))) {
    deps.log.warn({ shareId: share.shareId, deviceId: input.deviceId, ip: input.ip }, "share click past the velocity limit: not counted");
    return { share, visitId: null, newVisit: false };
  }
  return deps.db.transaction().execute(async (trx) => {
    if (input.userId && input.deviceId) await linkDevice(trx, input.deviceId, input.userId, now);
    const userId = input.userId ?? (input.deviceId ? await userOfDevice(trx, input.deviceId) : null);
    if (userId === share.sharerId || (!userId && !input.deviceId)) return { share, visitId: null, newVisit: false };
    const visitorId = userId ?? `dev:${input.deviceId}`;
    await sql`select pg_advisory_xact_lock(hashtext(${`${share.shareId}|${visitorId}`}))`.execute(trx);
    const { visitDedupeHours } = await attributionSettings(trx);
    const open = await trx
      .selectFrom("share_visits")
      .select("id")
      .where("share_id", "=", share.shareId)
      .where("visitor_id", "=", visitorId)
      .where("first_at", ">", new Date(now.getTime() - visitDedupeHours * HOUR))
      .orderBy("first_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (open) {
      await trx.updateTable("share_visits").set((eb) => ({ last_at: now, clicks: eb("clicks", "+", 1) })).where("id", "=", open.id).execute();
      return { share, visitId: open.id, newVisit: false };
    }
    const id = newId("svt");
    await trx
      .insertInto("share_visits")
      .values({ id, share_id: share.shareId, sharer_id: share.sharerId, channel: share.channel, campaign_id: share.campaignId, visitor_id: visitorId, user_id: userId, device_id: input.deviceId, ip: input.ip, first_at: now, last_at: now, clicks: 1 })
      .execute();
    await publish(trx, "share.visited", share.shareId, { shareId: share.shareId, sharerId: share.sharerId, visitorId, ...(userId ? { userId } : {}) }, now);
    return { share, visitId: id, newVisit: true };
  });
}

async function attributionOf(db: Db, subjectType: AttributionRow["subject_type"], subjectId: string): Promise<Attribution | null> {
  const row = await db.selectFrom("share_attributions").selectAll().where("subject_type", "=", subjectType).where("subject_id", "=", subjectId).executeTakeFirst();
  return row ? toAttribution(row) : null;
}

/** The share an order is credited to, or null. */
export async function orderAttribution(db: Db, orderId: string): Promise<Attribution | null> {
  return attributionOf(db, "order", orderId);
}

/** The share a user's registration is credited to, or null. */
export async function registrationAttribution(db: Db, userId: string): Promise<Attribution | null> {
  return attributionOf(db, "registration", userId);
}
