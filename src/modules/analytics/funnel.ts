import { type RawBuilder, sql } from "kysely";
import { HOUR } from "../../platform/clock.js";
import type { Db } from "../../platform/db/database.js";
import { addDays } from "./calendar.js";
import { type ReportQuery, filtersOn, ratio } from "./filters.js";
import type { EventType } from "./tracking.service.js";

export const MAX_FUNNEL_STEPS = 8;
export const MAX_WINDOW_HOURS = 24 * 90;

export interface FunnelStep {
  step: EventType;
  users: number;
  fromPrevious: number;
  fromFirst: number;
}

/**
 * An ordered funnel (漏斗) per person. Someone enters with their first step-1 event in the range that
 * matches the filters; they reach step k with the earliest step-k event at or after the moment they
 * reached step k−1 (strictly after, when both steps are the same kind of event) and no later than
 * `windowHours` after they entered. One statement: each step joins the previous step's people to the
 * step's events (read through the covering (type, day) index).
 */
export async function funnel(db: Db, q: ReportQuery, steps: EventType[], windowHours: number): Promise<{ steps: FunnelStep[] }> {
  const window = sql`${windowHours * HOUR} * interval '1 millisecond'`;
  // Later steps may fall after the range, within the window (plus a day for the Shanghai offset).
  const lastDay = addDays(q.to, Math.ceil(windowHours / 24) + 1);
  const ctes: RawBuilder<unknown>[] = [
    sql`s0 as (select e.actor_id, min(e.at) as entered, min(e.at) as reached from analytics_events e
        where e.type = ${steps[0]} and e.day between ${q.from}::date and ${q.to}::date ${filtersOn("events", "e", q)}
        group by e.actor_id)`,
  ];
  for (let k = 1; k < steps.length; k++) {
    const after = steps[k] === steps[k - 1] ? sql`>` : sql`>=`;
    // The step's events are read once (materialised), then hash-joined to the people still in the
    // funnel: a plan that cannot turn into an index probe per person, with or without statistics.
    ctes.push(sql`${sql.raw(`e${k}`)} as materialized (select e.actor_id, e.at from analytics_events e
        where e.type = ${steps[k]} and e.day between ${q.from}::date and ${lastDay}::date)`);
    ctes.push(sql`${sql.raw(`s${k}`)} as (select p.actor_id, p.entered, min(e.at) as reached
        from ${sql.raw(`s${k - 1}`)} p join ${sql.raw(`e${k}`)} e on e.actor_id = p.actor_id
        where e.at ${after} p.reached and e.at <= p.entered + ${window}
        group by p.actor_id, p.entered)`);
  }
  const counts = steps.map((_, k) => sql`(select count(*) from ${sql.raw(`s${k}`)})::bigint as ${sql.raw(`n${k}`)}`);
  const result = await sql<Record<string, number>>`with ${sql.join(ctes, sql`, `)} select ${sql.join(counts, sql`, `)}`.execute(db);
  const users = steps.map((_, k) => Number(result.rows[0]?.[`n${k}`] ?? 0));
  return {
    steps: steps.map((step, k) => ({
      step,
      users: users[k],
      fromPrevious: k === 0 ? (users[0] > 0 ? 1 : 0) : ratio(users[k], users[k - 1]),
      fromFirst: k === 0 ? (users[0] > 0 ? 1 : 0) : ratio(users[k], users[0]),
    })),
  };
}
