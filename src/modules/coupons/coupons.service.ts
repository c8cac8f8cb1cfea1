import crypto from "node:crypto";
import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import { DAY } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound, unprocessable } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import type { CouponStatus } from "./coupons.tables.js";
import type { CouponTemplate } from "./coupon-templates.service.js";

type Refusal = "sold_out" | "limit_reached" | "unavailable";

/**
 * Issues one coupon of a template to a user, inside the caller's transaction. At most once per key:
 * the key is a unique column, so a replayed cause finds its coupon. The per-user limit and the stock
 * are conditional updates (the user's counter first, then the template's), so concurrent issues can
 * never pass either.
 */
async function issue(trx: Db, input: { templateId: string; userId: string; key?: string; reason: string }, now: Date): Promise<{ couponId: string } | { refused: Refusal }> {
  if (input.key) {
    const existing = await trx.selectFrom("coupons").select("id").where("issue_key", "=", input.key).executeTakeFirst();
    if (existing) return { couponId: existing.id };
  }
  const template = await trx.selectFrom("coupon_templates").selectAll().where("id", "=", input.templateId).executeTakeFirst();
  if (!template) throw notFound("coupon template");
  if (template.status !== "active" || (template.valid_until && template.valid_until <= now)) return { refused: "unavailable" };

  const counted = await sql<{ issued: number }>`
    insert into coupon_user_counts (template_id, user_id, issued) values (${template.id}, ${input.userId}, 1)
    on conflict (template_id, user_id) do update set issued = coupon_user_counts.issued + 1
    where ${template.per_user_limit}::int is null or coupon_user_counts.issued < ${template.per_user_limit}::int
    returning issued`.execute(trx);
  if (counted.rows.length === 0) return { refused: "limit_reached" };
  const taken = await trx
    .updateTable("coupon_templates")
    .set((eb) => ({ issued: eb("issued", "+", 1) }))
    .where("id", "=", template.id)
    .where((eb) => eb.or([eb("stock", "is", null), eb("issued", "<", eb.ref("stock"))]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0) {
    await trx.updateTable("coupon_user_counts").set((eb) => ({ issued: eb("issued", "-", 1) })).where("template_id", "=", template.id).where("user_id", "=", input.userId).execute();
    return { refused: "sold_out" };
  }
  const validFrom = template.valid_days ? now : (template.valid_from ?? now);
  const validUntil = template.valid_days ? new Date(now.getTime() + template.valid_days * DAY) : template.valid_until!;
  const id = newId("cpn");
  await trx
    .insertInto("coupons")
    .values({
      id,
      template_id: template.id,
      user_id: input.userId,
      status: template.fission_shares ? "locked" : "available",
      issue_key: input.key ?? `claim:${template.id}:${input.userId}:${counted.rows[0].issued}`,
      reason: input.reason,
      valid_from: validFrom,
      valid_until: validUntil,
      order_id: null,
      used_at: null,
      unlocked_at: null,
      created_at: now,
    })
    .execute();
  await publish(trx, "coupon.issued", id, { couponId: id, templateId: template.id, userId: input.userId, reason: input.reason }, now);
  return { couponId: id };
}

/** Issues one coupon from a template; null when the template's stock or the user's limit is used up. Idempotent per key. */
export async function issueCoupon(trx: Db, input: { templateId: string; userId: string; key: string; reason: string }, now: Date): Promise<{ couponId: string } | null> {
  const result = await issue(trx, input, now);
  return "couponId" in result ? result : null;
}

/** A consumer claims a coupon (领券). */
export async function claimCoupon(deps: Deps, userId: string, templateId: string): Promise<CouponView> {
  const now = deps.clock.now();
  const couponId = await deps.db.transaction().execute(async (trx) => {
    const claimable = await trx.selectFrom("coupon_templates").select("claimable").where("id", "=", templateId).executeTakeFirst();
    if (!claimable) throw notFound("coupon template");
    if (!claimable.claimable) throw unprocessable("coupon_not_claimable", "this coupon is only given out, not claimed");
    const result = await issue(trx, { templateId, userId, reason: "claim" }, now);
    if ("couponId" in result) return result.couponId;
    if (result.refused === "sold_out") throw conflict("coupon_sold_out", "this coupon has all been claimed");
    if (result.refused === "limit_reached") throw conflict("coupon_limit_reached", "you already hold as many of this coupon as one person may");
    throw unprocessable("coupon_unavailable", "this coupon can no longer be claimed");
  });
  return (await couponViews(deps.db, now, (q) => q.where("coupons.id", "=", couponId)))[0];
}

export type CouponState = "usable" | "locked" | "used" | "expired";

/** A coupon as its holder sees it: the template's terms it was issued under, and its own state. */
export interface CouponView
  extends Pick<CouponTemplate, "merchantId" | "name" | "kind" | "amount" | "percentOff" | "maxOff" | "threshold" | "scope" | "scopeIds" | "stackable"> {
  id: string;
  templateId: string;
  state: CouponState;
  validFrom: Date;
  validUntil: Date;
  orderId: string | null;
  usedAt: Date | null;
  /** For a fission coupon: how many distinct friends must open its link, and how many have. */
  fission: { required: number; opened: number } | null;
}

function stateOf(status: CouponStatus, validUntil: Date, now: Date): CouponState {
  if (status === "used") return "used";
  if (validUntil <= now) return "expired";
  return status === "locked" ? "locked" : "usable";
}

function couponQuery(db: Db) {
  return db
    .selectFrom("coupons")
    .innerJoin("coupon_templates as t", "t.id", "coupons.template_id")
    .select([
      "coupons.id",
      "coupons.template_id",
      "coupons.status",
      "coupons.valid_from",
      "coupons.valid_until",
      "coupons.order_id",
      "coupons.used_at",
      "t.merchant_id",
      "t.name",
      "t.kind",
      "t.amount",
      "t.percent_off",
      "t.max_off",
      "t.threshold",
      "t.scope",
      "t.scope_ids",
      "t.stackable",
      "t.fission_shares",
      (eb) => eb.selectFrom("coupon_fission_opens as o").select((e) => e.fn.countAll<string>().as("n")).whereRef("o.coupon_id", "=", "coupons.id").as("opened"),
    ]);
}

async function couponViews(db: Db, now: Date, where: (q: ReturnType<typeof couponQuery>) => ReturnType<typeof couponQuery>): Promise<CouponView[]> {
  const rows = await where(couponQuery(db)).execute();
  return rows.map((r) => ({
    id: r.id,
    templateId: r.template_id,
    merchantId: r.merchant_id,
    name: r.name,
    kind: r.kind,
    amount: r.amount,
    percentOff: r.percent_off,
    maxOff: r.max_off,
    threshold: r.threshold,
    scope: r.scope,
    scopeIds: r.scope_ids,
    stackable: r.stackable,
    state: stateOf(r.status, r.valid_until, now),
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    orderId: r.order_id,
    usedAt: r.used_at,
    fission: r.fission_shares ? { required: r.fission_shares, opened: Number(r.opened ?? 0) } : null,
  }));
}

/** My coupons in one state (我的优惠券: 可用 / 待解锁 / 已使用 / 已过期), newest first. */
export async function myCoupons(deps: Deps, userId: string, q: { state: CouponState; limit: number; after?: string }) {
  const now = deps.clock.now();
  const rows = await couponViews(deps.db, now, (query) => {
    let out = query.where("coupons.user_id", "=", userId).orderBy("coupons.id", "desc").limit(q.limit + 1);
    if (q.after) out = out.where("coupons.id", "<", q.after);
    if (q.state === "used") return out.where("coupons.status", "=", "used");
    if (q.state === "expired") return out.where("coupons.status", "<>", "used").where("coupons.valid_until", "<=", now);
    return out.where("coupons.status", "=", q.state === "locked" ? "locked" : "available").where("coupons.valid_until", ">", now);
  });
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** The coupons a checkout names, with their terms, for pricing. */
export async function couponsForCheckout(db: Db, couponIds: string[]) {
  if (couponIds.length === 0) return [];
  return couponQuery(db).select(["coupons.user_id"]).where("coupons.id", "in", couponIds).execute();
}

/**
 * Marks coupons used by an order, in the order's transaction. The update is conditional on the coupon
 * still being available to this user and valid, so one coupon cannot pay for two orders even when two
 * checkouts race: the second finds nothing to update and its whole checkout rolls back with a 409.
 */
export async function useCoupons(trx: Db, input: { orderId: string; userId: string; couponIds: string[] }, now: Date): Promise<void> {
  if (input.couponIds.length === 0) return;
  const used = await trx
    .updateTable("coupons")
    .set({ status: "used", order_id: input.orderId, used_at: now })
    .where("id", "in", input.couponIds)
    .where("user_id", "=", input.userId)
    .where("status", "=", "available")
    .where("valid_from", "<=", now)
    .where("valid_until", ">", now)
    .returning("id")
    .execute();
  if (used.length !== input.couponIds.length) {
    const gone = input.couponIds.filter((id) => !used.some((u) => u.id === id));
    throw conflict("coupon_already_used", "a coupon in this checkout has just been used", { couponIds: gone });
  }
}

/**
 * Gives an order's coupons back to their owner when the order is cancelled (templates with
 * return_on_cancel) or closed by a full refund (return_on_refund). A returned coupon keeps its validity:
 * past it, it shows as expired.
 */
export async function returnCoupons(trx: Db, orderId: string, why: "cancelled" | "closed", now: Date): Promise<string[]> {
  const flag = why === "cancelled" ? "return_on_cancel" : "return_on_refund";
  const returned = await trx
    .updateTable("coupons")
    .set({ status: "available", order_id: null, used_at: null })
    .where("order_id", "=", orderId)
    .where("status", "=", "used")
    .where("template_id", "in", (eb) => eb.selectFrom("coupon_templates").select("id").where(flag, "=", true))
    .returning(["id", "user_id"])
    .execute();
  for (const c of returned) await publish(trx, "coupon.returned", c.id, { couponId: c.id, userId: c.user_id, orderId, why }, now);
  return returned.map((c) => c.id);
}

/** A share link for my locked fission coupon (裂变券): once N distinct friends open it, it unlocks. */
export async function fissionLink(deps: Deps, userId: string, couponId: string): Promise<{ token: string; path: string; required: number; opened: number; unlocked: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const [coupon] = await couponViews(trx, now, (q) => q.where("coupons.id", "=", couponId).where("coupons.user_id", "=", userId));
    if (!coupon) throw notFound("coupon");
    if (!coupon.fission) throw unprocessable("not_a_fission_coupon", "this coupon does not unlock by sharing");
    await trx
      .insertInto("coupon_fission_links")
      .values({ token: crypto.randomBytes(12).toString("base64url"), coupon_id: couponId, created_at: now })
      .onConflict((oc) => oc.column("coupon_id").doNothing())
      .execute();
    const link = await trx.selectFrom("coupon_fission_links").select("token").where("coupon_id", "=", couponId).executeTakeFirstOrThrow();
    return { token: link.token, path: `/coupon-fission/${link.token}`, required: coupon.fission.required, opened: coupon.fission.opened, unlocked: coupon.state !== "locked" };
  });
}

