import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import type { CatalogTables } from "./catalog.tables.js";

type AttributeRow = CatalogTables["attributes"];

/** A spec dimension (规格项) such as 颜色 or 尺码, with the values a SKU may take; none listed means free text. */
export interface Attribute {
  id: string;
  name: string;
  values: string[];
  sort: number;
}

const toAttribute = (r: AttributeRow): Attribute => ({ id: r.id, name: r.name, values: r.values, sort: r.sort });

export async function listAttributes(db: Db): Promise<Attribute[]> {
  return (await db.selectFrom("attributes").selectAll().orderBy("sort").orderBy("name").execute()).map(toAttribute);
}

export async function createAttribute(trx: Db, actor: Actor, input: { name: string; values: string[]; sort?: number }, now: Date): Promise<Attribute> {
  if (await trx.selectFrom("attributes").select("id").where("name", "=", input.name).executeTakeFirst()) {
    throw conflict("attribute_name_taken", `attribute ${input.name} already exists`, { field: "name" });
  }
  const row: AttributeRow = { id: newId("att"), name: input.name, values: [...new Set(input.values)], sort: input.sort ?? 0, created_at: now };
  await trx.insertInto("attributes").values(row).execute();
  await audit(trx, actor, { action: "attribute.create", entity: "attribute", entityId: row.id, after: toAttribute(row) }, now);
  return toAttribute(row);
}

/** Values can be added or reordered; existing SKUs keep the specs they were created with. */
export async function updateAttribute(trx: Db, actor: Actor, id: string, patch: { values?: string[]; sort?: number }, now: Date): Promise<Attribute> {
  const before = await trx.selectFrom("attributes").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!before) throw notFound("attribute");
  const after = await trx
    .updateTable("attributes")
    .set({ values: patch.values ? [...new Set(patch.values)] : before.values, sort: patch.sort ?? before.sort })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, { action: "attribute.update", entity: "attribute", entityId: id, before: toAttribute(before), after: toAttribute(after) }, now);
  return toAttribute(after);
}

/** Every spec names a known attribute and, where the attribute lists values, one of them. */
export async function assertSpecs(db: Db, specs: Record<string, string>, field: string): Promise<void> {
  const names = Object.keys(specs);
  if (names.length === 0) return;
  const known = new Map((await db.selectFrom("attributes").selectAll().where("name", "in", names).execute()).map((a) => [a.name, a.values]));
  for (const [name, value] of Object.entries(specs)) {
    const allowed = known.get(name);
    if (!allowed) throw invalidField(`${field}.${name}`, "no such attribute");
    if (allowed.length > 0 && !allowed.includes(value)) throw invalidField(`${field}.${name}`, `must be one of ${allowed.join(", ")}`);
  }
}
