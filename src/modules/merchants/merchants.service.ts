import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import type { MerchantsTables } from "./merchants.tables.js";

type MerchantRow = MerchantsTables["merchants"];
export type MerchantStatus = MerchantRow["status"];

/** A store on the platform (商家); the platform's own store (自营) is the one with selfOperated. */
export interface Merchant {
  id: string;
  name: string;
  storeName: string;
  logo: string | null;
  selfOperated: boolean;
  status: MerchantStatus;
  createdAt: Date;
}

/** What buyers see of a store. */
export type Storefront = Pick<Merchant, "id" | "storeName" | "logo" | "selfOperated">;

export interface MerchantInput {
  name: string;
  storeName: string;
  logo?: string | null;
  selfOperated?: boolean;
}

export interface MerchantPatch {
  name?: string;
  storeName?: string;
  logo?: string | null;
  status?: MerchantStatus;
}

const toMerchant = (r: MerchantRow): Merchant => ({
  id: r.id,
  name: r.name,
  storeName: r.store_name,
  logo: r.logo,
  selfOperated: r.self_operated,
  status: r.status,
  createdAt: r.created_at,
});

export const toStorefront = (m: Merchant): Storefront => ({ id: m.id, storeName: m.storeName, logo: m.logo, selfOperated: m.selfOperated });

/**
 * The merchant whose things an actor may touch: merchant staff are held to their own store (an empty id,
 * matching nothing, if their account has none); operators and the system act on every store (null).
 */
export function ownMerchantId(actor: Actor): string | null {
  return actor.kind === "merchant" ? (actor.merchantId ?? "") : null;
}

async function assertStoreNameFree(trx: Db, storeName: string, exceptId?: string): Promise<void> {
  let q = trx.selectFrom("merchants").select("id").where("store_name", "=", storeName);
  if (exceptId) q = q.where("id", "<>", exceptId);
  if (await q.executeTakeFirst()) throw conflict("store_name_taken", `a store is already named ${storeName}`, { field: "storeName" });
}

export async function createMerchant(trx: Db, actor: Actor, input: MerchantInput, now: Date): Promise<Merchant> {
  await assertStoreNameFree(trx, input.storeName);
  const selfOperated = input.selfOperated ?? false;
  if (selfOperated && (await trx.selectFrom("merchants").select("id").where("self_operated", "=", true).executeTakeFirst())) {
    throw conflict("self_operated_exists", "the platform already has its own store");
  }
  const row: MerchantRow = {
    id: newId("mch"),
    name: input.name,
    store_name: input.storeName,
    logo: input.logo ?? null,
    self_operated: selfOperated,
    status: "active",
    created_at: now,
  };
  await trx.insertInto("merchants").values(row).execute();
  const merchant = toMerchant(row);
  await audit(trx, actor, { action: "merchant.create", entity: "merchant", entityId: row.id, after: merchant }, now);
  return merchant;
}

export async function getMerchant(db: Db, id: string): Promise<Merchant | null> {
  const row = await db.selectFrom("merchants").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toMerchant(row) : null;
}

export async function listMerchants(db: Db, opts: { status?: MerchantStatus; limit: number; after?: string }): Promise<Merchant[]> {
  let q = db.selectFrom("merchants").selectAll().orderBy("id").limit(opts.limit);
  if (opts.status) q = q.where("status", "=", opts.status);
  if (opts.after) q = q.where("id", ">", opts.after);
  return (await q.execute()).map(toMerchant);
}

/** Stores that may not sell right now; the catalog hides their products. Few, so read whole. */
export async function suspendedMerchantIds(db: Db): Promise<string[]> {
  return (await db.selectFrom("merchants").select("id").where("status", "=", "suspended").execute()).map((r) => r.id);
}

export async function updateMerchant(trx: Db, actor: Actor, id: string, patch: MerchantPatch, now: Date): Promise<Merchant> {
  const before = await trx.selectFrom("merchants").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!before) throw notFound("merchant");
  if (patch.storeName !== undefined) await assertStoreNameFree(trx, patch.storeName, id);
  const after = await trx
    .updateTable("merchants")
    .set({
      name: patch.name ?? before.name,
      store_name: patch.storeName ?? before.store_name,
      logo: patch.logo === undefined ? before.logo : patch.logo,
      status: patch.status ?? before.status,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, { action: "merchant.update", entity: "merchant", entityId: id, before: toMerchant(before), after: toMerchant(after) }, now);
  return toMerchant(after);
}