export interface FissionOpen {
  couponId: string;
  templateId: string;
  name: string;
  required: number;
  opened: number;
  unlocked: boolean;
  /** Whether this open counted: the owner's own opens and a friend's repeats do not. */
  counted: boolean;
  /** The friend may claim the same coupon for themselves when its template allows. */
  claimable: boolean;
}

/**
 * A signed-in friend opens a fission link. Each distinct friend counts once (a unique row); the owner
 * never counts. The coupon row is locked while counting, so concurrent opens unlock it exactly when the
 * N-th distinct friend arrives.
 */
export async function openFissionLink(deps: Deps, userId: string, token: string): Promise<FissionOpen> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const link = await trx.selectFrom("coupon_fission_links").select("coupon_id").where("token", "=", token).executeTakeFirst();
    if (!link) throw notFound("coupon share link");
    const coupon = await trx.selectFrom("coupons").selectAll().where("id", "=", link.coupon_id).forUpdate().executeTakeFirstOrThrow();
    const template = await trx.selectFrom("coupon_templates").select(["name", "fission_shares", "claimable", "status"]).where("id", "=", coupon.template_id).executeTakeFirstOrThrow();
    let counted = false;
    if (coupon.user_id !== userId) {
      const inserted = await trx.insertInto("coupon_fission_opens").values({ coupon_id: coupon.id, user_id: userId, opened_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      counted = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const opened = Number((await trx.selectFrom("coupon_fission_opens").select((eb) => eb.fn.countAll<string>().as("n")).where("coupon_id", "=", coupon.id).executeTakeFirstOrThrow()).n);
    const required = template.fission_shares ?? 0;
    let status = coupon.status;
    if (status === "locked" && opened >= required) {
      await trx.updateTable("coupons").set({ status: "available", unlocked_at: now }).where("id", "=", coupon.id).where("status", "=", "locked").execute();
      await publish(trx, "coupon.unlocked", coupon.id, { couponId: coupon.id, userId: coupon.user_id, opened }, now);
      status = "available";
    }
    return { couponId: coupon.id, templateId: coupon.template_id, name: template.name, required, opened, unlocked: status !== "locked", counted, claimable: template.claimable && template.status === "active" };
  });
}
