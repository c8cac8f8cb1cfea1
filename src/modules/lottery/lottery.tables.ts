import type { Json } from "../../platform/tables.js";

export type PrizeKind = "coupon" | "points" | "cash" | "goods" | "thanks";
export type Fulfilment = "none" | "fulfilled" | "to_fulfil";

/** Tables owned by the lottery module (抽奖). */
export interface LotteryTables {
  lottery_activities: {
    id: string;
    title: string;
    kind: "wheel" | "grid";
    status: "active" | "paused";
    starts_at: Date;
    ends_at: Date;
    daily_free_chances: number;
    share_chances_per_day: number;
    cash_budget: number;
    cash_spent: number;
    server_seed_sealed: string;
    seed_hash: string;
    draws: number;
    created_at: Date;
    updated_at: Date;
  };
  lottery_prizes: {
    id: string;
    activity_id: string;
    position: number;
    kind: PrizeKind;
    name: string;
    probability_bp: number;
    amount: number | null;
    coupon_template_id: string | null;
    stock: number | null;
    won: number;
  };
  lottery_questions: {
    id: string;
    activity_id: string;
    position: number;
    prompt: string;
    options: Json<string[]>;
    answer: number;
  };
  lottery_chance_days: {
    activity_id: string;
    user_id: string;
    day: string;
    free_used: number;
    earned: number;
    earned_used: number;
    shares: number;
  };
  lottery_quiz_answers: {
    question_id: string;
    user_id: string;
    day: string;
    chosen: number;
    correct: boolean;
    created_at: Date;
  };
  lottery_draws: {
    id: string;
    activity_id: string;
    user_id: string;
    nonce: number;
    digest: string;
    roll: number;
    picked_prize_id: string;
    prize_id: string;
    outcome: "won" | "thanks";
    fallback: "out_of_stock" | "over_budget" | null;
    chance_source: "free" | "earned";
    day: string;
    fulfilment: Fulfilment;
    reward_ref: string | null;
    created_at: Date;
  };
}
