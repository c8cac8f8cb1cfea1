import { type SelectQueryBuilder, sql } from "kysely";
import type { Deps } from "../../deps.js";
import type { Database } from "../../database.js";
import type { Db } from "../../platform/db/database.js";
import { notFound } from "../../platform/errors.js";
import { displayNames, findUser } from "../identity/identity.service.js";
import { shareUrl, toAttribution } from "./sharing.service.js";

/** The share funnel for one slice: shares → visits (unique visitors) → registrations → orders → GMV. */
export interface ShareStats {
  shares: number;
  visits: number;
  clicks: number;
  uniqueVisitors: number;
  registrations: number;
  /** Attributed orders placed (cancelled ones included). */
  orders: number;
  paidOrders: number;
  /** Paid attributed orders' payable minus what was refunded, in fen. */
  gmv: number;
}

export interface StatsFilter {
  sharerId?: string;
  campaignId?: string;
  channel?: string;
}
export type StatsGroup = "channel" | "campaign" | "sharer";
const GROUP_COLUMN = { channel: "channel", campaign: "campaign_id", sharer: "sharer_id" } as const;

const empty = (): ShareStats => ({ shares: 0, visits: 0, clicks: 0, uniqueVisitors: 0, registrations: 0, orders: 0, paidOrders: 0, gmv: 0 });

// The three tables carry sharer, channel and campaign alike, so one filter and one grouping fit all.
type Sliceable = "shares" | "share_visits" | "share_attributions";
function sliced<T extends Sliceable, O>(q: SelectQueryBuilder<Database, T, O>, f: StatsFilter, group: StatsGroup | null) {
  let query = q as unknown as SelectQueryBuilder<Database, "shares", O>;
  if (f.sharerId) query = query.where("sharer_id", "=", f.sharerId);
  if (f.campaignId) query = query.where("campaign_id", "=", f.campaignId);
  if (f.channel) query = query.where("channel", "=", f.channel);
  const key = group ? sql<string | null>`${sql.ref(GROUP_COLUMN[group])}` : sql<string | null>`null`;
  return query.select(key.as("key")).$if(group !== null, (qb) => qb.groupBy(sql.ref(GROUP_COLUMN[group!]) as never));
}

/** The funnel per group value (or one total row, key null), each figure an exact count or sum. */
export async function shareStats(db: Db, filter: StatsFilter, group: StatsGroup | null): Promise<Array<{ key: string | null } & ShareStats>> {
  const [shares, visits, outcomes] = await Promise.all([
    sliced(db.selectFrom("shares").select((eb) => eb.fn.countAll<number>().as("shares")), filter, group).execute(),
    sliced(
      db.selectFrom("share_visits").select((eb) => [eb.fn.countAll<number>().as("visits"), eb.fn.sum<number>("clicks").as("clicks"), eb.fn.count<number>("visitor_id").distinct().as("unique_visitors")]),
      filter,
      group,
    ).execute(),
    sliced(
      db.selectFrom("share_attributions").select([
        sql<number>`count(*) filter (where subject_type = 'registration')`.as("registrations"),
        sql<number>`count(*) filter (where subject_type = 'order')`.as("orders"),
        sql<number>`count(*) filter (where subject_type = 'order' and paid_at is not null)`.as("paid_orders"),
        sql<number>`coalesce(sum(payable - refunded_amount) filter (where subject_type = 'order' and paid_at is not null), 0)`.as("gmv"),
      ]),
      filter,
      group,
    ).execute(),
  ]);
  const rows = new Map<string | null, ShareStats>();
  const at = (key: string | null) => rows.get(key) ?? rows.set(key, empty()).get(key)!;
  for (const r of shares) at(r.key).shares = Number(r.shares);
  for (const r of visits) Object.assign(at(r.key), { visits: Number(r.visits), clicks: Number(r.clicks ?? 0), uniqueVisitors: Number(r.unique_visitors) });
  for (const r of outcomes) Object.assign(at(r.key), { registrations: Number(r.registrations), orders: Number(r.orders), paidOrders: Number(r.paid_orders), gmv: Number(r.gmv) });
  if (!group && rows.size === 0) rows.set(null, empty());
  return [...rows.entries()].map(([key, stats]) => ({ key, ...stats })).sort((a, b) => b.gmv - a.gmv || b.visits - a.visits || String(a.key).localeCompare(String(b.key)));
}

/** Totals and one row per group value. */
export async function statsReport(db: Db, filter: StatsFilter, group: StatsGroup) {
  const [[total], rows] = await Promise.all([shareStats(db, filter, null), shareStats(db, filter, group)]);
  const { key: _key, ...totals } = total;
  return { groupBy: group, filter, total: totals, rows };
}

/** The chain behind one attributed order: share and sharer → the buyer's visits → registration → order. */
export async function orderChain(deps: Deps, orderId: string) {
  const db = deps.db;
  const row = await db.selectFrom("share_attributions").selectAll().where("subject_type", "=", "order").where("subject_id", "=", orderId).executeTakeFirst();
  if (!row) throw notFound("attribution of this order");
  const [share, visits, registration, buyer] = await Promise.all([
    db.selectFrom("shares").selectAll().where("id", "=", row.share_id).executeTakeFirstOrThrow(),
    db.selectFrom("share_visits").selectAll().where("share_id", "=", row.share_id).where("user_id", "=", row.user_id).orderBy("first_at").execute(),
    db.selectFrom("share_attributions").selectAll().where("subject_type", "=", "registration").where("subject_id", "=", row.user_id).executeTakeFirst(),
    findUser(db, row.user_id),
  ]);
  const names = await displayNames(db, [row.sharer_id, row.user_id, ...(registration ? [registration.sharer_id] : [])]);
  return {
    orderId,
    rule: row.rule,
    attributedAt: row.at,
    touchedAt: row.touched_at,
    share: { id: share.id, token: share.token, url: shareUrl(deps, share.token), channel: share.channel, campaignId: share.campaign_id, targetType: share.target_type, targetId: share.target_id, createdAt: share.created_at },
    sharer: { userId: row.sharer_id, displayName: names.get(row.sharer_id) ?? "" },
    visits: visits.map((v) => ({ id: v.id, firstAt: v.first_at, lastAt: v.last_at, clicks: v.clicks, deviceId: v.device_id, credited: v.id === row.visit_id })),
    registration: {
      userId: row.user_id,
      displayName: names.get(row.user_id) ?? "",
      registeredAt: buyer?.created_at ?? null,
      attribution: registration ? { ...toAttribution(registration), sharerName: names.get(registration.sharer_id) ?? "", at: registration.at } : null,
    },
    order: { id: orderId, payable: row.payable, status: row.order_status, paidAt: row.paid_at, refundedAmount: row.refunded_amount },
  };
}
