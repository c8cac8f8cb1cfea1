import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { shareByToken } from "../sharing/sharing.service.js";
import { shanghaiDay } from "./calendar.js";

/** What a browser may report (the `/track` endpoint accepts only these). */
export const BROWSER_EVENT_TYPES = ["page_view", "product_view", "share", "click", "add_to_cart"] as const;
/** What the server records from the outbox; a browser can never send these. */
export const SERVER_EVENT_TYPES = ["registration", "order", "payment", "refund", "share_created", "reward", "commission"] as const;
export const EVENT_TYPES = [...BROWSER_EVENT_TYPES, ...SERVER_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Fission paths (裂变路径): how a visit, a sign-up or an order came about. */
export const FISSION_PATHS = ["share", "invite", "groupbuy", "bargain", "coupon", "distribution", "organic"] as const;
export type FissionPath = (typeof FISSION_PATHS)[number];

/** Things that happen to a person rather than things they do: they make nobody active. */
const PASSIVE_TYPES = new Set<string>(["refund", "reward", "commission"]);

/** One event to record. Server-side types also create or complete the per-user, per-order and cost facts. */
export interface AnalyticsEventInput {
  type: EventType;
  at: Date;
  /** The signed-in user; server-side events always have one. */
  userId?: string | null;
  /** The browser's id (localStorage) when nobody is signed in, or alongside the user to link the two. */
  anonymousId?: string | null;
  sessionId?: string | null;
  channel?: string | null;
  campaignId?: string | null;
  campaignType?: string | null;
  path?: string | null;
  shareToken?: string | null;
  /** utm_source / utm_medium of the visit. */
  source?: string | null;
  medium?: string | null;
  productId?: string | null;
  /** Orders: every product in the order (productId is the first). */
  productIds?: string[] | null;
  orderId?: string | null;
  /** Fen: the order's payable, the refund, the reward's cost, the commission. */
  amount?: number | null;
  /** Registrations: who invited this user. */
  inviterId?: string | null;
  /** Registrations and orders: the sharer whose share they are credited to. */
  sharerId?: string | null;
  /** Orders and commissions: the promoter credited (分销员). */
  promoterId?: string | null;
  /** Rewards and commissions: their id, so later cancellations and reversals can find them. */
  costId?: string | null;
  props?: Record<string, unknown> | null;
}

/** Rows per statement: big enough to amortise round trips, small enough to keep statements quick. */
const CHUNK = 5000;

/**
 * Records a batch of events in one transaction (the caller's, when `db` is one): one multi-row insert
 * into the log, one upsert into each rollup, and the facts server-side events bring. Returns how many
 * events were recorded. The `/track` endpoint, the outbox subscribers, the demo loader and the bench
 * all come through here.
 */
export async function recordEvents(db: Db, events: AnalyticsEventInput[]): Promise<number> {
  if (events.length === 0) return 0;
  const known = db.isTransaction ? new Map<string, string>() : (knownLinks.get(db) ?? knownLinks.set(db, new Map()).get(db)!);
  const learned = new Map<string, string>();
  const run = async (trx: Db) => {
    for (let i = 0; i < events.length; i += CHUNK) await recordChunk(trx, events.slice(i, i + CHUNK), known, learned);
    return events.length;
  };
  if (db.isTransaction) return run(db);
  const once = () =>
    db.transaction().execute(async (trx) => {
      // Page views are not money: should the database crash, losing its last moment of them is
      // acceptable, and not waiting for the flush to disk makes each batch cheaper. A caller's
      // transaction (an outbox delivery) keeps its own durability.
      await sql`set local synchronous_commit = off`.execute(trx);
      return run(trx);
    });
  // Two batches linking the same new browser at once can deadlock; PostgreSQL aborts one, which is
  // then simply written again.
  let recorded: number;
  for (let attempt = 1; ; attempt++) {
    try {
      recorded = await once();
      break;
    } catch (err) {
      if (attempt >= 3 || (err as { code?: string }).code !== "40P01") throw err;
      learned.clear();
    }
  }
  if (known.size + learned.size > KNOWN_LINKS_LIMIT) known.clear();
  for (const [anon, user] of learned) known.set(anon, user);
  return recorded;
}

/**
 * Browser → user links this process has seen committed, per database handle: a link never changes,
 * so a browser met again needs no lookup. Filled after the commit that wrote or read them.
 */
const knownLinks = new WeakMap<Db, Map<string, string>>();
const KNOWN_LINKS_LIMIT = 200_000;

interface Row extends AnalyticsEventInput {
  day: string;
}

const anonActor = (anonymousId: string) => `anon:${anonymousId}`;

function check(e: AnalyticsEventInput): void {
  const missing = (field: string) => new Error(`analytics event ${e.type} needs ${field}`);
  if (!e.userId && !e.anonymousId) throw missing("a userId or an anonymousId");
  if ((SERVER_EVENT_TYPES as readonly string[]).includes(e.type) && !e.userId) throw missing("a userId");
  if (["order", "payment", "refund"].includes(e.type) && !e.orderId) throw missing("an orderId");
  if ((e.type === "reward" || e.type === "commission") && !e.costId) throw missing("a costId");
}

/** Per browser, the first user it is seen with in the batch and the UTM source it carried while anonymous. */
interface Link {
  userId: string;
  at: Date;
  source: string | null;
  medium: string | null;
}

function linksIn(events: AnalyticsEventInput[]): Map<string, Link> {
  const links = new Map<string, Link>();
  for (const e of events) if (e.userId && e.anonymousId && !links.has(e.anonymousId)) links.set(e.anonymousId, { userId: e.userId, at: e.at, source: null, medium: null });
  for (const e of events) {
    const link = !e.userId && e.anonymousId && e.source ? links.get(e.anonymousId) : undefined;
    if (link && !link.source) Object.assign(link, { source: e.source, medium: e.medium ?? null });
  }
  return links;
}

async function recordChunk(trx: Db, events: AnalyticsEventInput[], known: Map<string, string>, learned: Map<string, string>): Promise<void> {
  events.forEach(check);
  const owners = await ownersOf(trx, events, known, learned);
  // Browsers seen signed in for the first time: their anonymous events in this batch are the user's already.
  const fresh = new Map([...linksIn(events)].filter(([anon]) => !owners.has(anon)));
  for (const [anon, link] of fresh) owners.set(anon, link.userId);
  const shares = await sharesOf(trx, events);
  const rows: Row[] = events.map((e) => {
    const share = e.shareToken ? shares.get(e.shareToken) : undefined;
    const userId = e.userId ?? owners.get(e.anonymousId!) ?? null;
    return {
      ...e,
      userId,
      channel: e.channel ?? share?.channel ?? null,
      campaignId: e.campaignId ?? share?.campaignId ?? null,
      path: e.path ?? (share ? "share" : null),
      promoterId: e.promoterId ?? share?.sharerId ?? null,
      productId: e.productId ?? e.productIds?.[0] ?? null,
      day: shanghaiDay(e.at),
    };
  });
  await insertLogAndRollups(trx, rows);
  if (fresh.size > 0) for (const [anon, user] of await linkIdentities(trx, fresh)) learned.set(anon, user);
  await recordFacts(trx, rows);
}

const col = <T>(rows: Row[], pick: (r: Row) => T | null | undefined) => rows.map((r) => pick(r) ?? null);

/**
 * A column for `unnest`, or null when every value is null: unnest pads a null array with nulls, and
 * most columns are empty for most events, so the batch travels lighter.
 */
function sparse<T>(rows: Row[], pick: (r: Row) => T | null | undefined): (T | null)[] | null {
  const values = col(rows, pick);
  return values.some((v) => v !== null) ? values : null;
}

/**
 * One statement: the multi-row insert into the log, and from the rows it returns, the upserts into the
 * daily counts and the daily and weekly actors. Rollup rows are written in key order, so concurrent batches lock
 * them in one order and cannot deadlock.
 */
async function insertLogAndRollups(trx: Db, rows: Row[]): Promise<void> {
  await sql`
    with logged as (
      insert into analytics_events (type, at, day, actor_id, user_id, anonymous_id, session_id, channel, campaign_id, campaign_type,
        path, share_token, source, medium, product_id, order_id, promoter_id, amount, props)
      select type, at, day, coalesce(user_id, 'anon:' || anonymous_id), user_id, anonymous_id, session_id, channel, campaign_id, campaign_type,
        path, share_token, source, medium, product_id, order_id, promoter_id, amount, props
      from unnest(
        ${col(rows, (r) => r.type)}::text[], ${col(rows, (r) => r.at.toISOString())}::timestamptz[], ${col(rows, (r) => r.day)}::date[],
        ${sparse(rows, (r) => r.userId)}::text[], ${sparse(rows, (r) => r.anonymousId)}::text[], ${sparse(rows, (r) => r.sessionId)}::text[],
        ${sparse(rows, (r) => r.channel)}::text[], ${sparse(rows, (r) => r.campaignId)}::text[], ${sparse(rows, (r) => r.campaignType)}::text[],
        ${sparse(rows, (r) => r.path)}::text[], ${sparse(rows, (r) => r.shareToken)}::text[], ${sparse(rows, (r) => r.source)}::text[],
        ${sparse(rows, (r) => r.medium)}::text[], ${sparse(rows, (r) => r.productId)}::text[], ${sparse(rows, (r) => r.orderId)}::text[],
        ${sparse(rows, (r) => r.promoterId)}::text[], ${sparse(rows, (r) => r.amount)}::bigint[],
        ${sparse(rows, (r) => (r.props ? JSON.stringify(r.props) : null))}::jsonb[])
        as t(type, at, day, user_id, anonymous_id, session_id, channel, campaign_id, campaign_type, path, share_token, source, medium,
          product_id, order_id, promoter_id, amount, props)
      returning day, type, actor_id, coalesce(channel, '') as channel, coalesce(campaign_id, '') as campaign_id, coalesce(path, '') as path,
        coalesce(amount, 0) as amount),
    counted as (
      insert into analytics_daily_counts (day, type, channel, campaign_id, path, events, amount)
      select day, type, channel, campaign_id, path, count(*), sum(amount) from logged
      group by day, type, channel, campaign_id, path
      order by day, type, channel, campaign_id, path
      on conflict (day, type, channel, campaign_id, path)
      do update set events = analytics_daily_counts.events + excluded.events, amount = analytics_daily_counts.amount + excluded.amount),
    daily as (
      insert into analytics_daily_actors (day, actor_id)
      select distinct day, actor_id from logged where type <> all(${[...PASSIVE_TYPES]}::text[]) order by actor_id, day
      on conflict do nothing)
    insert into analytics_weekly_actors (week, actor_id)
    select distinct day - extract(isodow from day)::int + 1, actor_id from logged where type <> all(${[...PASSIVE_TYPES]}::text[]) order by 2, 1
    on conflict do nothing`.execute(trx);
}

/**
 * The first event that carries both a user and an anonymous id links the two for good: the browser's
 * earlier anonymous events and its days and weeks in the active-user rollups become the user's (this
 * batch's were credited before they were written), and the UTM source it first arrived with becomes
 * the user's source if they have none yet. Called with browsers not linked before; the rewriting runs
 * for those this call links, passed as arrays so each step is an index lookup.
 */
async function linkIdentities(trx: Db, links: Map<string, Link>): Promise<Map<string, string>> {
  const anon = [...links.keys()].sort();
  const field = <K extends keyof Link>(k: K) => anon.map((a) => links.get(a)![k]);
  const linked = await sql<{ anonymous_id: string; user_id: string; source: string | null; medium: string | null; history: boolean }>`
    with candidates as (
      select p.anonymous_id, p.user_id, p.linked_at, coalesce(prior.source, p.source) as source,
        case when prior.source is null then p.medium else prior.medium end as medium,
        exists (select 1 from analytics_events e where e.anonymous_id = p.anonymous_id and e.user_id is null) as history
      from unnest(${anon}::text[], ${field("userId")}::text[], ${field("at").map((d) => d.toISOString())}::timestamptz[],
        ${field("source")}::text[], ${field("medium")}::text[]) as p(anonymous_id, user_id, linked_at, source, medium)
      left join lateral (
        select e.source, e.medium from analytics_events e
        where e.anonymous_id = p.anonymous_id and e.user_id is null and e.source is not null order by e.at limit 1) prior on true),
    inserted as (
      insert into analytics_identities (anonymous_id, user_id, linked_at, source, medium)
      select anonymous_id, user_id, linked_at, source, medium from candidates order by anonymous_id
      on conflict do nothing
      returning anonymous_id)
    select c.anonymous_id, c.user_id, c.source, c.medium, c.history from candidates c join inserted using (anonymous_id)`.execute(trx);
  // Most browsers sign in before anything of theirs was written anonymously: nothing to move.
  const moved = linked.rows.filter((r) => r.history);
  const sourced = linked.rows.filter((r) => r.source);
  if (moved.length + sourced.length === 0) return new Map(linked.rows.map((r) => [r.anonymous_id, r.user_id]));
  const ids = moved.map((r) => r.anonymous_id);
  const users = moved.map((r) => r.user_id);
  const actors = ids.map(anonActor);
  await sql`
    with sourced as (
      update analytics_users u set source = l.source, medium = l.medium
      from unnest(${sourced.map((r) => r.user_id)}::text[], ${sourced.map((r) => r.source)}::text[], ${sourced.map((r) => r.medium)}::text[]) as l(user_id, source, medium)
      where u.user_id = l.user_id and u.source is null),
    rewritten as (
      update analytics_events e set user_id = l.user_id, actor_id = l.user_id
      from unnest(${ids}::text[], ${users}::text[]) as l(anonymous_id, user_id)
      where e.anonymous_id = l.anonymous_id and e.user_id is null),
    days as (
      insert into analytics_daily_actors (day, actor_id)
      select a.day, l.user_id from unnest(${actors}::text[], ${users}::text[]) as l(actor_id, user_id)
      join analytics_daily_actors a on a.actor_id = l.actor_id
      order by 2, 1
      on conflict do nothing),
    weeks as (
      insert into analytics_weekly_actors (week, actor_id)
      select a.week, l.user_id from unnest(${actors}::text[], ${users}::text[]) as l(actor_id, user_id)
      join analytics_weekly_actors a on a.actor_id = l.actor_id
      order by 2, 1
      on conflict do nothing),
    anonymous_days as (delete from analytics_daily_actors where actor_id = any(${actors}::text[]))
    delete from analytics_weekly_actors where actor_id = any(${actors}::text[])`.execute(trx);
  return new Map(linked.rows.map((r) => [r.anonymous_id, r.user_id]));
}

/** The user each browser in the batch was linked to before, from this process's memory or the database. */
async function ownersOf(trx: Db, events: AnalyticsEventInput[], known: Map<string, string>, learned: Map<string, string>): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const unknown: string[] = [];
  for (const anon of new Set(events.filter((e) => e.anonymousId).map((e) => e.anonymousId!))) {
    const user = known.get(anon) ?? learned.get(anon);
    if (user) owners.set(anon, user);
    else unknown.push(anon);
  }
  if (unknown.length === 0) return owners;
  const rows = await trx.selectFrom("analytics_identities").select(["anonymous_id", "user_id"]).where("anonymous_id", "in", unknown).execute();
  for (const r of rows) {
    owners.set(r.anonymous_id, r.user_id);
    learned.set(r.anonymous_id, r.user_id);
  }
  return owners;
}

