import type { MemberState, TeamState } from "./team-machine.js";

/** Tables owned by the group-buy module (拼团). */
export interface GroupbuyTables {
  groupbuy_activities: {
    id: string;
    title: string;
    team_size: number;
    fill_minutes: number;
    payment_minutes: number;
    per_user_limit: number;
    starts_at: Date;
    ends_at: Date;
    platform_fills_last_seat: boolean;
    ended_at: Date | null;
    created_at: Date;
    updated_at: Date;
  };
  groupbuy_activity_skus: {
    activity_id: string;
    sku_id: string;
    group_price: number;
    leader_price: number;
    stock: number;
    stock_left: number;
  };
  groupbuy_teams: {
    id: string;
    activity_id: string;
    leader_id: string;
    state: TeamState;
    size: number;
    seats_taken: number;
    paid_count: number;
    platform_filled: boolean;
    deadline_at: Date;
    created_at: Date;
    opened_at: Date | null;
    closed_at: Date | null;
    updated_at: Date;
  };
  groupbuy_members: {
    id: string;
    team_id: string;
    activity_id: string;
    user_id: string | null;
    kind: "leader" | "member" | "platform";
    state: MemberState;
    sku_id: string | null;
    qty: number;
    order_id: string | null;
    created_at: Date;
    paid_at: Date | null;
    updated_at: Date;
  };
  groupbuy_quotas: { activity_id: string; user_id: string; units: number };
}
