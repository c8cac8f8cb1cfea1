import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import type { Db } from "../../platform/db/database.js";
import { conflict, invalidField, notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { skusForSale } from "../catalog/catalog.service.js";
import { availableStock } from "../inventory/inventory.service.js";
import type { GroupbuyTables } from "./groupbuy.tables.js";
import { TEAM_STATES, type TeamState } from "./team-machine.js";

type ActivityRow = Selectable<GroupbuyTables["groupbuy_activities"]>;

/** What the activity page says when the platform may fill the last seat (000 §9: no silent fake fills). */
export const PLATFORM_FILL_NOTICE =
  "本活动开启「平台补位」：截止时若只差最后 1 人，由平台补足最后一个名额并成团，补位名额在团内明确标注为「平台补位」。" +
  " Platform fill is on: if a team is one member short at its deadline, the platform takes the last seat, shown in the team as a platform fill.";

export interface ActivityInput {
  title: string;
  teamSize: number;
  /** Minutes a team has to fill from the moment it is opened (24 h = 1440). */
  fillMinutes: number;
  /** Minutes a member has to pay before their order is cancelled and the seat freed. */
  paymentMinutes: number;
  /** Units one buyer may hold in this activity, over all teams. */
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  platformFillsLastSeat: boolean;
  skus: Array<{ skuId: string; groupPrice: number; leaderPrice: number; stock: number }>;
}

/** Creates a group-buy activity (operator, audited): prices at or below the SKU's, stock within what is available. */
export async function createActivity(deps: Deps, actor: Actor, input: ActivityInput): Promise<ActivityView> {
  const now = deps.clock.now();
  if (input.endsAt <= input.startsAt) throw invalidField("endsAt", "must be after startsAt");
  if (input.endsAt <= now) throw invalidField("endsAt", "must be in the future");
  if (input.paymentMinutes >= input.fillMinutes) throw invalidField("paymentMinutes", "must be shorter than fillMinutes");
  const ids = input.skus.map((s) => s.skuId);
  if (new Set(ids).size !== ids.length) throw invalidField("skus", "each SKU at most once");
  const forSale = await skusForSale(deps.db, input.skus.map((s) => ({ skuId: s.skuId, qty: 1 })));
  const available = await availableStock(deps.db, ids);
  input.skus.forEach((s, i) => {
    const sku = forSale.get(s.skuId);
    if (!sku) throw invalidField(`skus.${i}.skuId`, `no such SKU ${s.skuId}`);
    if (!sku.onSale) throw invalidField(`skus.${i}.skuId`, `${sku.productTitle} is not on sale`);
    if (sku.components.length > 0) throw invalidField(`skus.${i}.skuId`, "bundles cannot be group-bought");
    if (s.groupPrice > sku.listPrice) throw invalidField(`skus.${i}.groupPrice`, `must not exceed the SKU's price of ${sku.listPrice} fen`);
    if (s.leaderPrice > s.groupPrice) throw invalidField(`skus.${i}.leaderPrice`, "must not exceed the group price");
    const left = available.get(s.skuId) ?? 0;
    if (s.stock > left) throw invalidField(`skus.${i}.stock`, `only ${left} units of this SKU are available`);
  });
  const id = newId("gba");
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("groupbuy_activities")
      .values({
        id,
        title: input.title,
        team_size: input.teamSize,
        fill_minutes: input.fillMinutes,
        payment_minutes: input.paymentMinutes,
        per_user_limit: input.perUserLimit,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        platform_fills_last_seat: input.platformFillsLastSeat,
        ended_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto("groupbuy_activity_skus")
      .values(input.skus.map((s) => ({ activity_id: id, sku_id: s.skuId, group_price: s.groupPrice, leader_price: s.leaderPrice, stock: s.stock, stock_left: s.stock })))
      .execute();
    await audit(trx, actor, { action: "groupbuy.activity.create", entity: "groupbuy_activity", entityId: id, after: input }, now);
  });
  return getActivity(deps, id);
}

/** Ends an activity early (operator, audited): no new teams; teams already open run to their deadline. */
export async function endActivity(deps: Deps, actor: Actor, id: string): Promise<ActivityView> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("groupbuy_activities").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw notFound("group-buy activity");
    if (row.ended_at || row.ends_at <= now) throw conflict("activity_ended", "this activity has already ended");
    await trx.updateTable("groupbuy_activities").set({ ended_at: now, updated_at: now }).where("id", "=", id).execute();
    await audit(trx, actor, { action: "groupbuy.activity.end", entity: "groupbuy_activity", entityId: id, before: { endedAt: null }, after: { endedAt: now } }, now);
  });
  return getActivity(deps, id);
}

