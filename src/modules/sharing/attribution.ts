import { DAY } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { type Attribution, linkDevice, shareByToken, toAttribution } from "./sharing.service.js";
import { attributionSettings } from "./sharing.settings.js";
import type { AttributionRule, OrderStatusSeen } from "./sharing.tables.js";

/** A moment a user was in contact with a share: a visit (first and latest click), or a token at sign-up. */
interface Touch {
  shareId: string;
  visitId: string | null;
  firstAt: Date;
  lastAt: Date;
}

/**
 * The touches that may claim something the user did at `at`: their visits with a click inside the
 * window (sharers' own shares never count), plus the share their registration was credited to when
 * that fell inside the window.
 */
async function touchesOf(trx: Db, userId: string, at: Date, windowDays: number): Promise<Touch[]> {
  const from = new Date(at.getTime() - windowDays * DAY);
  const visits = await trx
    .selectFrom("share_visits")
    .select(["id", "share_id", "first_at", "last_at"])
    .where("user_id", "=", userId)
    .where("sharer_id", "!=", userId)
    .where("first_at", "<=", at)
    .where("last_at", ">=", from)
    .execute();
  const touches: Touch[] = visits.map((v) => ({ shareId: v.share_id, visitId: v.id, firstAt: v.first_at, lastAt: v.last_at }));
  const registration = await trx
    .selectFrom("share_attributions")
    .select(["share_id", "visit_id", "touched_at"])
    .where("subject_type", "=", "registration")
    .where("subject_id", "=", userId)
    .executeTakeFirst();
  if (registration && !registration.visit_id && registration.touched_at >= from && registration.touched_at <= at) {
    touches.push({ shareId: registration.share_id, visitId: null, firstAt: registration.touched_at, lastAt: registration.touched_at });
  }
  return touches;
}

/** Last touch: the latest click wins. First touch: the visit opened earliest within the window wins. */
export function pickTouch(touches: Touch[], rule: AttributionRule): Touch | undefined {
  const sorted = [...touches].sort((a, b) =>
    rule === "last_touch" ? b.lastAt.getTime() - a.lastAt.getTime() || (b.visitId ?? "").localeCompare(a.visitId ?? "") : a.firstAt.getTime() - b.firstAt.getTime() || (a.visitId ?? "").localeCompare(b.visitId ?? ""),
  );
  return sorted[0];
}

async function record(
  trx: Db,
  subject: { type: "registration" | "order"; id: string; userId: string; payable: number; status: OrderStatusSeen | null },
  touch: Touch,
  rule: AttributionRule,
  at: Date,
): Promise<Attribution | null> {
  const share = await trx.selectFrom("shares").selectAll().where("id", "=", touch.shareId).executeTakeFirstOrThrow();
  const inserted = await trx
    .insertInto("share_attributions")
    .values({
      id: newId("atr"),
      subject_type: subject.type,
      subject_id: subject.id,
      user_id: subject.userId,
      share_id: share.id,
      sharer_id: share.sharer_id,
      channel: share.channel,
      campaign_id: share.campaign_id,
      target_type: share.target_type,
      target_id: share.target_id,
      visit_id: touch.visitId,
      rule,
      touched_at: rule === "last_touch" ? touch.lastAt : touch.firstAt,
      payable: subject.payable,
      order_status: subject.status,
      paid_at: null,
      refunded_amount: 0,
      at,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0 ? null : toAttribution(share);
}

/**
 * Credits a new user's registration to a share: the token they signed up with (a touch at sign-up
 * time) or their device's visits. The device is linked to the user first, so its anonymous visits
 * are theirs from now on. Publishes `user.attributed`.
 */
export async function attributeRegistration(trx: Db, reg: { userId: string; shareToken?: string; deviceId?: string }, at: Date): Promise<Attribution | null> {
  if (reg.deviceId) await linkDevice(trx, reg.deviceId, reg.userId, at);
  const settings = await attributionSettings(trx);
  const touches = await touchesOf(trx, reg.userId, at, settings.windowDays);
  const share = reg.shareToken ? await shareByToken(trx, reg.shareToken) : null;
  if (share && share.sharerId !== reg.userId) {
    const visit = touches.find((t) => t.shareId === share.shareId);
    touches.push({ shareId: share.shareId, visitId: visit?.visitId ?? null, firstAt: visit?.firstAt ?? at, lastAt: at });
  }
  const touch = pickTouch(touches, settings.rule);
  if (!touch) return null;
  const attribution = await record(trx, { type: "registration", id: reg.userId, userId: reg.userId, payable: 0, status: null }, touch, settings.rule, at);
  if (attribution) await publish(trx, "user.attributed", reg.userId, { userId: reg.userId, ...attribution }, at);
  return attribution;
}

/** Credits a placed order to the buyer's winning touch within the window. Publishes `order.attributed`. */
export async function attributeOrder(trx: Db, order: { orderId: string; userId: string; payable: number }, at: Date): Promise<Attribution | null> {
  const settings = await attributionSettings(trx);
  const touch = pickTouch(await touchesOf(trx, order.userId, at, settings.windowDays), settings.rule);
  if (!touch) return null;
  const attribution = await record(trx, { type: "order", id: order.orderId, userId: order.userId, payable: order.payable, status: "placed" }, touch, settings.rule, at);
  if (attribution) await publish(trx, "order.attributed", order.orderId, { orderId: order.orderId, userId: order.userId, payable: order.payable, ...attribution }, at);
  return attribution;
}

/** Follows an attributed order's life, so reports count paid GMV net of refunds. */
export async function trackOrder(trx: Db, orderId: string, change: { status: OrderStatusSeen; at: Date } | { refunded: number }): Promise<void> {
  const query = trx.updateTable("share_attributions").where("subject_type", "=", "order").where("subject_id", "=", orderId);
  if ("refunded" in change) {
    await query.set((eb) => ({ refunded_amount: eb("refunded_amount", "+", change.refunded) })).execute();
    return;
  }
  await query.set(change.status === "paid" ? { order_status: "paid", paid_at: change.at } : { order_status: change.status }).execute();
}