interface ShareFacts {
  channel: string;
  campaignId: string | null;
  sharerId: string;
}
/** Share tokens never change owner, channel or campaign, so what was looked up once stays true. */
const shareCache = new Map<string, ShareFacts | null>();
const SHARE_CACHE_LIMIT = 10_000;

async function sharesOf(trx: Db, events: AnalyticsEventInput[]): Promise<Map<string, ShareFacts>> {
  const found = new Map<string, ShareFacts>();
  for (const token of new Set(events.filter((e) => e.shareToken).map((e) => e.shareToken!))) {
    if (!shareCache.has(token)) {
      const share = await shareByToken(trx, token);
      if (shareCache.size >= SHARE_CACHE_LIMIT) shareCache.clear();
      // An unknown token may belong to a share not yet committed elsewhere: only found ones are kept.
      if (!share) continue;
      shareCache.set(token, { channel: share.channel, campaignId: share.campaignId, sharerId: share.sharerId });
    }
    const facts = shareCache.get(token);
    if (facts) found.set(token, facts);
  }
  return found;
}

/**
 * The top of each new user's invite tree: their inviter's root, or the inviter when nobody invited
 * them (or they were never tracked). Inviters signing up in the same batch come first in time.
 */
async function treeRoots(trx: Db, registrations: Row[]): Promise<Map<string, string | null>> {
  const roots = new Map<string, string | null>(registrations.map((r) => [r.userId!, null]));
  const earlier = [...new Set(registrations.filter((r) => r.inviterId && !roots.has(r.inviterId)).map((r) => r.inviterId!))];
  const known = earlier.length === 0 ? [] : await trx.selectFrom("analytics_users").select(["user_id", "root_id"]).where("user_id", "in", earlier).execute();
  const rootOf = new Map(known.map((k) => [k.user_id, k.root_id]));
  for (const r of [...registrations].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (!r.inviterId) continue;
    const above = roots.has(r.inviterId) ? roots.get(r.inviterId) : rootOf.get(r.inviterId);
    roots.set(r.userId!, above ?? r.inviterId);
  }
  return roots;
}

