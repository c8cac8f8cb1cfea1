import { type Selectable, sql } from "kysely";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { getMerchant, ownMerchantId } from "../merchants/merchants.service.js";
import { assertSpecs } from "./attributes.service.js";
import type { BundleComponent, CatalogTables, ProductRole, ProductStatus } from "./catalog.tables.js";
import { categoryExists, withDescendants } from "./categories.service.js";
import { assertProductTransition } from "./product-status.js";

type ProductRow = CatalogTables["products"];
type SkuRow = Selectable<CatalogTables["skus"]>;

export interface Sku {
  id: string;
  code: string;
  specs: Record<string, string>;
  /** List price in fen; price lists may lower what a buyer pays. */
  price: number;
  weightGrams: number;
  status: "active" | "inactive";
  components: BundleComponent[];
}

export interface Product {
  id: string;
  merchantId: string;
  categoryId: string;
  /** A bundle (组合套装) has one SKU made of other SKUs, at its own price. */
  kind: "standard" | "bundle";
  title: string;
  subtitle: string;
  description: string;
  images: string[];
  /** 000 §4.1: 基础款 draws traffic, 利润款 earns margin, 增值款 lifts the basket. */
  role: ProductRole;
  /** Exempt from the 7-day no-reason return (fresh food, custom goods). */
  afterSaleExempt: boolean;
  status: ProductStatus;
  tags: string[];
  priceFrom: number | null;
  createdAt: Date;
  updatedAt: Date;
  skus: Sku[];
}

export interface SkuInput {
  code: string;
  specs?: Record<string, string>;
  price: number;
  weightGrams?: number;
  components?: BundleComponent[];
}

export interface ProductInput {
  /** Operators name the store; merchant staff always act for their own. */
  merchantId?: string;
  categoryId: string;
  kind?: "standard" | "bundle";
  title: string;
  subtitle?: string;
  description?: string;
  images?: string[];
  role: ProductRole;
  afterSaleExempt?: boolean;
  tags?: string[];
  skus: SkuInput[];
}

export type ProductPatch = Partial<Pick<ProductInput, "categoryId" | "title" | "subtitle" | "description" | "images" | "role" | "afterSaleExempt" | "tags">>;
export type SkuPatch = Partial<Pick<SkuInput, "code" | "price" | "weightGrams">> & { status?: Sku["status"] };

export const toSku = (r: SkuRow): Sku => ({ id: r.id, code: r.code, specs: r.specs, price: r.price, weightGrams: r.weight_grams, status: r.status, components: r.components });

function toProduct(r: ProductRow, skus: SkuRow[]): Product {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    categoryId: r.category_id,
    kind: r.kind,
    title: r.title,
    subtitle: r.subtitle,
    description: r.description,
    images: r.images,
    role: r.role,
    afterSaleExempt: r.after_sale_exempt,
    status: r.status,
    tags: r.tags,
    priceFrom: r.price_from,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    skus: skus.map(toSku),
  };
}

async function skusOf(db: Db, productIds: string[]): Promise<SkuRow[]> {
  if (productIds.length === 0) return [];
  return db.selectFrom("skus").selectAll().where("product_id", "in", productIds).orderBy("id").execute();
}

