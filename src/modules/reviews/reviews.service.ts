import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { audit } from "../../platform/audit.js";
import type { Actor } from "../../platform/auth/principal.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound, unprocessable } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { displayNames } from "../identity/identity.service.js";
import { resolveOwnMedia } from "../media/media.service.js";
import { type Viewer, getOrder } from "../orders/orders.service.js";
import type { ReviewStatus, ReviewsTables } from "./reviews.tables.js";

type ReviewRow = Selectable<ReviewsTables["reviews"]>;

export const MAX_PHOTOS = 9;
export const ANONYMOUS_NAME = "匿名用户";

export interface NewReview {
  orderItemId: string;
  rating: number;
  text: string;
  /** Media ids or /uploads URLs of the buyer's own uploads. */
  photos: string[];
  anonymous: boolean;
}

/** A review as the public sees it: an anonymous one names nobody. */
export interface PublicReview {
  id: string;
  productId: string;
  skuId: string;
  rating: number;
  text: string;
  photos: string[];
  author: string;
  anonymous: boolean;
  reply: string | null;
  repliedAt: Date | null;
  createdAt: Date;
}

/** A review as its author and staff see it. */
export interface ReviewView extends PublicReview {
  orderId: string;
  orderItemId: string;
  merchantId: string;
  userId: string;
  status: ReviewStatus;
  hiddenReason: string | null;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === "23505";

async function authors(db: Db, rows: ReviewRow[]): Promise<Map<string, string>> {
  return displayNames(db, rows.filter((r) => !r.anonymous).map((r) => r.user_id));
}

function toPublic(r: ReviewRow, names: Map<string, string>): PublicReview {
  return {
    id: r.id,
    productId: r.product_id,
    skuId: r.sku_id,
    rating: r.rating,
    text: r.text,
    photos: r.photos,
    author: r.anonymous ? ANONYMOUS_NAME : (names.get(r.user_id) ?? ""),
    anonymous: r.anonymous,
    reply: r.reply,
    repliedAt: r.replied_at,
    createdAt: r.created_at,
  };
}

function toView(r: ReviewRow, names: Map<string, string>): ReviewView {
  return { ...toPublic(r, names), orderId: r.order_id, orderItemId: r.order_item_id, merchantId: r.merchant_id, userId: r.user_id, status: r.status, hiddenReason: r.hidden_reason };
}

async function views(db: Db, rows: ReviewRow[]): Promise<ReviewView[]> {
  const names = await authors(db, rows);
  return rows.map((r) => toView(r, names));
}

/** The buyer reviews items of a completed order: each item once, with up to nine of their own photos. */
export async function postReviews(deps: Deps, input: { orderId: string; userId: string; reviews: NewReview[] }): Promise<ReviewView[]> {
  const order = await getOrder(deps, input.orderId, { kind: "buyer", userId: input.userId });
  if (order.status !== "completed") throw unprocessable("order_not_completed", `an order that is ${order.status} cannot be reviewed yet; reviews open once receipt is confirmed`, { status: order.status });
  if (new Set(input.reviews.map((r) => r.orderItemId)).size !== input.reviews.length) throw invalidField("reviews", "review each item once");
  const now = deps.clock.now();
  const rows: ReviewRow[] = [];
  for (const [n, r] of input.reviews.entries()) {
    const item = order.items.find((i) => i.id === r.orderItemId);
    if (!item) throw invalidField(`reviews.${n}.orderItemId`, `no such item in order ${order.id}`);
    const photos = await resolveOwnMedia(deps.db, input.userId, r.photos, `reviews.${n}.photos`);
    rows.push({
      id: newId("rev"),
      order_id: order.id,
      order_item_id: item.id,
      product_id: item.productId,
      sku_id: item.skuId,
      merchant_id: order.merchantId,
      user_id: input.userId,
      rating: r.rating,
      text: r.text,
      photos,
      has_photos: photos.length > 0,
      anonymous: r.anonymous,
      status: "visible",
      hidden_reason: null,
      reply: null,
      replied_at: null,
      created_at: now,
      updated_at: now,
    });
  }
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto("reviews").values(rows.map((r) => ({ ...r, photos: JSON.stringify(r.photos) }))).execute();
      for (const r of rows) {
        await publish(trx, "review.created", r.id, { reviewId: r.id, orderId: r.order_id, productId: r.product_id, userId: r.user_id, rating: r.rating, hasPhotos: r.has_photos }, now);
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("already_reviewed", "an item of this order has been reviewed already; each item is reviewed once");
    throw err;
  }
  deps.events.poke();
  return views(deps.db, rows);
}

/** The buyer's own reviews of one order (hidden ones too, with the reason). */
export async function reviewsOfOrder(deps: Deps, orderId: string, userId: string): Promise<ReviewView[]> {
  await getOrder(deps, orderId, { kind: "buyer", userId });
  return views(deps.db, await deps.db.selectFrom("reviews").selectAll().where("order_id", "=", orderId).orderBy("id").execute());
}

export interface ReviewSummary {
  count: number;
  /** Mean rating rounded to one decimal (4.66… → 4.7); null without reviews. */
  average: number | null;
  stars: Record<"1" | "2" | "3" | "4" | "5", number>;
  withPhotos: number;
}

/** Visible reviews of a product, newest first, with the rating summary over all of them. */
export async function productReviews(
  deps: Deps,
  productId: string,
  q: { photosOnly?: boolean; limit: number; after?: string },
): Promise<{ summary: ReviewSummary; items: PublicReview[]; nextCursor: string | null }> {
  const visible = deps.db.selectFrom("reviews").where("product_id", "=", productId).where("status", "=", "visible");
  const counts = await visible
    .select(["rating", (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>(eb.case().when("has_photos", "=", true).then(1).else(0).end()).as("photos")])
    .groupBy("rating")
    .execute();
  const stars = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
  let count = 0;
  let total = 0;
  let withPhotos = 0;
  for (const c of counts) {
    stars[String(c.rating) as keyof typeof stars] = Number(c.n);
    count += Number(c.n);
    total += c.rating * Number(c.n);
    withPhotos += Number(c.photos);
  }
  let page = visible.selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.photosOnly) page = page.where("has_photos", "=", true);
  if (q.after) page = page.where("id", "<", q.after);
  const rows = await page.execute();
  const names = await authors(deps.db, rows);
  const items = rows.slice(0, q.limit).map((r) => toPublic(r, names));
  return {
    summary: { count, average: count ? Math.round((total * 10) / count) / 10 : null, stars, withPhotos },
    items,
    nextCursor: rows.length > q.limit ? items[items.length - 1].id : null,
  };
}

/** Reviews for moderation: a merchant sees those of its own products, an operator all. */
export async function listReviews(deps: Deps, viewer: Viewer, q: { status?: ReviewStatus; productId?: string; rating?: number; limit: number; after?: string }) {
  let query = deps.db.selectFrom("reviews").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (viewer.kind === "merchant") query = query.where("merchant_id", "=", viewer.merchantId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.productId) query = query.where("product_id", "=", q.productId);
  if (q.rating) query = query.where("rating", "=", q.rating);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const items = await views(deps.db, rows.slice(0, q.limit));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

async function moderate(deps: Deps, id: string, staff: { viewer: Viewer; actor: Actor }, action: string, changes: (row: ReviewRow, now: Date) => Partial<Pick<ReviewRow, "status" | "hidden_reason" | "reply" | "replied_at">>): Promise<ReviewView> {
  const now = deps.clock.now();
  const updated = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("reviews").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row || (staff.viewer.kind === "merchant" && row.merchant_id !== staff.viewer.merchantId)) throw notFound("review");
    const set = { ...changes(row, now), updated_at: now };
    const after = await trx.updateTable("reviews").set(set).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    const pick = (r: ReviewRow) => Object.fromEntries(Object.keys(set).filter((k) => k !== "updated_at").map((k) => [k, r[k as keyof ReviewRow]]));
    await audit(trx, staff.actor, { action: `review.${action}`, entity: "review", entityId: id, before: pick(row), after: pick(after) }, now);
    return after;
  });
  return (await views(deps.db, [updated]))[0];
}

/** Hides a review from the product page, saying why (the author still sees it, with the reason). */
export function hideReview(deps: Deps, id: string, staff: { viewer: Viewer; actor: Actor }, reason: string): Promise<ReviewView> {
  return moderate(deps, id, staff, "hide", () => ({ status: "hidden", hidden_reason: reason }));
}

export function showReview(deps: Deps, id: string, staff: { viewer: Viewer; actor: Actor }): Promise<ReviewView> {
  return moderate(deps, id, staff, "show", () => ({ status: "visible", hidden_reason: null }));
}

/** The merchant's (or an operator's) public answer; a second reply replaces the first. */
export function replyToReview(deps: Deps, id: string, staff: { viewer: Viewer; actor: Actor }, text: string): Promise<ReviewView> {
  return moderate(deps, id, staff, "reply", (_row, now) => ({ reply: text, replied_at: now }));
}
