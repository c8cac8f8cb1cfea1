/** The analytics API's answers (src/modules/analytics). Money is integer fen; ratios are 0..1. */

export interface OverviewPoint {
  bucket: string;
  pv: number;
  uv: number;
  newUsers: number;
  orders: number;
  gmv: number;
  payingUsers: number;
  conversion: number;
}

export interface Overview {
  grain: "day" | "week" | "month";
  series: OverviewPoint[];
  totals: {
    pv: number;
    uv: number;
    newUsers: number;
    orders: number;
    gmv: number;
    aov: number;
    payingUsers: number;
    conversion: number;
    repurchaseRate: number;
    rewardCost: number;
    commissionCost: number;
    kFactor: number;
  };
  newUsersBySource: { source: string | null; users: number }[];
}

export interface FunnelStep {
  step: string;
  users: number;
  fromPrevious: number;
  fromFirst: number;
}

export interface Funnel {
  steps: FunnelStep[];
}

export interface Cohort {
  cohort: string;
  size: number;
  retained: number[];
  rates: number[];
  /** The last week listed had not ended by `to` (counted up to `to` only). */
  partial: boolean;
}

export interface KFactor {
  users: number;
  invitationsSent: number;
  invitesPerUser: number;
  invitedRegistrations: number;
  invitationConversion: number;
  kFactor: number;
  viralCycleHours: number | null;
}

export interface CampaignRow {
  campaignId: string;
  campaignType: string;
  name: string | null;
  orders: number;
  gmv: number;
  newUsers: number;
  rewardCost: number;
  commissionCost: number;
  cost: number;
  roi: number | null;
}

export interface ChannelRow {
  channel: string | null;
  shares: number;
  visits: number;
  registrations: number;
  orders: number;
  gmv: number;
  rewardCost: number;
  commissionCost: number;
  roi: number | null;
}

export interface LeaderRow {
  userId: string;
  displayName: string | null;
  value: number;
  orders: number;
  gmv: number;
  registrations: number;
}

export interface TreeNodeRow {
  userId: string;
  displayName: string | null;
  depth: number;
  inviterId: string | null;
  revenue: number;
  invitees: number;
}

export interface ExportJob {
  id: string;
  report: string;
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  rows: number | null;
  error: string | null;
  params?: Record<string, unknown>;
  createdAt?: string;
  finishedAt?: string | null;
}
