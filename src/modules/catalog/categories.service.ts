import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import type { CatalogTables } from "./catalog.tables.js";

type CategoryRow = CatalogTables["categories"];

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  icon: string | null;
  sort: number;
}

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

export interface CategoryInput {
  name: string;
  parentId?: string | null;
  icon?: string | null;
  sort?: number;
}

const toCategory = (r: CategoryRow): Category => ({ id: r.id, parentId: r.parent_id, name: r.name, icon: r.icon, sort: r.sort });

/** The whole tree, siblings by sort then name. Categories number in the hundreds at most: read them whole. */
export async function categoryTree(db: Db): Promise<CategoryNode[]> {
  const rows = await db.selectFrom("categories").selectAll().orderBy("sort").orderBy("name").execute();
  const nodes = new Map(rows.map((r) => [r.id, { ...toCategory(r), children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) (node.parentId ? nodes.get(node.parentId)!.children : roots).push(node);
  return roots;
}

/** A category and everything below it. */
export async function withDescendants(db: Db, id: string): Promise<string[]> {
  const rows = await db.selectFrom("categories").select(["id", "parent_id"]).execute();
  const children = new Map<string, string[]>();
  for (const r of rows) if (r.parent_id) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
  const out: string[] = [];
  const stack = rows.some((r) => r.id === id) ? [id] : [];
  while (stack.length > 0) {
    const next = stack.pop()!;
    out.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

export async function categoryExists(db: Db, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom("categories").select("id").where("id", "=", id).executeTakeFirst());
}

async function assertNameFree(trx: Db, parentId: string | null, name: string, exceptId?: string): Promise<void> {
  let q = trx.selectFrom("categories").select("id").where("name", "=", name);
  q = parentId ? q.where("parent_id", "=", parentId) : q.where("parent_id", "is", null);
  if (exceptId) q = q.where("id", "<>", exceptId);
  if (await q.executeTakeFirst()) throw conflict("category_name_taken", `${name} already exists at this level`, { field: "name" });
}

export async function createCategory(trx: Db, actor: Actor, input: CategoryInput, now: Date): Promise<Category> {
  const parentId = input.parentId ?? null;
  if (parentId && !(await categoryExists(trx, parentId))) throw invalidField("parentId", "no such category");
  await assertNameFree(trx, parentId, input.name);
  const row: CategoryRow = { id: newId("cat"), parent_id: parentId, name: input.name, icon: input.icon ?? null, sort: input.sort ?? 0, created_at: now };
  await trx.insertInto("categories").values(row).execute();
  await audit(trx, actor, { action: "category.create", entity: "category", entityId: row.id, after: toCategory(row) }, now);
  return toCategory(row);
}

export async function updateCategory(trx: Db, actor: Actor, id: string, patch: Partial<CategoryInput>, now: Date): Promise<Category> {
  const before = await trx.selectFrom("categories").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!before) throw notFound("category");
  const parentId = patch.parentId === undefined ? before.parent_id : patch.parentId;
  if (parentId && parentId !== before.parent_id) {
    if (!(await categoryExists(trx, parentId))) throw invalidField("parentId", "no such category");
    if ((await withDescendants(trx, id)).includes(parentId)) throw invalidField("parentId", "a category cannot move under itself");
  }
  const name = patch.name ?? before.name;
  await assertNameFree(trx, parentId, name, id);
  const after = await trx
    .updateTable("categories")
    .set({ parent_id: parentId, name, icon: patch.icon === undefined ? before.icon : patch.icon, sort: patch.sort ?? before.sort })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, { action: "category.update", entity: "category", entityId: id, before: toCategory(before), after: toCategory(after) }, now);
  return toCategory(after);
}

/** Only an empty leaf goes: products and subcategories must move first. */
export async function deleteCategory(trx: Db, actor: Actor, id: string, now: Date): Promise<void> {
  const row = await trx.selectFrom("categories").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) throw notFound("category");
  if (await trx.selectFrom("categories").select("id").where("parent_id", "=", id).executeTakeFirst()) throw conflict("category_not_empty", "the category has subcategories");
  if (await trx.selectFrom("products").select("id").where("category_id", "=", id).executeTakeFirst()) throw conflict("category_not_empty", "the category has products");
  await trx.deleteFrom("categories").where("id", "=", id).execute();
  await audit(trx, actor, { action: "category.delete", entity: "category", entityId: id, before: toCategory(row) }, now);
}
