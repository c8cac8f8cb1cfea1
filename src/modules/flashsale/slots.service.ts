import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { audit } from "../../platform/audit.js";
import type { Actor } from "../../platform/auth/principal.js";
import { HOUR, formatInDisplayZone } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { availableStock } from "../inventory/inventory.service.js";
import type { ItemTerms } from "./counter.js";
import type { FlashsaleTables } from "./flashsale.tables.js";

type SlotRow = Selectable<FlashsaleTables["flash_slots"]>;
type ItemRow = Selectable<FlashsaleTables["flash_items"]>;

export const DEFAULT_PAYMENT_MINUTES = 5;
export type SlotState = "upcoming" | "open" | "ended";

export function slotState(slot: Pick<SlotRow, "opens_at" | "closes_at">, now: Date): SlotState {
  if (now < slot.opens_at) return "upcoming";
  return now < slot.closes_at ? "open" : "ended";
}

export function termsOf(item: Pick<ItemRow, "stock" | "per_user_limit">, slot: Pick<SlotRow, "opens_at" | "closes_at">): ItemTerms {
  return { stock: item.stock, perUserLimit: item.per_user_limit, opensAt: slot.opens_at.getTime(), closesAt: slot.closes_at.getTime() };
}

/** The slot as a buyer's countdown needs it: state and milliseconds to the next change, from server time. */
function slotTiming(slot: SlotRow, now: Date) {
  const state = slotState(slot, now);
  return {
    id: slot.id,
    title: slot.title,
    opensAt: slot.opens_at,
    closesAt: slot.closes_at,
    /** Wall-clock opening time where the buyers are (Asia/Shanghai), e.g. "2026-06-01 10:00:00". */
    opensAtLocal: formatInDisplayZone(slot.opens_at),
    state,
    msToOpen: Math.max(0, slot.opens_at.getTime() - now.getTime()),
    msToClose: Math.max(0, slot.closes_at.getTime() - now.getTime()),
  };
}

async function lockSlot(trx: Db, id: string): Promise<SlotRow> {
  const slot = await trx.selectFrom("flash_slots").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!slot) throw notFound("flash slot");
  return slot;
}

/** Terms may change only before the sale starts: after that, buyers have acted on them. */
function assertUpcoming(slot: SlotRow, now: Date): void {
  const state = slotState(slot, now);
  if (state !== "upcoming") throw conflict("slot_started", `the slot is ${state}; its terms can no longer change`, { slotId: slot.id, state });
}

export interface SlotInput {
  title: string;
  opensAt: Date;
  closesAt: Date;
}

function checkWindow(opensAt: Date, closesAt: Date): void {
  if (closesAt <= opensAt) throw invalidField("closesAt", "must be after opensAt");
}

const slotAudit = (s: SlotRow) => ({ title: s.title, opensAt: s.opens_at, closesAt: s.closes_at });
const itemAudit = (i: ItemRow) => ({ slotId: i.slot_id, skuId: i.sku_id, flashPrice: i.flash_price, stock: i.stock, perUserLimit: i.per_user_limit, paymentMinutes: i.payment_minutes });

export async function createSlot(deps: Deps, actor: Actor, input: SlotInput) {
  checkWindow(input.opensAt, input.closesAt);
  const now = deps.clock.now();
  if (input.closesAt <= now) throw invalidField("closesAt", "must be in the future");
  const row: SlotRow = { id: newId("fss"), title: input.title, opens_at: input.opensAt, closes_at: input.closesAt, created_at: now, updated_at: now };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto("flash_slots").values(row).execute();
    await audit(trx, actor, { action: "flash_slot.create", entity: "flash_slot", entityId: row.id, after: slotAudit(row) }, now);
  });
  return slotView(deps, row.id, { staff: true });
}

