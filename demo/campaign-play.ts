import { helpBargain, orderBargain, startBargain } from "../src/modules/bargain/bargains.service.js";
import { fissionLink, openFissionLink } from "../src/modules/coupons/coupons.service.js";
import { attemptPurchase, getAttempt } from "../src/modules/flashsale/attempts.service.js";
import { autoJoin, joinTeam, openTeam } from "../src/modules/groupbuy/seats.service.js";
import { answerQuestion, earnByShare } from "../src/modules/lottery/chances.service.js";
import { draw } from "../src/modules/lottery/draws.service.js";
import { openShare, type Shared, share } from "./arrivals.js";
import type { Trail } from "./browsing.js";
import type { BargainOffer, TeamOffer } from "./campaigns.js";
import { addressOf, basket, buy, claim, pay } from "./purchases.js";
import type { Shopper, Town } from "./town.js";

const groupbuy = (offer: TeamOffer) => ({ id: offer.activityId, type: "groupbuy" });

/** Pays a few minutes later, as most buyers do; the rest let the order lapse. */
function payLater(town: Town, s: Shopper, orderId: string, opts: { willing?: number; mayRegret?: boolean } = {}): void {
  if (town.dice.chance(opts.willing ?? 0.93)) town.later(town.dice.int(1, 8), async () => void (await pay(town, s, [orderId], { mayRegret: opts.mayRegret })));
}

/**
 * 拼团: the leader opens a team, pays, and shares it; friends join over the day. Most teams fill; some
 * never find their last member and are refunded by the team's deadline job.
 */
export async function leadTeam(town: Town, s: Shopper, offer: TeamOffer, trail?: Trail): Promise<void> {
  const { deps, dice } = town;
  trail?.click("groupbuy-open", groupbuy(offer));
  const addressId = await addressOf(town, s);
  const placed = await town.tolerate(() => openTeam(deps, { activityId: offer.activityId, userId: s.userId, skuId: offer.skuId, qty: 1, addressId }));
  if (!placed || !dice.chance(0.94)) return;
  town.later(dice.int(1, 6), async () => {
    if (!(await pay(town, s, [placed.orderId], { mayRegret: false }))) return;
    const shared = await share(town, s, { type: "team", id: placed.teamId }, groupbuy(offer));
    const seats = offer.teamSize - 1;
    const coming = dice.chance(offer.teamSize === 2 ? 0.8 : 0.66) ? seats : dice.int(0, seats - 1);
    for (const friend of town.friendsOf(s, coming)) town.later(dice.int(15, 20 * 60), () => joinShared(town, friend, offer, shared));
  });
}

async function joinShared(town: Town, friend: Shopper, offer: TeamOffer, shared: Shared): Promise<void> {
  const trail = await openShare(town, friend, shared);
  trail.click("groupbuy-join", groupbuy(offer));
  const addressId = await addressOf(town, friend);
  const placed = await town.tolerate(() => joinTeam(town.deps, { teamId: shared.targetId, userId: friend.userId, skuId: offer.skuId, qty: 1, addressId }));
  if (placed) payLater(town, friend, placed.orderId, { mayRegret: false });
}

/** 一键参团: joins the open team nearest to full, or opens one when there is none. */
export async function joinAnyTeam(town: Town, s: Shopper, offer: TeamOffer, trail: Trail): Promise<void> {
  trail.click("groupbuy-auto-join", groupbuy(offer));
  const addressId = await addressOf(town, s);
  const placed = await town.tolerate(() => autoJoin(town.deps, { activityId: offer.activityId, userId: s.userId, skuId: offer.skuId, qty: 1, addressId }));
  if (placed) payLater(town, s, placed.orderId, { mayRegret: false });
  else await leadTeam(town, s, offer, trail);
}

/**
 * 砍价: the owner starts a bargain and shares it; friends help over the day. When enough come, the price
 * reaches the floor and the owner buys; otherwise the bargain expires (or, where the activity allows,
 * the owner buys early at the price reached).
 */
export async function startBargaining(town: Town, s: Shopper, offer: BargainOffer, trail: Trail): Promise<void> {
  const { deps, dice } = town;
  const campaign = { id: offer.activityId, type: "bargain" };
  trail.click("bargain-start", campaign);
  const started = await town.tolerate(() => startBargain(deps, { activityId: offer.activityId, userId: s.userId, deviceId: s.deviceId }));
  if (!started) return;
  const shared = await share(town, s, { type: "bargain", id: started.bargainId }, campaign, trail);
  const succeeds = dice.chance(0.7);
  const friends = town.friendsOf(s, succeeds ? offer.helpersNeeded : dice.int(1, offer.helpersNeeded - 1));
  const delays = friends.map(() => dice.int(5, 20 * 60)).sort((a, b) => a - b);
  friends.forEach((f, i) => town.later(delays[i], () => helpShared(town, f, shared)));
  const last = delays[delays.length - 1] ?? 60;
  if (succeeds || (offer.earlyPurchase && dice.chance(0.35))) town.later(last + dice.int(20, 240), () => orderBargained(town, s, started.bargainId));
}

