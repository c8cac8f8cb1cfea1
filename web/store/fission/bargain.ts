/** What the bargain API answers (砍价), as the store pages read it. */
export interface BargainActivity {
  id: string;
  title: string;
  skuId: string;
  originalPrice: number;
  floorPrice: number;
  helpersNeeded: number;
  timeLimitMinutes: number;
  earlyPurchase: boolean;
  stock: number;
  reserved: number;
  sold: number;
  status: "active" | "paused";
  startsAt: string;
  endsAt: string;
}

/** An activity open now, as the list shows it: with its product and the units not yet taken. */
export interface OpenBargainActivity extends BargainActivity {
  productId: string;
  image: string | null;
  unitsLeft: number;
}

export type BargainStatus = "bargaining" | "floor_reached" | "ordered" | "paid" | "expired";

export interface BargainView {
  id: string;
  activityId: string;
  title: string;
  skuId: string;
  status: BargainStatus;
  isOwner: boolean;
  originalPrice: number;
  floorPrice: number;
  currentPrice: number;
  remaining: number;
  cutTotal: number;
  helpersNeeded: number;
  helpersSoFar: number;
  earlyPurchase: boolean;
  canOrder: boolean;
  orderId: string | null;
  serverTime: string;
  expiresAt: string;
  helpers: Array<{ seq: number; name: string; amount: number; newUser: boolean; at: string }>;
}

export interface HelpResult {
  seq: number;
  amount: number;
  currentPrice: number;
  remaining: number;
  status: BargainStatus;
  newUser: boolean;
}