export async function updateSlot(deps: Deps, actor: Actor, id: string, patch: Partial<SlotInput>) {
  const now = deps.clock.now();
  const items = await deps.db.transaction().execute(async (trx) => {
    const before = await lockSlot(trx, id);
    assertUpcoming(before, now);
    const after: SlotRow = { ...before, title: patch.title ?? before.title, opens_at: patch.opensAt ?? before.opens_at, closes_at: patch.closesAt ?? before.closes_at, updated_at: now };
    checkWindow(after.opens_at, after.closes_at);
    await trx.updateTable("flash_slots").set({ title: after.title, opens_at: after.opens_at, closes_at: after.closes_at, updated_at: now }).where("id", "=", id).execute();
    await audit(trx, actor, { action: "flash_slot.update", entity: "flash_slot", entityId: id, before: slotAudit(before), after: slotAudit(after) }, now);
    const rows = await trx.selectFrom("flash_items").selectAll().where("slot_id", "=", id).execute();
    return rows.map((i) => ({ id: i.id, terms: termsOf(i, after) }));
  });
  // After the commit: a failure here leaves the old window in the counter until reconciliation redefines it.
  for (const i of items) await deps.adapters.flashCounter.define(i.id, i.terms);
  return slotView(deps, id, { staff: true });
}

export async function deleteSlot(deps: Deps, actor: Actor, id: string): Promise<void> {
  const now = deps.clock.now();
  const itemIds = await deps.db.transaction().execute(async (trx) => {
    const before = await lockSlot(trx, id);
    assertUpcoming(before, now);
    const items = await trx.deleteFrom("flash_items").where("slot_id", "=", id).returningAll().execute();
    await trx.deleteFrom("flash_slots").where("id", "=", id).execute();
    await audit(trx, actor, { action: "flash_slot.delete", entity: "flash_slot", entityId: id, before: { ...slotAudit(before), items: items.map(itemAudit) } }, now);
    return items.map((i) => i.id);
  });
  for (const itemId of itemIds) await deps.adapters.flashCounter.remove(itemId);
}

export interface ItemInput {
  skuId: string;
  flashPrice: number;
  stock: number;
  perUserLimit: number;
  paymentMinutes?: number;
}

/** A flash price at or below the SKU's own price, and no more units than the SKU has available now. */
async function checkItem(db: Db, input: Omit<ItemInput, "paymentMinutes">): Promise<void> {
  const sku = (await skusForSale(db, [{ skuId: input.skuId, qty: 1 }])).get(input.skuId);
  if (!sku) throw invalidField("skuId", `no such SKU ${input.skuId}`);
  if (!sku.onSale) throw invalidField("skuId", `${sku.productTitle} is not on sale`);
  if (input.flashPrice > sku.listPrice) throw invalidField("flashPrice", `must not exceed the SKU's price of ${sku.listPrice} fen`);
  const available = (await availableStock(db, [input.skuId])).get(input.skuId) ?? 0;
  if (input.stock > available) throw invalidField("stock", `only ${available} units of this SKU are available`);
  if (input.perUserLimit > input.stock) throw invalidField("perUserLimit", "must not exceed the stock");
}

export async function addItem(deps: Deps, actor: Actor, slotId: string, input: ItemInput) {
  const now = deps.clock.now();
  await checkItem(deps.db, input);
  const { row, slot } = await deps.db.transaction().execute(async (trx) => {
    const slot = await lockSlot(trx, slotId);
    assertUpcoming(slot, now);
    const taken = await trx.selectFrom("flash_items").select("id").where("slot_id", "=", slotId).where("sku_id", "=", input.skuId).executeTakeFirst();
    if (taken) throw conflict("sku_in_slot", "this SKU is already in the slot", { itemId: taken.id });
    const row: ItemRow = {
      id: newId("fsi"),
      slot_id: slotId,
      sku_id: input.skuId,
      flash_price: input.flashPrice,
      stock: input.stock,
      per_user_limit: input.perUserLimit,
      payment_minutes: input.paymentMinutes ?? DEFAULT_PAYMENT_MINUTES,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto("flash_items").values(row).execute();
    await audit(trx, actor, { action: "flash_item.create", entity: "flash_item", entityId: row.id, after: itemAudit(row) }, now);
    return { row, slot };
  });
  await deps.adapters.flashCounter.define(row.id, termsOf(row, slot));
  return itemView(row, null);
}

export async function updateItem(deps: Deps, actor: Actor, itemId: string, patch: Partial<Omit<ItemInput, "skuId">>) {
  const now = deps.clock.now();
  const { after, slot } = await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("flash_items").selectAll().where("id", "=", itemId).forUpdate().executeTakeFirst();
    if (!before) throw notFound("flash item");
    const slot = await lockSlot(trx, before.slot_id);
    assertUpcoming(slot, now);
    const after: ItemRow = {
      ...before,
      flash_price: patch.flashPrice ?? before.flash_price,
      stock: patch.stock ?? before.stock,
      per_user_limit: patch.perUserLimit ?? before.per_user_limit,
      payment_minutes: patch.paymentMinutes ?? before.payment_minutes,
      updated_at: now,
    };
    await checkItem(trx, { skuId: after.sku_id, flashPrice: after.flash_price, stock: after.stock, perUserLimit: after.per_user_limit });
    await trx
      .updateTable("flash_items")
      .set({ flash_price: after.flash_price, stock: after.stock, per_user_limit: after.per_user_limit, payment_minutes: after.payment_minutes, updated_at: now })
      .where("id", "=", itemId)
      .execute();
    await audit(trx, actor, { action: "flash_item.update", entity: "flash_item", entityId: itemId, before: itemAudit(before), after: itemAudit(after) }, now);
    return { after, slot };
  });
  await deps.adapters.flashCounter.define(itemId, termsOf(after, slot));
  return itemView(after, null);
}

