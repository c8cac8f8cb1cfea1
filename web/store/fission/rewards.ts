import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";

/** A reward the growth loops earned me (奖励), as `GET /me/rewards` lists it. */
export interface Reward {
  id: string;
  ruleId: string;
  kind: "points" | "cash" | "growth" | "coupon";
  /** Points, fen of cash, growth value; 1 for a coupon. */
  amount: number;
  status: "pending" | "flagged" | "available" | "claimed" | "cancelled" | "expired" | "rejected";
  orderId: string | null;
  claimDeadline: string | null;
  createdAt: string;
  availableAt: string | null;
  claimedAt: string | null;
}

export type RewardTotals = Record<"pending" | "available" | "claimed", Record<Reward["kind"], number>>;

/** What a reward is worth, in words: "300 积分", "¥3.00 红包", "1 张优惠券". */
export function useRewardValue() {
  const { t } = useI18n();
  return (kind: Reward["kind"], amount: number) => t(`reward.value.${kind}`, { n: amount, amount: yuan(amount) });
}