export type ActivityPhase = "upcoming" | "active" | "ended";

export function phaseOf(a: Pick<ActivityRow, "starts_at" | "ends_at" | "ended_at">, now: Date): ActivityPhase {
  if (a.ended_at || a.ends_at <= now) return "ended";
  return a.starts_at > now ? "upcoming" : "active";
}

export interface ActivityView {
  id: string;
  title: string;
  phase: ActivityPhase;
  teamSize: number;
  fillMinutes: number;
  paymentMinutes: number;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  endedAt: Date | null;
  platformFill: { enabled: boolean; notice: string | null };
  skus: Array<{ skuId: string; productId: string; title: string; specs: Record<string, string>; image: string | null; listPrice: number; groupPrice: number; leaderPrice: number; stock: number; stockLeft: number }>;
  serverTime: Date;
}

async function views(deps: Deps, rows: ActivityRow[]): Promise<ActivityView[]> {
  if (rows.length === 0) return [];
  const now = deps.clock.now();
  const skus = await deps.db.selectFrom("groupbuy_activity_skus").selectAll().where("activity_id", "in", rows.map((r) => r.id)).orderBy("sku_id").execute();
  const info = await skusForSale(deps.db, [...new Set(skus.map((s) => s.sku_id))].map((skuId) => ({ skuId, qty: 1 })));
  return rows.map((a) => ({
    id: a.id,
    title: a.title,
    phase: phaseOf(a, now),
    teamSize: a.team_size,
    fillMinutes: a.fill_minutes,
    paymentMinutes: a.payment_minutes,
    perUserLimit: a.per_user_limit,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    endedAt: a.ended_at,
    platformFill: { enabled: a.platform_fills_last_seat, notice: a.platform_fills_last_seat ? PLATFORM_FILL_NOTICE : null },
    skus: skus
      .filter((s) => s.activity_id === a.id)
      .map((s) => {
        const sku = info.get(s.sku_id);
        return {
          skuId: s.sku_id,
          productId: sku?.productId ?? "",
          title: sku?.productTitle ?? "",
          specs: sku?.specs ?? {},
          image: sku?.image ?? null,
          listPrice: sku?.listPrice ?? 0,
          groupPrice: s.group_price,
          leaderPrice: s.leader_price,
          stock: s.stock,
          stockLeft: s.stock_left,
        };
      }),
    serverTime: now,
  }));
}

export async function getActivity(deps: Deps, id: string): Promise<ActivityView> {
  const row = await deps.db.selectFrom("groupbuy_activities").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("group-buy activity");
  return (await views(deps, [row]))[0];
}

/** Activities buyers can open teams in now, ending soonest first. */
export async function listActiveActivities(deps: Deps): Promise<ActivityView[]> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom("groupbuy_activities")
    .selectAll()
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .where("ended_at", "is", null)
    .orderBy("ends_at")
    .orderBy("id")
    .limit(100)
    .execute();
  return views(deps, rows);
}

/** Every activity, newest first (operators), with how many of its teams are in each state. */
export async function listActivities(deps: Deps, q: { limit: number; after?: string }) {
  let query = deps.db.selectFrom("groupbuy_activities").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const page = await views(deps, rows.slice(0, q.limit));
  const counts = page.length
    ? await deps.db
        .selectFrom("groupbuy_teams")
        .select(["activity_id", "state", (eb) => eb.fn.countAll<string>().as("n")])
        .where("activity_id", "in", page.map((a) => a.id))
        .groupBy(["activity_id", "state"])
        .execute()
    : [];
  const items = page.map((a) => {
    const teams = Object.fromEntries(Object.keys(TEAM_STATES).map((s) => [s, 0])) as Record<TeamState, number>;
    for (const c of counts) if (c.activity_id === a.id) teams[c.state] = Number(c.n);
    return { ...a, teams };
  });
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** The activity as the seat rules need it, read in the caller's transaction. */
export async function activityTerms(db: Db, activityId: string) {
  return db.selectFrom("groupbuy_activities").selectAll().where("id", "=", activityId).executeTakeFirst();
}
