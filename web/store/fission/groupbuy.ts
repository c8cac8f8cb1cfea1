/** What the group-buy API answers (拼团), as the store pages read it. */
export interface GroupbuySku {
  skuId: string;
  productId: string;
  title: string;
  specs: Record<string, string>;
  image: string | null;
  listPrice: number;
  groupPrice: number;
  leaderPrice: number;
  stock: number;
  stockLeft: number;
}

export interface GroupbuyActivity {
  id: string;
  title: string;
  phase: "upcoming" | "active" | "ended";
  teamSize: number;
  fillMinutes: number;
  paymentMinutes: number;
  perUserLimit: number;
  startsAt: string;
  endsAt: string;
  platformFill: { enabled: boolean; notice: string | null };
  skus: GroupbuySku[];
  serverTime: string;
  openTeams?: TeamView[];
}

export type TeamState = "pending" | "open" | "succeeded" | "failed" | "abandoned";

export interface TeamView {
  id: string;
  activityId: string;
  activityTitle: string;
  state: TeamState;
  size: number;
  seatsTaken: number;
  seatsLeft: number;
  paidCount: number;
  createdAt: string;
  deadlineAt: string;
  serverTime: string;
  msLeft: number;
  platformFill: { enabled: boolean; notice: string | null; filled: boolean };
  members: Array<{ kind: "leader" | "member" | "platform"; displayName: string; paid: boolean; joinedAt: string }>;
}

export interface MySeat {
  id: string;
  kind: "leader" | "member";
  state: "reserved" | "paid" | "fulfilled" | "refunded" | "released" | "voided";
  skuId: string;
  qty: number;
  orderId: string | null;
  team: TeamView;
}
