import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { invalidField, notFound } from "../../platform/errors.js";
import { availableStock } from "../inventory/inventory.service.js";
import { getMerchant, type Storefront, suspendedMerchantIds, toStorefront } from "../merchants/merchants.service.js";
import { listAttributes } from "./attributes.service.js";
import { skusForSale } from "./catalog.service.js";
import type { BundleComponent, CatalogTables, ProductRole } from "./catalog.tables.js";
import { withDescendants } from "./categories.service.js";
import { likeEscape } from "./products.service.js";

type ProductRow = CatalogTables["products"];

/** A product in a shopping list: enough to draw a tile. */
export interface ProductCard {
  id: string;
  merchantId: string;
  categoryId: string;
  title: string;
  subtitle: string;
  image: string | null;
  /** The lowest list price among its SKUs, in fen (the "¥x 起" of a tile). */
  priceFrom: number;
  role: ProductRole;
  tags: string[];
}

export type BrowseSort = "newest" | "price_asc" | "price_desc";

export interface BrowseQuery {
  q?: string;
  /** The category and everything below it. */
  categoryId?: string;
  tag?: string;
  merchantId?: string;
  sort?: BrowseSort;
  limit: number;
  after?: string;
}

const toCard = (r: ProductRow): ProductCard => ({
  id: r.id,
  merchantId: r.merchant_id,
  categoryId: r.category_id,
  title: r.title,
  subtitle: r.subtitle,
  image: r.images[0] ?? null,
  priceFrom: r.price_from ?? 0,
  role: r.role,
  tags: r.tags,
});

/** Price-sorted pages resume after (price, id): the cursor is `<priceFrom>:<id>`; newest-first pages after an id. */
function cursorOf(r: ProductRow, sort: BrowseSort): string {
  return sort === "newest" ? r.id : `${r.price_from}:${r.id}`;
}

function parsePriceCursor(after: string): { price: number; id: string } {
  const m = /^(\d{1,10}):(prd_[0-9A-Z]{26})$/.exec(after);
  if (!m) throw invalidField("after", "not a cursor from this listing");
  return { price: Number(m[1]), id: m[2] };
}

/** What buyers can browse: on-sale products with an active SKU, from stores that are not suspended. */
export async function browseProducts(db: Db, query: BrowseQuery): Promise<{ items: ProductCard[]; nextCursor: string | null }> {
  const sort = query.sort ?? "newest";
  let q = db.selectFrom("products").selectAll().where("status", "=", "on_sale").where("price_from", "is not", null).limit(query.limit + 1);
  const suspended = await suspendedMerchantIds(db);
  if (suspended.length > 0) q = q.where("merchant_id", "not in", suspended);
  if (query.categoryId) {
    const ids = await withDescendants(db, query.categoryId);
    if (ids.length === 0) return { items: [], nextCursor: null };
    q = q.where("category_id", "in", ids);
  }
  if (query.merchantId) q = q.where("merchant_id", "=", query.merchantId);
  if (query.tag) q = q.where("tags", "@>", sql<string[]>`array[${query.tag}]::text[]`);
  if (query.q) q = q.where((eb) => eb.or([eb("title", "ilike", `%${likeEscape(query.q!)}%`), eb("subtitle", "ilike", `%${likeEscape(query.q!)}%`)]));
  if (sort === "newest") {
    q = q.orderBy("id", "desc");
    if (query.after) q = q.where("id", "<", query.after);
  } else {
    const dir = sort === "price_asc" ? "asc" : "desc";
    q = q.orderBy("price_from", dir).orderBy("id", dir);
    if (query.after) {
      const c = parsePriceCursor(query.after);
      q = q.where(sql<boolean>`(price_from, id) ${sql.raw(dir === "asc" ? ">" : "<")} (${c.price}, ${c.id})`);
    }
  }
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  return { items: page.map(toCard), nextCursor: rows.length > query.limit ? cursorOf(page[page.length - 1], sort) : null };
}

export interface ShopperSku {
  id: string;
  code: string;
  specs: Record<string, string>;
  listPrice: number;
  /** What a buyer pays for one in our own store. */
  price: number;
  /** What a member pays for one, where a member price list makes it lower; null otherwise. */
  memberPrice: number | null;
  /** Units that can be ordered now; a bundle has as many as its scarcest component allows. */
  stock: number;
  components: BundleComponent[];
}

export interface ShopperProduct extends Omit<ProductCard, "image"> {
  kind: "standard" | "bundle";
  description: string;
  images: string[];
  afterSaleExempt: boolean;
  merchant: Storefront;
  /** The spec dimensions and their values, in attribute order, for the buyer to pick from. */
  specs: { name: string; values: string[] }[];
  skus: ShopperSku[];
}

function specOptions(skuSpecs: Record<string, string>[], order: { name: string; values: string[]; sort: number }[]): { name: string; values: string[] }[] {
  const values = new Map<string, string[]>();
  for (const specs of skuSpecs) for (const [k, v] of Object.entries(specs)) if (!(values.get(k) ?? []).includes(v)) values.set(k, [...(values.get(k) ?? []), v]);
  const rank = (name: string) => order.findIndex((a) => a.name === name);
  return [...values.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([name, vs]) => {
      const listed = order.find((a) => a.name === name)?.values ?? [];
      return { name, values: listed.length > 0 ? vs.sort((x, y) => listed.indexOf(x) - listed.indexOf(y)) : vs };
    });
}

/** A product page: on-sale products of active stores only; active SKUs with price and stock. */
export async function productForShopper(db: Db, id: string): Promise<ShopperProduct> {
  const row = await db.selectFrom("products").selectAll().where("id", "=", id).where("status", "=", "on_sale").executeTakeFirst();
  const merchant = row && (await getMerchant(db, row.merchant_id));
  if (!row || !merchant || merchant.status !== "active") throw notFound("product");
  const skus = await db.selectFrom("skus").selectAll().where("product_id", "=", id).where("status", "=", "active").orderBy("id").execute();
  const one = skus.map((s) => ({ skuId: s.id, qty: 1 }));
  const [guest, member] = [await skusForSale(db, one), await skusForSale(db, one, { member: true })];
  const stockIds = [...new Set(skus.flatMap((s) => (s.components.length > 0 ? s.components.map((c) => c.skuId) : [s.id])))];
  const stock = await availableStock(db, stockIds);
  const stockOf = (s: (typeof skus)[number]) =>
    s.components.length > 0 ? Math.min(...s.components.map((c) => Math.floor((stock.get(c.skuId) ?? 0) / c.qty))) : (stock.get(s.id) ?? 0);
  const { image: _image, ...card } = toCard(row);
  return {
    ...card,
    kind: row.kind,
    description: row.description,
    images: row.images,
    afterSaleExempt: row.after_sale_exempt,
    merchant: toStorefront(merchant),
    specs: specOptions(skus.map((s) => s.specs), await listAttributes(db)),
    skus: skus.map((s) => {
      const price = guest.get(s.id)!.price;
      const memberPrice = member.get(s.id)!.price;
      return { id: s.id, code: s.code, specs: s.specs, listPrice: s.price, price, memberPrice: memberPrice < price ? memberPrice : null, stock: stockOf(s), components: s.components };
    }),
  };
}

/** Tags in use on the shelves, most used first. */
export async function tagsInUse(db: Db): Promise<{ tag: string; products: number }[]> {
  const rows = await sql<{ tag: string; products: number }>`
    select tag, count(*)::int as products from products, unnest(tags) as tag
    where status = 'on_sale' group by tag order by products desc, tag`.execute(db);
  return rows.rows;
}