/**
 * Registrations, orders, payments, refunds and costs also keep the facts the reports read: the inserts
 * in one statement, then payments and refunds, which must see this batch's orders.
 */
async function recordFacts(trx: Db, rows: Row[]): Promise<void> {
  const of = (type: EventType) => rows.filter((r) => r.type === type);
  const registrations = of("registration");
  const orders = of("order");
  const costs = rows.filter((r) => r.type === "reward" || r.type === "commission");
  if (registrations.length + orders.length + costs.length > 0) {
    // Orders see the users table as it was before this statement: this batch's invited sign-ups are passed along.
    const invitedNow = registrations.filter((r) => r.inviterId).map((r) => r.userId!);
    const roots = await treeRoots(trx, registrations);
    await sql`
      with users as (
        insert into analytics_users (user_id, registered_at, day, inviter_id, root_id, channel, campaign_id, sharer_id, source, medium)
        select t.user_id, t.at, t.day, t.inviter_id, t.root_id, t.channel, t.campaign_id, t.sharer_id,
          coalesce(t.source, earliest.source), coalesce(t.medium, earliest.medium)
        from unnest(${col(registrations, (r) => r.userId)}::text[], ${col(registrations, (r) => r.at.toISOString())}::timestamptz[],
          ${col(registrations, (r) => r.day)}::date[], ${col(registrations, (r) => r.inviterId)}::text[], ${col(registrations, (r) => roots.get(r.userId!))}::text[],
          ${col(registrations, (r) => r.channel)}::text[], ${col(registrations, (r) => r.campaignId)}::text[], ${col(registrations, (r) => r.sharerId)}::text[],
          ${col(registrations, (r) => r.source)}::text[], ${col(registrations, (r) => r.medium)}::text[])
          as t(user_id, at, day, inviter_id, root_id, channel, campaign_id, sharer_id, source, medium)
        left join lateral (
          select i.source, i.medium from analytics_identities i
          where i.user_id = t.user_id and i.source is not null order by i.linked_at limit 1) earliest on true
        on conflict do nothing),
      orders as (
        insert into analytics_orders (order_id, user_id, placed_at, payable, channel, campaign_id, campaign_type, sharer_id, promoter_id, invited, product_ids)
        select t.order_id, t.user_id, t.at, t.amount, t.channel, t.campaign_id, t.campaign_type, t.sharer_id, t.promoter_id,
          t.user_id = any(${invitedNow}::text[]) or exists (select 1 from analytics_users u where u.user_id = t.user_id and u.inviter_id is not null),
          string_to_array(t.products, ',')
        from unnest(${col(orders, (r) => r.orderId)}::text[], ${col(orders, (r) => r.userId)}::text[], ${col(orders, (r) => r.at.toISOString())}::timestamptz[],
          ${col(orders, (r) => r.amount ?? 0)}::bigint[], ${col(orders, (r) => r.channel)}::text[], ${col(orders, (r) => r.campaignId)}::text[],
          ${col(orders, (r) => r.campaignType)}::text[], ${col(orders, (r) => r.sharerId)}::text[], ${col(orders, (r) => r.promoterId)}::text[],
          ${col(orders, (r) => (r.productIds ?? (r.productId ? [r.productId] : [])).join(","))}::text[])
          as t(order_id, user_id, at, amount, channel, campaign_id, campaign_type, sharer_id, promoter_id, products)
        on conflict do nothing)
      insert into analytics_costs (id, kind, at, day, user_id, order_id, channel, campaign_id, path, amount)
      select * from unnest(${col(costs, (r) => r.costId)}::text[], ${col(costs, (r) => r.type)}::text[], ${col(costs, (r) => r.at.toISOString())}::timestamptz[],
        ${col(costs, (r) => r.day)}::date[], ${col(costs, (r) => r.userId)}::text[], ${col(costs, (r) => r.orderId)}::text[],
        ${col(costs, (r) => r.channel)}::text[], ${col(costs, (r) => r.campaignId)}::text[],
        ${col(costs, (r) => r.path ?? (r.type === "commission" ? "distribution" : "organic"))}::text[], ${col(costs, (r) => r.amount ?? 0)}::bigint[])
      on conflict do nothing`.execute(trx);
  }
  const payments = of("payment");
  if (payments.length > 0) {
    await sql`
      update analytics_orders o set paid_at = t.at, paid_day = t.day
      from unnest(${col(payments, (r) => r.orderId)}::text[], ${col(payments, (r) => r.at.toISOString())}::timestamptz[], ${col(payments, (r) => r.day)}::date[])
        as t(order_id, at, day)
      where o.order_id = t.order_id and o.paid_at is null`.execute(trx);
  }
  const refunds = of("refund");
  if (refunds.length > 0) {
    await sql`
      update analytics_orders o set refunded = o.refunded + t.amount
      from (select order_id, sum(amount) as amount from unnest(${col(refunds, (r) => r.orderId)}::text[], ${col(refunds, (r) => r.amount ?? 0)}::bigint[])
            as u(order_id, amount) group by order_id) t
      where o.order_id = t.order_id`.execute(trx);
  }
}
