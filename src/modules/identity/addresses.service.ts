import type { Deps } from "../../deps.js";
import { maskPhone } from "../../platform/crypto.js";
import { notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import type { IdentityTables } from "./identity.tables.js";

/** A shipping address in a consumer's address book (收货地址). */
export interface AddressInput {
  recipient: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postalCode?: string;
  isDefault?: boolean;
}

export interface Address extends Omit<AddressInput, "postalCode"> {
  id: string;
  postalCode: string | null;
  isDefault: boolean;
}

function toAddress(deps: Deps, row: IdentityTables["addresses"], reveal: boolean): Address {
  const phone = deps.cipher.decrypt(row.phone_enc);
  return {
    id: row.id,
    recipient: row.recipient,
    phone: reveal ? phone : maskPhone(phone),
    province: row.province,
    city: row.city,
    district: row.district,
    detail: row.detail,
    postalCode: row.postal_code,
    isDefault: row.is_default,
  };
}

export async function listAddresses(deps: Deps, userId: string): Promise<Address[]> {
  const rows = await deps.db.selectFrom("addresses").selectAll().where("user_id", "=", userId).where("deleted_at", "is", null).orderBy("is_default", "desc").orderBy("id").execute();
  return rows.map((r) => toAddress(deps, r, true));
}

/**
 * One of the user's own addresses, unmasked (orders keep a snapshot of it for shipping).
 * Someone else's address id is "not found".
 */
export async function getAddress(deps: Deps, userId: string, id: string): Promise<Address> {
  const row = await deps.db.selectFrom("addresses").selectAll().where("id", "=", id).where("user_id", "=", userId).where("deleted_at", "is", null).executeTakeFirst();
  if (!row) throw notFound("address");
  return toAddress(deps, row, true);
}

export async function saveAddress(deps: Deps, userId: string, input: AddressInput, id?: string): Promise<Address> {
  return deps.db.transaction().execute(async (trx) => {
    const count = await trx.selectFrom("addresses").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).where("deleted_at", "is", null).executeTakeFirstOrThrow();
    const makeDefault = input.isDefault ?? Number(count.n) === 0;
    if (makeDefault) await trx.updateTable("addresses").set({ is_default: false }).where("user_id", "=", userId).execute();
    const values = {
      recipient: input.recipient,
      phone_enc: deps.cipher.encrypt(input.phone),
      province: input.province,
      city: input.city,
      district: input.district,
      detail: input.detail,
      postal_code: input.postalCode ?? null,
      is_default: makeDefault,
    };
    if (id) {
      const updated = await trx.updateTable("addresses").set(values).where("id", "=", id).where("user_id", "=", userId).where("deleted_at", "is", null).returningAll().executeTakeFirst();
      if (!updated) throw notFound("address");
      return toAddress(deps, updated, true);
    }
    const row = { id: newId("adr"), user_id: userId, created_at: deps.clock.now(), deleted_at: null, ...values };
    await trx.insertInto("addresses").values(row).execute();
    return toAddress(deps, row, true);
  });
}

export async function deleteAddress(deps: Deps, userId: string, id: string): Promise<void> {
  const res = await deps.db.updateTable("addresses").set({ deleted_at: deps.clock.now(), is_default: false }).where("id", "=", id).where("user_id", "=", userId).where("deleted_at", "is", null).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw notFound("address");
}
