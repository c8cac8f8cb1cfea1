import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { getMerchant } from "../merchants/merchants.service.js";
import type { InventoryTables } from "./inventory.tables.js";

type WarehouseRow = InventoryTables["warehouses"];

/** A place stock is kept: the platform's own (merchantId null) or one a store runs. Exactly one is the default. */
export interface Warehouse {
  id: string;
  name: string;
  merchantId: string | null;
  isDefault: boolean;
}

const toWarehouse = (r: WarehouseRow): Warehouse => ({ id: r.id, name: r.name, merchantId: r.merchant_id, isDefault: r.is_default });

/** Every warehouse, or (for merchant staff) the platform's and their own store's. */
export async function listWarehouses(db: Db, merchantId: string | null): Promise<Warehouse[]> {
  let q = db.selectFrom("warehouses").selectAll().orderBy("id");
  if (merchantId !== null) q = q.where((eb) => eb.or([eb("merchant_id", "is", null), eb("merchant_id", "=", merchantId)]));
  return (await q.execute()).map(toWarehouse);
}

export async function getWarehouse(db: Db, id: string): Promise<Warehouse | null> {
  const row = await db.selectFrom("warehouses").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toWarehouse(row) : null;
}

/** Making a warehouse the default takes the mark from the previous one. */
async function takeDefault(trx: Db, id: string): Promise<void> {
  await trx.updateTable("warehouses").set({ is_default: false }).where("is_default", "=", true).where("id", "<>", id).execute();
  await trx.updateTable("warehouses").set({ is_default: true }).where("id", "=", id).execute();
}

export async function createWarehouse(trx: Db, actor: Actor, input: { name: string; merchantId?: string | null; isDefault?: boolean }, now: Date): Promise<Warehouse> {
  const merchantId = input.merchantId ?? null;
  if (merchantId && !(await getMerchant(trx, merchantId))) throw invalidField("merchantId", "no such store");
  const row: WarehouseRow = { id: newId("wh"), name: input.name, merchant_id: merchantId, is_default: false, created_at: now };
  await trx.insertInto("warehouses").values(row).execute();
  if (input.isDefault) await takeDefault(trx, row.id);
  const warehouse = toWarehouse({ ...row, is_default: input.isDefault ?? false });
  await audit(trx, actor, { action: "warehouse.create", entity: "warehouse", entityId: row.id, after: warehouse }, now);
  return warehouse;
}

/** Renames a warehouse or makes it the default (the default cannot be unset, only moved). */
export async function updateWarehouse(trx: Db, actor: Actor, id: string, patch: { name?: string; isDefault?: true }, now: Date): Promise<Warehouse> {
  const before = await trx.selectFrom("warehouses").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!before) throw notFound("warehouse");
  if (patch.isDefault) await takeDefault(trx, id);
  const after = await trx.updateTable("warehouses").set({ name: patch.name ?? before.name }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  await audit(trx, actor, { action: "warehouse.update", entity: "warehouse", entityId: id, before: toWarehouse(before), after: toWarehouse(after) }, now);
  return toWarehouse(after);
}
