import { landingPath, recordVisit } from "../src/modules/sharing/sharing.service.js";
import { openShare, type Shared, share } from "./arrivals.js";
import { organicArrival, type Trail } from "./browsing.js";
import { joinAnyTeam, leadTeam, spin, startBargaining, unlockBySharing } from "./campaign-play.js";
import type { CatalogProduct } from "./catalog.js";
import { applyToPromote, claimRewards } from "./earnings.js";
import { basket, buy, claim, favouriteProduct } from "./purchases.js";
import type { Shopper, Town } from "./town.js";

/**
 * Shares a product they like: a few friends who shop here open it over the next day and some of them
 * buy; more people open it, look, and leave.
 */
async function spreadProduct(town: Town, s: Shopper, product: CatalogProduct, trail: Trail): Promise<void> {
  const { dice } = town;
  const shared = await share(town, s, { type: "product", id: product.productId }, null, trail);
  for (const friend of town.friendsOf(s, Math.min(3, Math.max(1, Math.round(s.reach * dice.between(0.15, 0.4)))))) {
    town.later(dice.int(5, 30 * 60), async () => {
      const t = await openShare(town, friend, shared);
      t.product(product.productId);
      if (dice.chance(0.15)) await buy(town, friend, basket(town, product), t);
    });
  }
  for (let n = Math.round(s.reach * dice.between(0.1, 0.4)); n > 0; n--) town.later(dice.int(5, 30 * 60), () => passBy(town, shared));
}

/**
 * A shopper opens the store: looks at a few products, and perhaps buys, joins or opens a group, starts
 * a bargain, grabs a fission coupon, shares what they liked, spins the wheel, claims rewards.
 */
export async function dropIn(town: Town, s: Shopper): Promise<void> {
  const { dice, campaigns } = town;
  const now = town.now();
  const trail = town.footprints.visit({ userId: s.userId, anonymousId: s.deviceId }, now, { path: "organic" }).page("/");
  const looked: CatalogProduct[] = [];
  for (let i = dice.int(1, 5); i > 0; i--) {
    const p = favouriteProduct(town);
    looked.push(p);
    trail.product(p.productId);
  }
  if (dice.chance(0.3)) trail.page("/#/categories");
  await town.keepUp(trail);

  const teams = campaigns.teams.filter((t) => t.endsAt > now);
  const roll = dice.next();
  if (roll < 0.07) await buy(town, s, basket(town, looked[0]), trail);
  else if (roll < 0.12 && teams.length > 0) {
    const offer = dice.pick(teams);
    trail.page(`/#/groupbuy/${offer.activityId}`);
    await (dice.chance(0.55) ? joinAnyTeam(town, s, offer, trail) : leadTeam(town, s, offer, trail));
  } else if (roll < 0.155) {
    const offer = dice.pick(campaigns.bargains);
    trail.page(`/#/bargain/${offer.activityId}`);
    await startBargaining(town, s, offer, trail);
  } else if (roll < 0.165) await unlockBySharing(town, s, trail);

  if (dice.chance(s.kol ? 0.3 : 0.04 + Math.min(0.1, s.reach * 0.01))) await spreadProduct(town, s, looked[looked.length - 1], trail);
  if (dice.chance(0.08)) await spin(town, s, trail);
  if (dice.chance(0.04)) {
    trail.page("/#/coupons");
    const { over99, fruit, beauty, freeShipping } = campaigns.coupons;
    await claim(town, s, dice.pick([over99, over99, fruit, beauty, freeShipping]));
  }
  if (dice.chance(0.15)) await claimRewards(town, s, trail);
  // KOLs sign up to earn on what they bring; others once they have brought a few friends.
  if (s.promoter === "no" && (s.kol || (s.invitees.length >= 3 && dice.chance(0.25)))) await applyToPromote(town, s);
}

/** A look around without doing anything: the store opened from the home screen, a few products, maybe the cart. */
export function glance(town: Town, s: Shopper, at: Date): void {
  const { dice } = town;
  const trail = town.footprints.visit({ userId: s.userId, anonymousId: s.deviceId }, at, { path: "organic" }).page("/");
  for (let i = dice.int(1, 6); i > 0; i--) trail.product(favouriteProduct(town).productId);
  if (dice.chance(0.25)) trail.cart(favouriteProduct(town).productId).page("/#/cart");
  if (dice.chance(0.15)) trail.page("/#/me");
}

/** Someone who never signs up finds the store from a search or an ad, looks around and leaves. */
export function lookAround(town: Town, at: Date): void {
  browse(town, town.footprints.visit({ userId: null, anonymousId: town.crowd.device() }, at, organicArrival(town.dice)).page("/"));
}

/** Someone opens a shared link without signing in: a visit the share gets credit for, then a look around. */
export async function passBy(town: Town, shared: Shared): Promise<void> {
  const { crowd } = town;
  const deviceId = crowd.device();
  await recordVisit(town.deps, { token: shared.token, userId: null, deviceId, ip: crowd.ip() });
  const trail = town.footprints
    .visit({ userId: null, anonymousId: deviceId }, town.now(), { path: "share", shareToken: shared.token, channel: shared.channel, campaignId: shared.campaign?.id, campaignType: shared.campaign?.type })
    .page(landingPath(shared, shared.token));
  browse(town, trail);
}

function browse(town: Town, trail: Trail): void {
  const { dice } = town;
  for (let i = dice.int(0, 3); i > 0; i--) trail.product(favouriteProduct(town).productId);
  if (dice.chance(0.12)) trail.cart(favouriteProduct(town).productId);
}
