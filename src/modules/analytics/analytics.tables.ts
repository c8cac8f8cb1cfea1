import type { ColumnType, Generated } from "kysely";
import type { Json } from "../../platform/tables.js";

/** A `date` column: written as "YYYY-MM-DD"; queries read it back with `::text`. */
type Day = ColumnType<string, string, string>;

export interface AnalyticsTables {
  analytics_events: {
    id: Generated<number>;
    type: string;
    at: Date;
    day: Day;
    actor_id: string;
    user_id: string | null;
    anonymous_id: string | null;
    session_id: string | null;
    channel: string | null;
    campaign_id: string | null;
    campaign_type: string | null;
    path: string | null;
    share_token: string | null;
    source: string | null;
    medium: string | null;
    product_id: string | null;
    order_id: string | null;
    promoter_id: string | null;
    amount: number | null;
    props: Json<Record<string, unknown>> | null;
  };
  analytics_identities: { anonymous_id: string; user_id: string; linked_at: Date; source: string | null; medium: string | null };
  analytics_daily_counts: { day: Day; type: string; channel: string; campaign_id: string; path: string; events: number; amount: number };
  analytics_daily_actors: { day: Day; actor_id: string };
  analytics_weekly_actors: { week: Day; actor_id: string };
  analytics_users: {
    user_id: string;
    registered_at: Date;
    day: Day;
    inviter_id: string | null;
    root_id: string | null;
    channel: string | null;
    campaign_id: string | null;
    sharer_id: string | null;
    source: string | null;
    medium: string | null;
  };
  analytics_orders: {
    order_id: string;
    user_id: string;
    placed_at: Date;
    paid_at: Date | null;
    paid_day: Day | null;
    payable: number;
    refunded: Generated<number>;
    channel: string | null;
    campaign_id: string | null;
    campaign_type: string | null;
    sharer_id: string | null;
    promoter_id: string | null;
    invited: Generated<boolean>;
    product_ids: string[];
  };
  analytics_costs: {
    id: string;
    kind: "reward" | "commission";
    at: Date;
    day: Day;
    user_id: string;
    order_id: string | null;
    channel: string | null;
    campaign_id: string | null;
    path: string;
    amount: number;
  };
  analytics_exports: {
    id: string;
    report: string;
    params: Json<Record<string, unknown>>;
    status: "queued" | "running" | "done" | "failed";
    progress: number;
    rows: number;
    total: number | null;
    cursor: string | null;
    error: string | null;
    requested_by: string | null;
    created_at: Date;
    finished_at: Date | null;
  };
  analytics_export_parts: { export_id: string; seq: number; csv: string };
}
