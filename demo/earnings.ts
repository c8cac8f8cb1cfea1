import { applyAsPromoter, listPromoters, reviewPromoter } from "../src/modules/distribution/promoters.service.js";
import { approveWithdrawal, listWithdrawals, promoterMoney, rejectWithdrawal, requestWithdrawal } from "../src/modules/distribution/withdrawals.service.js";
import { claimReward, myRewards } from "../src/modules/rewards/rewards.service.js";
import { DAY } from "../src/platform/clock.js";
import type { Trail } from "./browsing.js";
import type { Shopper, Town } from "./town.js";

/** A shopper with friends to sell to applies to be a promoter (分销员); an operator reviews it. */
export async function applyToPromote(town: Town, s: Shopper): Promise<void> {
  const applied = await town.tolerate(() => applyAsPromoter(town.deps, s.userId));
  if (applied) s.promoter = applied.status === "approved" ? "approved" : "applied";
}

/** The operator's morning round through promoter applications: most approved, a few sent back. */
export async function reviewApplications(town: Town): Promise<void> {
  const { deps, dice } = town;
  const pending = await listPromoters(deps, { status: "pending", limit: 50 });
  for (const p of pending.items) {
    const approve = dice.chance(0.88);
    await reviewPromoter(deps, town.staff.support, p.userId, approve ? "approve" : "reject", approve ? "推广渠道清晰，同意" : "推广渠道信息不完整，请补充后重新申请");
    const s = town.get(p.userId);
    if (s) s.promoter = approve ? "approved" : "no";
  }
}

/** Promoters with commission to spare ask to withdraw it (提现). */
export async function cashOut(town: Town): Promise<void> {
  for (const s of town.shoppers) {
    if (s.promoter !== "approved" || !town.dice.chance(0.7)) continue;
    const { available } = await promoterMoney(town.deps.db, s.userId);
    // Most of it, in whole ten-yuan notes.
    const amount = Math.floor((available * 0.7) / 1000) * 1000;
    if (amount >= 1000) await town.tolerate(() => requestWithdrawal(town.deps, s.userId, { amount }));
  }
}

/** Finance's weekly payout round: requests older than two days are paid (the odd one turned down); the latest wait a week. */
export async function payOut(town: Town): Promise<void> {
  const { deps, dice, staff } = town;
  const requested = await listWithdrawals(deps.db, { status: "requested", limit: 100 });
  const cutOff = town.now().getTime() - 2 * DAY;
  for (const w of requested.items.filter((r) => r.createdAt.getTime() < cutOff)) {
    if (dice.chance(0.94)) await approveWithdrawal(deps, staff.finance, w.id);
    else await rejectWithdrawal(deps, staff.finance, w.id, "收款信息与实名不符，请核对后重新申请");
  }
}

/** Opens 我的奖励 and claims what is waiting there. */
export async function claimRewards(town: Town, s: Shopper, trail: Trail): Promise<void> {
  const waiting = await myRewards(town.deps.db, s.userId, { status: "available", limit: 5 });
  if (waiting.items.length === 0) return;
  trail.page("/#/me");
  for (const r of waiting.items) await town.tolerate(() => claimReward(town.deps, s.userId, r.id));
}
