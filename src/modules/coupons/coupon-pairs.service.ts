import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { inviterOf } from "../referral/referral.service.js";
import { isSelfReferral } from "../risk/risk.service.js";
import { issueCoupon } from "./coupons.service.js";

export interface CouponPair {
  id: string;
  name: string;
  inviterTemplateId: string;
  friendTemplateId: string;
  status: "active" | "disabled";
  createdAt: Date;
}

const toPair = (r: { id: string; name: string; inviter_template_id: string; friend_template_id: string; status: "active" | "disabled"; created_at: Date }): CouponPair => ({
  id: r.id,
  name: r.name,
  inviterTemplateId: r.inviter_template_id,
  friendTemplateId: r.friend_template_id,
  status: r.status,
  createdAt: r.created_at,
});

/** A double-sided coupon offer (双向券): one template for the inviter, one for the invited friend. */
export async function createPair(deps: Deps, actor: Actor, input: { name: string; inviterTemplateId: string; friendTemplateId: string }): Promise<CouponPair> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    for (const field of ["inviterTemplateId", "friendTemplateId"] as const) {
      const t = await trx.selectFrom("coupon_templates").select("id").where("id", "=", input[field]).executeTakeFirst();
      if (!t) throw invalidField(field, "no such coupon template");
    }
    const row = await trx
      .insertInto("coupon_pairs")
      .values({ id: newId("cpp"), name: input.name, inviter_template_id: input.inviterTemplateId, friend_template_id: input.friendTemplateId, status: "active", created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: "coupon_pair.create", entity: "coupon_pair", entityId: row.id, after: toPair(row) }, now);
    return toPair(row);
  });
}

export async function setPairStatus(deps: Deps, actor: Actor, id: string, status: "active" | "disabled"): Promise<CouponPair> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("coupon_pairs").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) throw notFound("coupon pair");
    const row = await trx.updateTable("coupon_pairs").set({ status }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: "coupon_pair.update", entity: "coupon_pair", entityId: id, before: toPair(before), after: toPair(row) }, now);
    return toPair(row);
  });
}

export async function listPairs(db: Db): Promise<CouponPair[]> {
  return (await db.selectFrom("coupon_pairs").selectAll().orderBy("id", "desc").limit(100).execute()).map(toPair);
}

/**
 * On a paid order: when it is the buyer's first paid order and someone invited them, the inviter and the
 * buyer each get one coupon of every active pair — unless the two are one person (same device, phone or
 * paying account). Keys carry the friend's user id, so each pair pays out once per friend however often
 * the event is delivered.
 */
export async function onOrderPaid(trx: Db, event: { orderId: string; userId: string }, now: Date): Promise<void> {
  const first = await trx
    .insertInto("coupon_first_orders")
    .values({ user_id: event.userId, order_id: event.orderId, paid_at: now })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .executeTakeFirst();
  if (Number(first.numInsertedOrUpdatedRows ?? 0) === 0) return;
  const inviterId = await inviterOf(trx, event.userId);
  if (!inviterId || (await isSelfReferral(trx, { userId: inviterId }, { userId: event.userId }))) return;
  const pairs = await trx.selectFrom("coupon_pairs").selectAll().where("status", "=", "active").orderBy("id").execute();
  for (const pair of pairs) {
    await issueCoupon(trx, { templateId: pair.inviter_template_id, userId: inviterId, key: `pair:${pair.id}:inviter:${event.userId}`, reason: "invite_first_order" }, now);
    await issueCoupon(trx, { templateId: pair.friend_template_id, userId: event.userId, key: `pair:${pair.id}:friend:${event.userId}`, reason: "invited_first_order" }, now);
  }
}
