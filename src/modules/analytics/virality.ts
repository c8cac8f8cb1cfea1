import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { type ReportQuery, countsAnswer, filtersOn, hasFilters, ratio } from "./filters.js";

export interface KFactor {
  /** Signed-in people active in the range. */
  users: number;
  /** Shares created in the range (each act of sharing is one invitation). */
  invitationsSent: number;
  invitesPerUser: number;
  /** Users who registered in the range with an inviter. */
  invitedRegistrations: number;
  invitationConversion: number;
  /** invitesPerUser × invitationConversion (病毒系数 K). */
  kFactor: number;
  /** Median hours from an inviter's registration to their invitee's, over the range's invited registrations. */
  viralCycleHours: number | null;
}

/**
 * Signed-in people active in the range. With filters, those whose registration matches them (which
 * only a registration recorded here can).
 */
async function activeUsers(db: Db, q: ReportQuery): Promise<number> {
  const row = hasFilters(q)
    ? await sql<{ n: number }>`
        select count(*)::bigint as n from analytics_users u
        where exists (select 1 from analytics_daily_actors a where a.actor_id = u.user_id and a.day between ${q.from}::date and ${q.to}::date)
        ${filtersOn("users", "u", q)}`.execute(db)
    : await sql<{ n: number }>`
        select count(*)::bigint as n from (
          select distinct a.actor_id from analytics_daily_actors a
          where a.day between ${q.from}::date and ${q.to}::date and a.actor_id not like 'anon:%') signed_in`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

async function sharesCreated(db: Db, q: ReportQuery): Promise<number> {
  const row = countsAnswer(q)
    ? await sql<{ n: number }>`
        select coalesce(sum(c.events), 0)::bigint as n from analytics_daily_counts c
        where c.type = 'share_created' and c.day between ${q.from}::date and ${q.to}::date ${filtersOn("counts", "c", q)}`.execute(db)
    : await sql<{ n: number }>`
        select count(*)::bigint as n from analytics_events e
        where e.type = 'share_created' and e.day between ${q.from}::date and ${q.to}::date ${filtersOn("events", "e", q)}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

async function invitedRegistrations(db: Db, q: ReportQuery): Promise<{ invited: number; medianHours: number | null }> {
  const row = await sql<{ invited: number; median_hours: number | null }>`
    select count(*)::bigint as invited,
      percentile_cont(0.5) within group (order by extract(epoch from (u.registered_at - i.registered_at)) / 3600) as median_hours
    from analytics_users u left join analytics_users i on i.user_id = u.inviter_id
    where u.inviter_id is not null and u.day between ${q.from}::date and ${q.to}::date ${filtersOn("users", "u", q)}`.execute(db);
  const r = row.rows[0];
  return { invited: Number(r?.invited ?? 0), medianHours: r?.median_hours == null ? null : Number(Number(r.median_hours).toFixed(2)) };
}

/**
 * K-factor and viral cycle time over the range. Inviters who registered before tracking began have no
 * registration time: their invitees count as invited but not in the cycle time.
 */
export async function kFactor(db: Db, q: ReportQuery): Promise<KFactor> {
  const users = await activeUsers(db, q);
  const invitationsSent = await sharesCreated(db, q);
  const { invited, medianHours } = await invitedRegistrations(db, q);
  const invitesPerUser = ratio(invitationsSent, users);
  const invitationConversion = ratio(invited, invitationsSent);
  return {
    users,
    invitationsSent,
    invitesPerUser,
    invitedRegistrations: invited,
    invitationConversion,
    // From the unrounded parts, so K = invited registrations / users exactly.
    kFactor: ratio(invitationsSent === 0 ? 0 : invited, users),
    viralCycleHours: medianHours,
  };
}