export async function removeItem(deps: Deps, actor: Actor, itemId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("flash_items").selectAll().where("id", "=", itemId).forUpdate().executeTakeFirst();
    if (!before) throw notFound("flash item");
    assertUpcoming(await lockSlot(trx, before.slot_id), now);
    await trx.deleteFrom("flash_items").where("id", "=", itemId).execute();
    await audit(trx, actor, { action: "flash_item.delete", entity: "flash_item", entityId: itemId, before: itemAudit(before) }, now);
  });
  await deps.adapters.flashCounter.remove(itemId);
}

function itemView(i: ItemRow, remaining: number | null) {
  return { id: i.id, slotId: i.slot_id, skuId: i.sku_id, flashPrice: i.flash_price, stock: i.stock, remaining, perUserLimit: i.per_user_limit, paymentMinutes: i.payment_minutes };
}

/** Server time and the slots around it (the last 12 hours' and the next 36 hours'), each with its countdown. */
export async function flashNow(deps: Deps) {
  const now = deps.clock.now();
  const slots = await deps.db
    .selectFrom("flash_slots")
    .selectAll()
    .where("closes_at", ">", new Date(now.getTime() - 12 * HOUR))
    .where("opens_at", "<", new Date(now.getTime() + 36 * HOUR))
    .orderBy("opens_at")
    .orderBy("id")
    .limit(50)
    .execute();
  return { serverTime: now, slots: slots.map((s) => slotTiming(s, now)) };
}

/**
 * One slot with its items and the units left (from the counter). Staff also see, per item, what the
 * database holds: units queued for an order, ordered and unpaid, paid.
 */
export async function slotView(deps: Deps, id: string, opts: { staff: boolean }) {
  const now = deps.clock.now();
  const slot = await deps.db.selectFrom("flash_slots").selectAll().where("id", "=", id).executeTakeFirst();
  if (!slot) throw notFound("flash slot");
  const items = await deps.db.selectFrom("flash_items").selectAll().where("slot_id", "=", id).orderBy("id").execute();
  const ids = items.map((i) => i.id);
  const [remaining, skus, counts] = await Promise.all([
    deps.adapters.flashCounter.remaining(ids),
    skusForSale(deps.db, items.map((i) => ({ skuId: i.sku_id, qty: 1 }))),
    opts.staff && ids.length > 0
      ? deps.db.selectFrom("flash_attempts").select(["item_id", "status", (eb) => eb.fn.sum<number>("qty").as("units")]).where("item_id", "in", ids).groupBy(["item_id", "status"]).execute()
      : Promise.resolve([]),
  ]);
  return {
    serverTime: now,
    ...slotTiming(slot, now),
    items: items.map((i) => {
      const sku = skus.get(i.sku_id);
      const units = (status: string) => Number(counts.find((c) => c.item_id === i.id && c.status === status)?.units ?? 0);
      return {
        ...itemView(i, remaining.get(i.id) ?? null),
        title: sku?.productTitle ?? null,
        image: sku?.image ?? null,
        listPrice: sku?.listPrice ?? null,
        ...(opts.staff ? { units: { queued: units("queued"), ordered: units("ordered"), paid: units("paid"), released: units("released"), failed: units("failed") } } : {}),
      };
    }),
  };
}

export async function listSlots(deps: Deps, q: { limit: number; after?: string }) {
  let query = deps.db.selectFrom("flash_slots").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const now = deps.clock.now();
  const items = rows.slice(0, q.limit).map((s) => slotTiming(s, now));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}
