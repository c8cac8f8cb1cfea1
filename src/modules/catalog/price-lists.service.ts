import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import type { CatalogTables, PriceListKind } from "./catalog.tables.js";

type PriceListRow = CatalogTables["price_lists"];

export interface PriceListItem {
  skuId: string;
  price: number;
  /** Tiered lists: the quantity from which this price holds; 1 otherwise. */
  minQty: number;
}

/** 价格表: member prices (会员价), channel prices (渠道价) or quantity tiers (阶梯价). */
export interface PriceList {
  id: string;
  name: string;
  kind: PriceListKind;
  channel: string | null;
  active: boolean;
  items: PriceListItem[];
}

export interface PriceListInput {
  name: string;
  kind: PriceListKind;
  channel?: string | null;
  items?: PriceListItem[];
}

async function toPriceList(db: Db, r: PriceListRow): Promise<PriceList> {
  const items = await db.selectFrom("price_list_items").selectAll().where("price_list_id", "=", r.id).orderBy("sku_id").orderBy("min_qty").execute();
  return { id: r.id, name: r.name, kind: r.kind, channel: r.channel, active: r.active, items: items.map((i) => ({ skuId: i.sku_id, price: i.price, minQty: i.min_qty })) };
}

async function assertItems(db: Db, items: PriceListItem[]): Promise<void> {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const key = `${item.skuId}/${item.minQty}`;
    if (seen.has(key)) throw invalidField(`items.${i}`, "the same SKU and minimum quantity appear twice");
    seen.add(key);
  }
  const ids = [...new Set(items.map((i) => i.skuId))];
  const found = new Set(ids.length ? (await db.selectFrom("skus").select("id").where("id", "in", ids).execute()).map((r) => r.id) : []);
  items.forEach((item, i) => {
    if (!found.has(item.skuId)) throw invalidField(`items.${i}.skuId`, "no such SKU");
  });
}

async function replaceItems(trx: Db, id: string, items: PriceListItem[]): Promise<void> {
  await trx.deleteFrom("price_list_items").where("price_list_id", "=", id).execute();
  if (items.length > 0) {
    await trx.insertInto("price_list_items").values(items.map((i) => ({ price_list_id: id, sku_id: i.skuId, price: i.price, min_qty: i.minQty }))).execute();
  }
}

export async function createPriceList(trx: Db, actor: Actor, input: PriceListInput, now: Date): Promise<PriceList> {
  const channel = input.channel ?? null;
  if (input.kind === "channel" && !channel) throw invalidField("channel", "a channel price list names its channel");
  const items = input.items ?? [];
  await assertItems(trx, items);
  const row: PriceListRow = { id: newId("prl"), name: input.name, kind: input.kind, channel, active: true, created_at: now };
  await trx.insertInto("price_lists").values(row).execute();
  await replaceItems(trx, row.id, items);
  const list = await toPriceList(trx, row);
  await audit(trx, actor, { action: "price_list.create", entity: "price_list", entityId: row.id, after: list }, now);
  return list;
}

export async function getPriceList(db: Db, id: string): Promise<PriceList> {
  const row = await db.selectFrom("price_lists").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("price list");
  return toPriceList(db, row);
}

export async function listPriceLists(db: Db): Promise<Omit<PriceList, "items">[]> {
  const rows = await db.selectFrom("price_lists").selectAll().orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, channel: r.channel, active: r.active }));
}

/** Renames, switches on or off, or replaces the items of a price list; the kind stays. */
export async function updatePriceList(trx: Db, actor: Actor, id: string, patch: { name?: string; active?: boolean; items?: PriceListItem[] }, now: Date): Promise<PriceList> {
  const row = await trx.selectFrom("price_lists").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) throw notFound("price list");
  const before = await toPriceList(trx, row);
  if (patch.items) {
    await assertItems(trx, patch.items);
    await replaceItems(trx, id, patch.items);
  }
  const updated = await trx.updateTable("price_lists").set({ name: patch.name ?? row.name, active: patch.active ?? row.active }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  const after = await toPriceList(trx, updated);
  await audit(trx, actor, { action: "price_list.update", entity: "price_list", entityId: id, before, after }, now);
  return after;
}
