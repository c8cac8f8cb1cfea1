import { sql } from "kysely";
import type { Db } from "../../platform/db/database.js";
import { addDays, bucketOf, bucketsIn, daysBetween } from "./calendar.js";
import { type ReportQuery, filtersOn, ratio } from "./filters.js";

export const MAX_COHORT_WEEKS = 26;

export interface Cohort {
  /** The Monday of the registration week. */
  cohort: string;
  size: number;
  /** retained[k]: members active in the k-th week after their registration week (k = 0 is that week). */
  retained: number[];
  rates: number[];
  /**
   * The last week listed (the week of `to`) had not ended by `to`: it counts activity up to `to` only,
   * and for the cohort of that week, sign-ups up to `to` only.
   */
  partial: boolean;
}

/**
 * Weekly retention by registration week (留存). The cohorts are the `weeks` weeks ending with the week
 * of `to` (without `weeks`: the weeks that overlap the range); each cohort shows the weeks that have
 * begun by `to`. Nothing after `to` counts, so with `to` before a Sunday every cohort's last week is
 * partial.
 */
export async function cohorts(db: Db, q: ReportQuery, weeks?: number): Promise<{ cohorts: Cohort[] }> {
  const lastWeek = bucketOf(q.to, "week");
  const partial = daysBetween(lastWeek, q.to) < 6;
  const firstWeek = weeks ? addDays(lastWeek, -7 * (weeks - 1)) : bucketOf(q.from, "week");
  const week = sql`(u.day - extract(isodow from u.day)::int + 1)`;
  const sizes = await sql<{ cohort: string; size: number }>`
    select ${week}::text as cohort, count(*)::bigint as size from analytics_users u
    where u.day between ${firstWeek}::date and ${q.to}::date ${filtersOn("users", "u", q)}
    group by 1`.execute(db);
  const active = await sql<{ cohort: string; k: number; n: number }>`
    select ${week}::text as cohort, ((w.week - ${week}) / 7)::int as k, count(*)::bigint as n
    from analytics_users u join analytics_weekly_actors w on w.actor_id = u.user_id and w.week >= ${week} and w.week <= ${lastWeek}::date
      ${partial ? cutAtTo(lastWeek, q.to) : sql``}
    where u.day between ${firstWeek}::date and ${q.to}::date ${filtersOn("users", "u", q)}
    group by 1, 2`.execute(db);
  const sizeOf = new Map(sizes.rows.map((r) => [r.cohort, Number(r.size)]));
  const activeOf = new Map(active.rows.map((r) => [`${r.cohort} ${r.k}`, Number(r.n)]));
  return {
    cohorts: bucketsIn(firstWeek, q.to, "week").map((cohort) => {
      const size = sizeOf.get(cohort) ?? 0;
      const span = Math.floor(daysBetween(cohort, q.to) / 7) + 1;
      const retained = Array.from({ length: span }, (_, k) => activeOf.get(`${cohort} ${k}`) ?? 0);
      return { cohort, size, retained, rates: retained.map((n) => ratio(n, size)), partial };
    }),
  };
}

/**
 * The weekly rollup knows only that someone was active at some time in a week, so in the unfinished
 * week it would count activity after `to`; there the daily rollup decides.
 */
const cutAtTo = (lastWeek: string, to: string) =>
  sql`and (w.week < ${lastWeek}::date or exists (
    select 1 from analytics_daily_actors a where a.actor_id = w.actor_id and a.day between ${lastWeek}::date and ${to}::date))`;