/** A product the actor may manage; another store's product is "not found", so its existence does not leak. */
async function ownedProduct(db: Db, actor: Actor, id: string, lock = false): Promise<ProductRow> {
  let q = db.selectFrom("products").selectAll().where("id", "=", id);
  const own = ownMerchantId(actor);
  if (own !== null) q = q.where("merchant_id", "=", own);
  const row = await (lock ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw notFound("product");
  return row;
}

async function refreshPriceFrom(trx: Db, productId: string): Promise<void> {
  await trx
    .updateTable("products")
    .set((eb) => ({
      price_from: eb.selectFrom("skus").select((s) => s.fn.min<number>("price").as("p")).where("product_id", "=", productId).where("status", "=", "active"),
    }))
    .where("id", "=", productId)
    .execute();
}

async function assertComponents(db: Db, merchantId: string, components: BundleComponent[], field: string): Promise<void> {
  if (components.length === 0) throw invalidField(field, "a bundle needs at least one component");
  const ids = components.map((c) => c.skuId);
  if (new Set(ids).size !== ids.length) throw invalidField(field, "a SKU appears twice");
  const found = await db
    .selectFrom("skus")
    .innerJoin("products", "products.id", "skus.product_id")
    .select(["skus.id", "products.merchant_id", "products.kind"])
    .where("skus.id", "in", ids)
    .execute();
  components.forEach((c, i) => {
    const sku = found.find((f) => f.id === c.skuId);
    if (!sku || sku.merchant_id !== merchantId) throw invalidField(`${field}.${i}.skuId`, "no such SKU in this store");
    if (sku.kind === "bundle") throw invalidField(`${field}.${i}.skuId`, "a bundle cannot contain a bundle");
  });
}

async function insertSku(trx: Db, product: Pick<ProductRow, "id" | "merchant_id" | "kind">, input: SkuInput, field: string, now: Date): Promise<SkuRow> {
  const specs = input.specs ?? {};
  await assertSpecs(trx, specs, `${field}.specs`);
  if (product.kind === "bundle") await assertComponents(trx, product.merchant_id, input.components ?? [], `${field}.components`);
  else if (input.components?.length) throw invalidField(`${field}.components`, "only a bundle has components");
  const clash = await trx
    .selectFrom("skus")
    .select(["code", "specs"])
    .where("product_id", "=", product.id)
    .where((eb) => eb.or([eb("code", "=", input.code), eb("specs", "=", sql<Record<string, string>>`${JSON.stringify(specs)}::jsonb`)]))
    .executeTakeFirst();
  if (clash) throw conflict("sku_exists", clash.code === input.code ? `SKU code ${input.code} is taken in this product` : "another SKU has the same specs", { field });
  const row: SkuRow = {
    id: newId("sku"),
    product_id: product.id,
    code: input.code,
    specs,
    price: input.price,
    weight_grams: input.weightGrams ?? 0,
    status: "active",
    components: input.components ?? [],
    created_at: now,
  };
  await trx.insertInto("skus").values({ ...row, specs: JSON.stringify(specs), components: JSON.stringify(row.components) }).execute();
  return row;
}

export async function createProduct(trx: Db, actor: Actor, input: ProductInput, now: Date): Promise<Product> {
  const own = ownMerchantId(actor);
  if (own !== null && input.merchantId !== undefined && input.merchantId !== own) throw invalidField("merchantId", "staff list products in their own store only");
  const merchantId = own ?? input.merchantId;
  if (!merchantId) throw invalidField("merchantId", "name the store that sells the product");
  if (!(await getMerchant(trx, merchantId))) throw invalidField("merchantId", "no such store");
  if (!(await categoryExists(trx, input.categoryId))) throw invalidField("categoryId", "no such category");
  const kind = input.kind ?? "standard";
  if (input.skus.length === 0) throw invalidField("skus", "a product needs at least one SKU");
  if (kind === "bundle" && input.skus.length !== 1) throw invalidField("skus", "a bundle has exactly one SKU");
  const row: ProductRow = {
    id: newId("prd"),
    merchant_id: merchantId,
    category_id: input.categoryId,
    kind,
    title: input.title,
    subtitle: input.subtitle ?? "",
    description: input.description ?? "",
    images: input.images ?? [],
    role: input.role,
    after_sale_exempt: input.afterSaleExempt ?? false,
    status: "draft",
    tags: [...new Set(input.tags ?? [])],
    price_from: null,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto("products").values(row).execute();
  const skus: SkuRow[] = [];
  for (const [i, sku] of input.skus.entries()) skus.push(await insertSku(trx, row, sku, `skus.${i}`, now));
  row.price_from = Math.min(...skus.map((s) => s.price));
  await trx.updateTable("products").set({ price_from: row.price_from }).where("id", "=", row.id).execute();
  const product = toProduct(row, skus);
  await audit(trx, actor, { action: "product.create", entity: "product", entityId: row.id, after: product }, now);
  return product;
}

export async function getProduct(db: Db, actor: Actor, id: string): Promise<Product> {
  const row = await ownedProduct(db, actor, id);
  return toProduct(row, await skusOf(db, [id]));
}

export interface ProductFilter {
  status?: ProductStatus;
  merchantId?: string;
  categoryId?: string;
  q?: string;
  limit: number;
  after?: string;
}

/** Staff's product list, newest first, held to the actor's own store for merchant staff. */
export async function listProducts(db: Db, actor: Actor, f: ProductFilter): Promise<Product[]> {
  let q = db.selectFrom("products").selectAll().orderBy("id", "desc").limit(f.limit);
  const own = ownMerchantId(actor);
  if (own !== null) q = q.where("merchant_id", "=", own);
  if (f.merchantId) q = q.where("merchant_id", "=", f.merchantId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.categoryId) {
    const ids = await withDescendants(db, f.categoryId);
    if (ids.length === 0) return [];
    q = q.where("category_id", "in", ids);
  }
  if (f.q) q = q.where("title", "ilike", `%${likeEscape(f.q)}%`);
  if (f.after) q = q.where("id", "<", f.after);
  const rows = await q.execute();
  const skus = await skusOf(db, rows.map((r) => r.id));
  return rows.map((r) => toProduct(r, skus.filter((s) => s.product_id === r.id)));
}

export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function updateProduct(trx: Db, actor: Actor, id: string, patch: ProductPatch, now: Date): Promise<Product> {
  const before = await ownedProduct(trx, actor, id, true);
  if (patch.categoryId && !(await categoryExists(trx, patch.categoryId))) throw invalidField("categoryId", "no such category");
  const after = await trx
    .updateTable("products")
    .set({
      category_id: patch.categoryId ?? before.category_id,
      title: patch.title ?? before.title,
      subtitle: patch.subtitle ?? before.subtitle,
      description: patch.description ?? before.description,
      images: patch.images ?? before.images,
      role: patch.role ?? before.role,
      after_sale_exempt: patch.afterSaleExempt ?? before.after_sale_exempt,
      tags: patch.tags ? [...new Set(patch.tags)] : before.tags,
      updated_at: now,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const skus = await skusOf(trx, [id]);
  const product = toProduct(after, skus);
  await audit(trx, actor, { action: "product.update", entity: "product", entityId: id, before: toProduct(before, skus), after: product }, now);
  return product;
}

/** Puts a product on or off sale, along PRODUCT_TRANSITIONS. */
export async function setProductStatus(trx: Db, actor: Actor, id: string, status: ProductStatus, now: Date): Promise<Product> {
  const before = await ownedProduct(trx, actor, id, true);
  const skus = await skusOf(trx, [id]);
  assertProductTransition(before.status, status, skus.filter((s) => s.status === "active").length);
  const after = await trx.updateTable("products").set({ status, updated_at: now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  await audit(trx, actor, { action: "product.status", entity: "product", entityId: id, before: { status: before.status }, after: { status } }, now);
  return toProduct(after, skus);
}

export async function addSku(trx: Db, actor: Actor, productId: string, input: SkuInput, now: Date): Promise<Sku> {
  const product = await ownedProduct(trx, actor, productId, true);
  if (product.kind === "bundle") throw conflict("bundle_has_one_sku", "a bundle has exactly one SKU");
  const row = await insertSku(trx, product, input, "body", now);
  await refreshPriceFrom(trx, productId);
  await trx.updateTable("products").set({ updated_at: now }).where("id", "=", productId).execute();
  await audit(trx, actor, { action: "sku.create", entity: "sku", entityId: row.id, after: toSku(row) }, now);
  return toSku(row);
}

/** Price, code, weight and status change; specs and components stay (a different thing is a new SKU). */
export async function updateSku(trx: Db, actor: Actor, productId: string, skuId: string, patch: SkuPatch, now: Date): Promise<Sku> {
  await ownedProduct(trx, actor, productId, true);
  const before = await trx.selectFrom("skus").selectAll().where("id", "=", skuId).where("product_id", "=", productId).executeTakeFirst();
  if (!before) throw notFound("sku");
  if (patch.code && patch.code !== before.code) {
    const taken = await trx.selectFrom("skus").select("id").where("product_id", "=", productId).where("code", "=", patch.code).executeTakeFirst();
    if (taken) throw conflict("sku_exists", `SKU code ${patch.code} is taken in this product`, { field: "code" });
  }
  const after = await trx
    .updateTable("skus")
    .set({ code: patch.code ?? before.code, price: patch.price ?? before.price, weight_grams: patch.weightGrams ?? before.weight_grams, status: patch.status ?? before.status })
    .where("id", "=", skuId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await refreshPriceFrom(trx, productId);
  await trx.updateTable("products").set({ updated_at: now }).where("id", "=", productId).execute();
  await audit(trx, actor, { action: "sku.update", entity: "sku", entityId: skuId, before: toSku(before), after: toSku(after) }, now);
  return toSku(after);
}
