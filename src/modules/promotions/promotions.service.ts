import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { forbidden, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { ownMerchantId } from "../merchants/merchants.service.js";
import type { PromotionKind, PromotionScope, PromotionsTables, Tier } from "./promotions.tables.js";

type Row = Selectable<PromotionsTables["promotions"]>;

export interface PromotionInput {
  kind: PromotionKind;
  name: string;
  /** Operators only: the store (absent: platform-wide 满减). Gifts and limited prices belong to their SKU's store. */
  merchantId?: string | null;
  scope?: PromotionScope;
  scopeIds?: string[];
  tiers?: Tier[];
  threshold?: number;
  giftSkuId?: string;
  giftQty?: number;
  skuId?: string;
  price?: number;
  startsAt: string;
  endsAt: string;
}

export type PromotionPatch = Partial<Omit<PromotionInput, "kind" | "merchantId">> & { status?: "active" | "disabled" };

export interface Promotion {
  id: string;
  merchantId: string | null;
  kind: PromotionKind;
  name: string;
  scope: PromotionScope;
  scopeIds: string[];
  tiers: Tier[] | null;
  threshold: number | null;
  giftSkuId: string | null;
  giftQty: number | null;
  skuId: string | null;
  price: number | null;
  startsAt: Date;
  endsAt: Date;
  status: "active" | "disabled";
  createdAt: Date;
  updatedAt: Date;
}

export const toPromotion = (r: Row): Promotion => ({
  id: r.id,
  merchantId: r.merchant_id,
  kind: r.kind,
  name: r.name,
  scope: r.scope,
  scopeIds: r.scope_ids,
  tiers: r.tiers,
  threshold: r.threshold,
  giftSkuId: r.gift_sku_id,
  giftQty: r.gift_qty,
  skuId: r.sku_id,
  price: r.price,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The SKU's store, or a 400 on `field` when no such SKU exists. */
async function storeOfSku(db: Db, skuId: string, field: string): Promise<string> {
  const sku = (await skusForSale(db, [{ skuId, qty: 1 }])).get(skuId);
  if (!sku) throw invalidField(field, "no such SKU");
  return sku.merchantId;
}

/** Checks a complete definition and returns the columns it is stored as. */
async function columnsOf(db: Db, actor: Actor, p: PromotionInput) {
  const starts = new Date(p.startsAt);
  const ends = new Date(p.endsAt);
  if (!(ends > starts)) throw invalidField("endsAt", "must be after startsAt");
  const own = ownMerchantId(actor);
  let merchantId = own ?? p.merchantId ?? null;
  const base = { tiers: null as Tier[] | null, threshold: null as number | null, gift_sku_id: null as string | null, gift_qty: null as number | null, sku_id: null as string | null, price: null as number | null };
  if (p.kind === "full_reduction") {
    const tiers = [...(p.tiers ?? [])].sort((a, b) => a.threshold - b.threshold);
    if (tiers.length === 0) throw invalidField("tiers", "a 满减 promotion needs at least one tier");
    tiers.forEach((t, i) => {
      if (t.off <= 0 || t.off > t.threshold) throw invalidField(`tiers.${i}.off`, "must be more than 0 and at most the threshold");
      if (i > 0 && (t.threshold === tiers[i - 1].threshold || t.off <= tiers[i - 1].off)) throw invalidField(`tiers.${i}`, "a higher threshold must take off more, once per threshold");
    });
    base.tiers = tiers;
  } else if (p.kind === "gift") {
    if (!p.giftSkuId) throw invalidField("giftSkuId", "a 满赠 promotion names its gift SKU");
    if (p.threshold === undefined) throw invalidField("threshold", "a 满赠 promotion needs a threshold");
    merchantId = await storeOfSku(db, p.giftSkuId, "giftSkuId");
    Object.assign(base, { threshold: p.threshold, gift_sku_id: p.giftSkuId, gift_qty: p.giftQty ?? 1 });
  } else {
    if (!p.skuId) throw invalidField("skuId", "a limited-time price names its SKU");
    if (p.price === undefined) throw invalidField("price", "a limited-time price needs a price");
    merchantId = await storeOfSku(db, p.skuId, "skuId");
    Object.assign(base, { sku_id: p.skuId, price: p.price });
  }
  // Merchant staff run promotions on their own goods only.
  if (own !== null && merchantId !== own) throw forbidden("that SKU belongs to another store");
  const scope = p.kind === "limited_price" ? "all" : (p.scope ?? "all");
  const scopeIds = scope === "all" ? [] : (p.scopeIds ?? []);
  if (scope !== "all" && scopeIds.length === 0) throw invalidField("scopeIds", `a ${scope} scope lists at least one id`);
  return { merchant_id: merchantId, kind: p.kind, name: p.name, scope, scope_ids: JSON.stringify(scopeIds), ...base, tiers: base.tiers && JSON.stringify(base.tiers), starts_at: starts, ends_at: ends };
}

export async function createPromotion(deps: Deps, actor: Actor, input: PromotionInput): Promise<Promotion> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cols = await columnsOf(trx, actor, input);
    const row = await trx
      .insertInto("promotions")
      .values({ id: newId("prm"), ...cols, status: "active", created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = toPromotion(row);
    await audit(trx, actor, { action: "promotion.create", entity: "promotion", entityId: row.id, after: created }, now);
    return created;
  });
}

async function visibleRow(db: Db, actor: Actor, id: string, lock = false): Promise<Row> {
  let q = db.selectFrom("promotions").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  const own = ownMerchantId(actor);
  if (!row || (own !== null && row.merchant_id !== own)) throw notFound("promotion");
  return row;
}

export async function getPromotion(deps: Deps, actor: Actor, id: string): Promise<Promotion> {
  return toPromotion(await visibleRow(deps.db, actor, id));
}

export async function listPromotions(deps: Deps, actor: Actor, q: { kind?: PromotionKind; limit: number; after?: string }) {
  const own = ownMerchantId(actor);
  let query = deps.db.selectFrom("promotions").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (own !== null) query = query.where("merchant_id", "=", own);
  if (q.kind) query = query.where("kind", "=", q.kind);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = (await query.execute()).map(toPromotion);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** Changes a promotion (its kind and store stay); the whole result is checked again. */
export async function updatePromotion(deps: Deps, actor: Actor, id: string, patch: PromotionPatch): Promise<Promotion> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await visibleRow(trx, actor, id, true);
    const before = toPromotion(row);
    const merged: PromotionInput = {
      kind: row.kind,
      merchantId: row.merchant_id,
      name: patch.name ?? row.name,
      scope: patch.scope ?? row.scope,
      scopeIds: patch.scopeIds ?? row.scope_ids,
      tiers: patch.tiers ?? row.tiers ?? undefined,
      threshold: patch.threshold ?? row.threshold ?? undefined,
      giftSkuId: patch.giftSkuId ?? row.gift_sku_id ?? undefined,
      giftQty: patch.giftQty ?? row.gift_qty ?? undefined,
      skuId: patch.skuId ?? row.sku_id ?? undefined,
      price: patch.price ?? row.price ?? undefined,
      startsAt: patch.startsAt ?? row.starts_at.toISOString(),
      endsAt: patch.endsAt ?? row.ends_at.toISOString(),
    };
    const cols = await columnsOf(trx, actor, merged);
    const updated = await trx
      .updateTable("promotions")
      .set({ ...cols, status: patch.status ?? row.status, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toPromotion(updated);
    await audit(trx, actor, { action: "promotion.update", entity: "promotion", entityId: id, before, after }, now);
    return after;
  });
}

export async function deletePromotion(deps: Deps, actor: Actor, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = await visibleRow(trx, actor, id, true);
    await trx.deleteFrom("promotions").where("id", "=", id).execute();
    await audit(trx, actor, { action: "promotion.delete", entity: "promotion", entityId: id, before: toPromotion(row) }, now);
  });
}

/** Promotions running now that could touch a part of this store with these SKUs. */
export async function livePromotions(db: Db, merchantId: string, skuIds: string[], now: Date): Promise<Promotion[]> {
  const rows = await db
    .selectFrom("promotions")
    .selectAll()
    .where("status", "=", "active")
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .where((eb) => eb.or([eb("merchant_id", "=", merchantId), eb("merchant_id", "is", null)]))
    .where((eb) => eb.or([eb("kind", "<>", "limited_price"), eb("sku_id", "in", skuIds)]))
    .orderBy("id")
    .execute();
  return rows.map(toPromotion);
}
