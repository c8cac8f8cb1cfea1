import { loginWithCode, sendLoginCode } from "../src/modules/identity/identity.service.js";
import { inviteCodeOf, recordInviteVisit } from "../src/modules/referral/referral.service.js";
import { type Channel, createShare, landingPath, posterShare, recordVisit, type TargetType } from "../src/modules/sharing/sharing.service.js";
import { organicArrival, type Trail } from "./browsing.js";
import type { Stranger } from "./crowd.js";
import type { Dice } from "./dice.js";
import { claim, favouriteProduct } from "./purchases.js";
import type { Shopper, Town } from "./town.js";

/** A share link as the demo remembers it: who shared what, where, for which campaign. */
export interface Shared {
  token: string;
  sharerId: string;
  channel: Channel;
  targetType: TargetType;
  targetId: string;
  campaign: { id: string; type: string } | null;
  at: Date;
}

/** Where people share: WeChat chats and Moments above all. */
const CHANNELS: Array<[Channel, number]> = [["wechat_friend", 38], ["wechat_moments", 22], ["poster", 8], ["xiaohongshu", 9], ["douyin", 8], ["qq", 6], ["weibo", 4], ["link", 3], ["sms", 2]];
const pickChannel = (dice: Dice): Channel => dice.weighted(CHANNELS, ([, w]) => w)[0];

async function inviteCode(town: Town, s: Shopper): Promise<string> {
  s.inviteCode ??= await inviteCodeOf(town.deps.db, s.userId);
  return s.inviteCode;
}

/** A shopper shares something; a poster reuses the one share they have for its target. */
export async function share(town: Town, s: Shopper, target: { type: TargetType; id: string }, campaign: { id: string; type: string } | null, trail?: Trail): Promise<Shared> {
  const channel = pickChannel(town.dice);
  const created =
    channel === "poster" && !campaign
      ? await posterShare(town.deps, s.userId, target.type, target.id)
      : await createShare(town.deps, { sharerId: s.userId, targetType: target.type, targetId: target.id, channel, campaignId: campaign?.id ?? null });
  trail?.share(channel, target, campaign ?? undefined);
  const shared: Shared = { token: created.token, sharerId: s.userId, channel: created.channel as Channel, targetType: target.type, targetId: target.id, campaign, at: town.now() };
  s.shares = [shared, ...s.shares].slice(0, 5);
  return shared;
}

/** A signed-in friend opens a shared link: the click is a visit the share gets credit for. */
export async function openShare(town: Town, visitor: Shopper, shared: Shared): Promise<Trail> {
  await recordVisit(town.deps, { token: shared.token, userId: visitor.userId, deviceId: visitor.deviceId, ip: visitor.ip });
  const trail = town.footprints
    .visit({ userId: visitor.userId, anonymousId: visitor.deviceId }, town.now(), { path: "share", shareToken: shared.token, channel: shared.channel, campaignId: shared.campaign?.id, campaignType: shared.campaign?.type })
    .page(landingPath(shared, shared.token));
  await town.keepUp(trail);
  return trail;
}

/** How someone new found the store. */
export type Via = { path: "organic" } | { path: "invite"; inviter: Shopper } | { path: "share"; shared: Shared };

export interface Temperament {
  kol?: boolean;
  pull?: number;
  appetite?: number;
  reach?: number;
}

/**
 * Someone new opens the store — through a friend's invite link, a share, or on their own — looks
 * around and signs up with the phone code, carrying the invite code or share token they came with.
 * Returns them as a shopper, with the visit they are on (null if the sign-up was refused).
 */
export async function welcome(town: Town, stranger: Stranger, via: Via, temperament: Temperament = {}): Promise<{ shopper: Shopper; trail: Trail } | null> {
  const { deps, dice, footprints } = town;
  const anonymous = { userId: null, anonymousId: stranger.deviceId };
  let trail: Trail;
  let signup: { inviteCode?: string; shareToken?: string } = {};
  let inviter: Shopper | undefined;
  if (via.path === "invite") {
    const code = await inviteCode(town, via.inviter);
    await recordInviteVisit(deps, { code, deviceId: stranger.deviceId, ip: stranger.ip });
    trail = footprints.visit(anonymous, town.now(), { path: "invite", channel: "wechat_friend" }).page(`/?inviteCode=${code}`);
    signup = { inviteCode: code };
    inviter = via.inviter;
  } else if (via.path === "share") {
    const { shared } = via;
    await recordVisit(deps, { token: shared.token, userId: null, deviceId: stranger.deviceId, ip: stranger.ip });
    trail = footprints
      .visit(anonymous, town.now(), { path: "share", shareToken: shared.token, channel: shared.channel, campaignId: shared.campaign?.id, campaignType: shared.campaign?.type })
      .page(landingPath(shared, shared.token));
    signup = { shareToken: shared.token };
    inviter = town.get(shared.sharerId);
  } else {
    trail = footprints.visit(anonymous, town.now(), organicArrival(dice)).page("/");
  }
  for (let i = dice.int(1, 3); i > 0; i--) trail.product(favouriteProduct(town).productId);
  // The browser reported the visit as it happened; the sign-up then links it to the new account.
  await footprints.flush(deps.db);
  await town.keepUp(trail);

  const { code } = await sendLoginCode(deps, stranger.phone, stranger.ip);
  const login = await town.tolerate(() => loginWithCode(deps, stranger.phone, code, stranger.displayName, { ...signup, deviceId: stranger.deviceId, ip: stranger.ip }));
  if (!login) return null;
  trail.signedIn(login.user.id).page("/#/me");
  const s = town.add({
    userId: login.user.id,
    displayName: stranger.displayName,
    phone: stranger.phone,
    deviceId: stranger.deviceId,
    ip: stranger.ip,
    address: stranger.address,
    addressId: null,
    inviterId: inviter?.userId ?? null,
    depth: inviter ? inviter.depth + 1 : 0,
    kol: temperament.kol ?? false,
    pull: temperament.pull ?? 1,
    promoter: "no",
    appetite: temperament.appetite ?? Math.min(0.6, Math.exp(-2.4 + 0.8 * dice.normal())),
    reach: temperament.reach ?? dice.int(1, 3) + (dice.chance(0.2) ? dice.int(1, 4) : 0),
    joinedAt: town.now(),
    inviteCode: null,
    coupons: [],
    invitees: [],
    shares: [],
    paidOrders: 0,
  });
  inviter?.invitees.push(s.userId);
  if (dice.chance(0.75)) {
    trail.click("coupon-centre");
    await claim(town, s, town.campaigns.coupons.newcomer);
  }
  return { shopper: s, trail };
}
