import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { audit } from "../../platform/audit.js";
import type { Actor } from "../../platform/auth/principal.js";
import { notFound, unprocessable } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { pageOf } from "../../platform/http/schemas.js";
import { skusForSale } from "../catalog/catalog.service.js";
import type { BargainTables } from "./bargain.tables.js";

export type ActivityRow = Selectable<BargainTables["bargain_activities"]>;

export interface ActivityInput {
  skuId: string;
  title?: string;
  /** Defaults to the SKU's own price; never above it (a made-up original price misleads buyers). */
  originalPrice?: number;
  floorPrice: number;
  helpersNeeded: number;
  timeLimitMinutes: number;
  earlyPurchase: boolean;
  paymentMinutes?: number;
  stock: number;
  startsAt: Date;
  endsAt: Date;
}

export interface ActivityPatch {
  status?: "active" | "paused";
  stock?: number;
}

/** A configuration that cannot work, named by its field: 422 `bargain_config_invalid`. */
const refuse = (field: string, message: string) => unprocessable("bargain_config_invalid", `${field}: ${message}`, [{ field, message }]);

export interface ActivityView {
  id: string;
  title: string;
  skuId: string;
  originalPrice: number;
  floorPrice: number;
  helpersNeeded: number;
  timeLimitMinutes: number;
  earlyPurchase: boolean;
  paymentMinutes: number;
  stock: number;
  reserved: number;
  sold: number;
  status: "active" | "paused";
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

export const toActivity = (a: ActivityRow): ActivityView => ({
  id: a.id,
  title: a.title,
  skuId: a.sku_id,
  originalPrice: a.original_price,
  floorPrice: a.floor_price,
  helpersNeeded: a.helpers_needed,
  timeLimitMinutes: a.time_limit_minutes,
  earlyPurchase: a.early_purchase,
  paymentMinutes: a.payment_minutes,
  stock: a.stock,
  reserved: a.reserved,
  sold: a.sold,
  status: a.status,
  startsAt: a.starts_at,
  endsAt: a.ends_at,
  createdAt: a.created_at,
});

/** Creates a bargain activity (audited). Every cut is at least 1 fen, so K may not exceed original − floor. */
export async function createActivity(deps: Deps, actor: Actor, input: ActivityInput): Promise<ActivityView> {
  const sku = (await skusForSale(deps.db, [{ skuId: input.skuId, qty: 1 }])).get(input.skuId);
  if (!sku) throw refuse("skuId", `no such SKU ${input.skuId}`);
  if (!sku.onSale) throw refuse("skuId", `${sku.productTitle} is not on sale`);
  const original = input.originalPrice ?? sku.listPrice;
  if (original > sku.listPrice) throw refuse("originalPrice", `at most the SKU's own price ${sku.listPrice} fen`);
  if (input.floorPrice >= original) throw refuse("floorPrice", `must be below the original price ${original} fen`);
  if (input.helpersNeeded > original - input.floorPrice) {
    throw refuse("helpersNeeded", `every helper cuts at least 1 fen: at most ${original - input.floorPrice} helpers for ${original - input.floorPrice} fen`);
  }
  if (input.endsAt <= input.startsAt) throw refuse("endsAt", "must be after startsAt");
  const now = deps.clock.now();
  const row: ActivityRow = {
    id: newId("bga"),
    title: input.title ?? sku.productTitle,
    sku_id: input.skuId,
    original_price: original,
    floor_price: input.floorPrice,
    helpers_needed: input.helpersNeeded,
    time_limit_minutes: input.timeLimitMinutes,
    early_purchase: input.earlyPurchase,
    payment_minutes: input.paymentMinutes ?? deps.config.orderPaymentTimeoutMinutes,
    stock: input.stock,
    reserved: 0,
    sold: 0,
    status: "active",
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto("bargain_activities").values(row).execute();
    await audit(trx, actor, { action: "bargain_activity.create", entity: "bargain_activity", entityId: row.id, after: toActivity(row) }, now);
  });
  return toActivity(row);
}

/** Pauses or resumes an activity, or changes its stock (never below what is reserved and sold); audited. */
export async function updateActivity(deps: Deps, actor: Actor, id: string, patch: ActivityPatch): Promise<ActivityView> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("bargain_activities").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) throw notFound("bargain activity");
    if (patch.stock !== undefined && patch.stock < before.reserved + before.sold) {
      throw refuse("stock", `${before.reserved + before.sold} units are already reserved or sold`);
    }
    const after = await trx
      .updateTable("bargain_activities")
      .set({ ...(patch.status ? { status: patch.status } : {}), ...(patch.stock !== undefined ? { stock: patch.stock } : {}), updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: "bargain_activity.update", entity: "bargain_activity", entityId: id, before: toActivity(before), after: toActivity(after) }, now);
    return toActivity(after);
  });
}

export async function getActivity(deps: Deps, id: string): Promise<ActivityView> {
  const row = await deps.db.selectFrom("bargain_activities").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("bargain activity");
  return toActivity(row);
}

export async function listActivities(deps: Deps, q: { limit: number; after?: string }) {
  let query = deps.db.selectFrom("bargain_activities").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const page = pageOf(await query.execute(), q.limit);
  return { items: page.items.map(toActivity), nextCursor: page.nextCursor };
}

/** An open activity as shoppers browse it: with the product it sells and the units not yet taken. */
export interface OpenActivity extends ActivityView {
  productId: string;
  image: string | null;
  unitsLeft: number;
}

/** Activities a shopper can start a bargain in now (active, within their window), ending soonest first. */
export async function listOpenActivities(deps: Deps): Promise<OpenActivity[]> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom("bargain_activities")
    .selectAll()
    .where("status", "=", "active")
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .orderBy("ends_at")
    .orderBy("id")
    .limit(100)
    .execute();
  const skus = await skusForSale(deps.db, rows.map((r) => ({ skuId: r.sku_id, qty: 1 })));
  return rows.flatMap((r) => {
    const sku = skus.get(r.sku_id);
    if (!sku?.onSale) return [];
    return [{ ...toActivity(r), productId: sku.productId, image: sku.image, unitsLeft: Math.max(0, r.stock - r.reserved - r.sold) }];
  });
}