async function helpShared(town: Town, friend: Shopper, shared: Shared): Promise<void> {
  const trail = await openShare(town, friend, shared);
  trail.click("bargain-help", shared.campaign ?? undefined);
  await town.tolerate(() => helpBargain(town.deps, { bargainId: shared.targetId, helperId: friend.userId, deviceId: friend.deviceId }));
}

async function orderBargained(town: Town, s: Shopper, bargainId: string): Promise<void> {
  const addressId = await addressOf(town, s);
  const placed = await town.tolerate(() => orderBargain(town.deps, { bargainId, userId: s.userId, addressId }));
  if (placed) payLater(town, s, placed.orderId, { willing: 0.95 });
}

/**
 * 秒杀: buyers tap "抢" in the first minutes of the slot; the counter decides, the queue places the
 * winners' orders, and most winners pay within the five minutes a flash order waits.
 */
export async function grab(town: Town, s: Shopper, item: { itemId: string }): Promise<void> {
  const { deps, dice } = town;
  const addressId = await addressOf(town, s);
  const won = await town.tolerate(() => attemptPurchase(deps, { itemId: item.itemId, userId: s.userId, qty: 1, addressId, deviceId: s.deviceId, ip: s.ip }));
  if (!won || !dice.chance(0.9)) return;
  town.later(dice.int(1, 4), async () => {
    await town.past.flashOrdersPlaced();
    const attempt = await getAttempt(deps, won.attemptId, s.userId);
    if (attempt.orderId) await pay(town, s, [attempt.orderId]);
  });
}

/** 大转盘: a quiz question now and then for an extra chance, the daily free draw, another after sharing. */
export async function spin(town: Town, s: Shopper, trail: Trail): Promise<void> {
  const { deps, dice } = town;
  const { lottery } = town.campaigns;
  const campaign = { id: lottery.id, type: "lottery" };
  trail.page(`/#/lottery/${lottery.id}`).click("lottery-draw", campaign);
  if (dice.chance(0.3)) {
    const q = dice.pick(lottery.questions);
    await town.tolerate(() => answerQuestion(deps, { activityId: lottery.id, questionId: q.id, userId: s.userId, chosen: dice.chance(0.75) ? q.answer : (q.answer + 1) % q.options }));
  }
  await town.tolerate(() => draw(deps, { activityId: lottery.id, userId: s.userId }));
  if (dice.chance(0.25)) {
    await share(town, s, { type: "campaign", id: lottery.id }, campaign, trail);
    if (await town.tolerate(() => earnByShare(deps, lottery.id, s.userId))) await town.tolerate(() => draw(deps, { activityId: lottery.id, userId: s.userId }));
  }
}

/** 裂变券: a locked coupon that unlocks once three friends open its link. */
export async function unlockBySharing(town: Town, s: Shopper, trail: Trail): Promise<void> {
  const { deps, dice } = town;
  const { fission } = town.campaigns.coupons;
  trail.click("coupon-fission", { id: fission.templateId, type: "coupon" });
  const view = await claim(town, s, fission);
  if (view?.state !== "locked") return;
  const link = await fissionLink(deps, s.userId, view.id);
  trail.share("wechat_friend", { type: "coupon", id: view.id }, { id: fission.templateId, type: "coupon" });
  for (const friend of town.friendsOf(s, dice.chance(0.7) ? dice.int(3, 4) : dice.int(1, 2))) {
    town.later(dice.int(10, 18 * 60), async () => {
      town.footprints.visit({ userId: friend.userId, anonymousId: friend.deviceId }, town.now(), { path: "coupon", campaignId: fission.templateId, campaignType: "coupon" }).page(link.path);
      const opened = await town.tolerate(() => openFissionLink(deps, friend.userId, link.token));
      if (opened?.counted && opened.unlocked && !s.coupons.some((c) => c.couponId === view.id)) s.coupons.push({ couponId: view.id, coupon: fission, validUntil: view.validUntil, used: false });
    });
  }
}

/** What a newcomer does right after signing up through a share: buys the product, joins the team, helps the bargain. */
export async function followShare(town: Town, s: Shopper, shared: Shared, trail: Trail): Promise<void> {
  const { dice } = town;
  if (shared.targetType === "team") {
    const offer = town.campaigns.teams.find((t) => t.activityId === shared.campaign?.id);
    if (offer && dice.chance(0.85)) await joinShared(town, s, offer, shared);
  } else if (shared.targetType === "bargain") {
    if (dice.chance(0.95)) await helpShared(town, s, shared);
  } else if (shared.targetType === "product" && dice.chance(0.35)) {
    const product = town.catalog.products.find((p) => p.productId === shared.targetId);
    if (product) await buy(town, s, basket(town, product), trail.product(product.productId));
  }
}
