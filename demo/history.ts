import { availableStock, setStock, stockLevels } from "../src/modules/inventory/inventory.service.js";
import { systemActor } from "../src/platform/auth/principal.js";
import { DAY, HOUR, MINUTE } from "../src/platform/clock.js";
import type { DemoConsumer } from "./accounts.js";
import { Agenda } from "./agenda.js";
import { share, welcome, type Shared } from "./arrivals.js";
import { Footprints } from "./browsing.js";
import { followShare, grab, leadTeam, startBargaining } from "./campaign-play.js";
import { type DemoCampaigns, type FlashOffer, liveFlashSlots, openFlashSlot } from "./campaigns.js";
import type { DemoCatalog } from "./catalog.js";
import type { Crowd } from "./crowd.js";
import type { Dice } from "./dice.js";
import { cashOut, payOut, reviewApplications } from "./earnings.js";
import type { Past } from "./past.js";
import { basket, buy, claim, favouriteProduct, firstOrder, shipPaidOrders } from "./purchases.js";
import { type Shopper, type Staff, Town } from "./town.js";
import { dropIn, glance, lookAround, passBy } from "./visits.js";

/** Eight weeks: enough for weekly cohorts, week-on-week trends and commissions that came through their wait. */
export const HISTORY_DAYS = 56;

/** New sign-ups a day at the start of the history, before weekday, growth and chance. */
const SIGNUPS_PER_DAY = 1.2;
/** Visitors a day who look around and never sign up, likewise. */
const PASSERS_BY_PER_DAY = 200;

const SHANGHAI = 8 * HOUR;
/** The Asia/Shanghai midnight that starts the day `at` falls in. */
export const shanghaiMidnight = (at: Date) => new Date(Math.floor((at.getTime() + SHANGHAI) / DAY) * DAY - SHANGHAI);

/** How busy each hour of a Shanghai day is: lunchtime and the evening are the peaks. */
const HOURLY = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2, 2.5, 3, 3, 3.5, 3, 2.5, 2.5, 2.5, 2.5, 3, 3.5, 4.5, 5, 4, 2.5];
const HOURS = HOURLY.map((_, h) => h);
const momentOf = (dice: Dice, midnight: Date) => midnight.getTime() + dice.weighted(HOURS, (h) => HOURLY[h]) * HOUR + dice.int(0, HOUR / 1000 - 1) * 1000;

/** Weekends are busier, Mondays quieter (weekday of the Shanghai date). */
function weekday(midnight: Date): number {
  const day = new Date(midnight.getTime() + SHANGHAI).getUTCDay();
  return [1.3, 0.85, 0.95, 1, 1.05, 1.1, 1.35][day];
}

/** The store grows week on week; the 年货节 push three weeks before the end lifts it for a few days. */
const growth = (day: number) => 0.2 + 1.1 * (day / (HISTORY_DAYS - 1)) ** 1.5 + (day >= 34 && day <= 37 ? 0.5 : 0);

/** Flash-sale goods in rotation: [product key, SKU index, flash price in fen]. */
const FLASH_GOODS: Array<[string, number, number]> = [
  ["cherry", 0, 5990], ["earbuds", 1, 9900], ["power-bank", 1, 6900], ["sheet-mask", 0, 2990], ["blender", 0, 4990],
  ["thermos", 0, 3990], ["kiwi", 0, 7990], ["serum", 0, 8900], ["mango", 0, 1590], ["sneakers", 2, 9900],
];

/** The founding KOLs (达人) who bring their followers: [name, day they join]. */
const KOLS: Array<[string, number]> = [["美妆博主Coco", 0], ["宝妈团长丽丽", 1], ["数码控老王", 3], ["吃货小分队May", 5]];

export interface HistoryCast {
  catalog: DemoCatalog;
  campaigns: DemoCampaigns;
  staff: Staff;
  demo: { buyer: DemoConsumer; promoter: DemoConsumer };
  crowd: Crowd;
  dice: Dice;
}

export interface HistorySummary {
  consumers: number;
  paidOrders: number;
  browserEvents: number;
}

/**
 * Plays the weeks before `now`, day by day on the past's clock: people sign up through invites, shares
 * and on their own, shop, group-buy, bargain, grab flash sales, spin the wheel, share, claim rewards;
 * stores ship, buyers confirm, review and now and then return; promoters earn and withdraw. Ends with the
 * live flash sale running and the next one announced.
 */
export async function playHistory(past: Past, cast: HistoryCast, now: Date): Promise<HistorySummary> {
  const { catalog, campaigns, staff, demo, crowd, dice } = cast;
  const from = past.clock.now();
  const agenda = new Agenda(past);
  const footprints = new Footprints(dice);
  const town = new Town(past, dice, crowd, catalog, campaigns, staff, agenda, footprints);
  const buyer = town.add(shopperOf(demo.buyer, from, { appetite: 0.2, reach: 3 }));
  // 阿杰 has a following: the promoter centre he shows has customers and commission in every state.
  const promoter = town.add(shopperOf(demo.promoter, from, { appetite: 0.6, reach: 10, kol: true, pull: 10, promoter: "approved" }));

  const days = Math.round((shanghaiMidnight(now).getTime() - from.getTime()) / DAY) + 1;
  const sometimeOn = (day: number) => momentOf(dice, new Date(from.getTime() + day * DAY));
  for (let d = 0; d < days; d++) agenda.add(from.getTime() + d * DAY, () => planDay(town, d));
  // 小红 shops now and then, and brought a friend in a couple of weeks ago (her reward still waits to be claimed).
  for (const d of [4, 11, 19, 28, 38, 47, 53]) agenda.add(sometimeOn(d), () => buy(town, buyer, basket(town)));
  agenda.add(sometimeOn(days - 14), async () => void (await welcome(town, crowd.stranger(), { path: "invite", inviter: buyer })));
  // She has coupons in her pocket for the next order.
  agenda.add(now.getTime() - 20 * HOUR, async () => {
    await claim(town, buyer, campaigns.coupons.over99);
    await claim(town, buyer, campaigns.coupons.freeShipping);
  });
  // 阿杰's first customers come early, so some of his commission is through its wait by now.
  for (const d of [4, 9, 15, 27]) {
    agenda.add(sometimeOn(d), async () => {
      const arrived = await welcome(town, crowd.stranger(), { path: "invite", inviter: promoter });
      if (arrived) town.later(dice.int(10, 90), () => firstOrder(town, arrived.shopper));
    });
  }
  agenda.add(now.getTime() - 2 * HOUR, () => openLiveFlashSale(town, now));
  // Teams still filling and a bargain still being cut when the store opens.
  for (const [hoursAgo, offer] of [[7, campaigns.teams[0]], [3, campaigns.teams[1]]] as const) {
    agenda.add(now.getTime() - hoursAgo * HOUR, () => leadTeam(town, dice.pick(town.shoppers), offer));
  }
  agenda.add(now.getTime() - 5 * HOUR, async () => {
    const s = dice.pick(town.shoppers);
    const offer = campaigns.bargains[0];
    await startBargaining(town, s, offer, footprints.visit({ userId: s.userId, anonymousId: s.deviceId }, town.now()).page(`/#/bargain/${offer.activityId}`));
  });

  await agenda.runUntil(now);
  await footprints.flush(past.deps.db);
  return { consumers: town.shoppers.length, paidOrders: town.shoppers.reduce((n, s) => n + s.paidOrders, 0), browserEvents: footprints.recorded };
}

function shopperOf(c: DemoConsumer, joinedAt: Date, habits: Pick<Shopper, "appetite" | "reach"> & Partial<Pick<Shopper, "kol" | "pull" | "promoter">>): Shopper {
  return { ...c, inviterId: null, depth: 0, kol: false, pull: 1, promoter: "no", joinedAt, inviteCode: null, coupons: [], invitees: [], shares: [], paidOrders: 0, ...habits };
}

/** Puts one day on the agenda: its sign-ups, visits, flash sales and the stores' and operators' rounds. */
async function planDay(town: Town, day: number): Promise<void> {
  const { dice, agenda } = town;
  const midnight = town.now();
  const at = (hour: number, minute = 0) => midnight.getTime() + hour * HOUR + minute * MINUTE;
  const busy = weekday(midnight) * growth(day);
  const sometime = () => momentOf(dice, midnight);

  agenda.add(at(6), () => restock(town));
  for (const [name, joins] of KOLS) if (joins === day) agenda.add(at(dice.int(9, 21)), async () => void (await welcome(town, town.crowd.stranger(name), { path: "organic" }, { kol: true, pull: 5, appetite: 0.5, reach: dice.int(8, 14) })));
  for (let n = Math.round(SIGNUPS_PER_DAY * busy * dice.between(0.75, 1.25)); n > 0; n--) agenda.add(sometime(), () => arrive(town));
  for (const s of town.shoppers) {
    const weeks = (midnight.getTime() - s.joinedAt.getTime()) / (7 * DAY);
    // Most people come back less week by week; KOLs keep at it. Many visits are only a look around.
    const fade = s.kol ? 1 : 0.15 + 0.85 * Math.exp(-weeks / 1.8);
    const likely = s.appetite * fade * weekday(midnight);
    if (dice.chance(Math.min(0.9, likely))) agenda.add(sometime(), () => dropIn(town, s));
    if (dice.chance(Math.min(0.9, likely * 2.5))) glance(town, s, new Date(sometime()));
  }
  for (let n = Math.round(PASSERS_BY_PER_DAY * busy * dice.between(0.8, 1.2)); n > 0; n--) {
    const shared = dice.chance(0.05) ? recentShare(town) : null;
    if (shared) agenda.add(sometime(), () => passBy(town, shared));
    else lookAround(town, new Date(sometime()));
  }
  const dow = new Date(midnight.getTime() + SHANGHAI).getUTCDay();
  if (dow === 6) await flashSale(town, midnight, day);
  agenda.add(at(10, 30), () => reviewApplications(town));
  agenda.add(at(16), () => shipPaidOrders(town, new Date(at(14))));
  if (dow === 1) agenda.add(at(21), () => cashOut(town));
  if (dow === 2) agenda.add(at(10), () => payOut(town));
  agenda.add(at(23, 59), () => town.footprints.flush(town.deps.db));
}

/** Someone new signs up: on their own, through a friend's invite link, or through something a friend shared. */
async function arrive(town: Town): Promise<void> {
  const { dice } = town;
  const stranger = town.crowd.stranger();
  const inviter = dice.chance(0.22) ? null : chooseInviter(town);
  if (!inviter || dice.chance(0.4)) {
    const arrived = await welcome(town, stranger, inviter ? { path: "invite", inviter } : { path: "organic" });
    // The newcomer coupon is burning a hole in their pocket.
    if (arrived && dice.chance(0.35)) town.later(dice.int(5, 120), () => firstOrder(town, arrived.shopper));
    return;
  }
  const fresh = inviter.shares.find((sh) => town.now().getTime() - sh.at.getTime() < 2 * DAY);
  const shared = fresh ?? (await share(town, inviter, { type: "product", id: favouriteProduct(town).productId }, null));
  const arrived = await welcome(town, stranger, { path: "share", shared });
  if (arrived) await followShare(town, arrived.shopper, shared, arrived.trail);
}

/**
 * Who brings the next newcomer: often someone who was just brought in themselves and passes it on (so
 * the invite chains grow deep), otherwise KOLs and promoters most and recent joiners more than old hands.
 */
function chooseInviter(town: Town): Shopper | null {
  const now = town.now().getTime();
  const candidates = town.shoppers.filter((s) => s.depth < 4);
  if (candidates.length === 0) return null;
  const passing = candidates.filter((s) => s.inviterId && now - s.joinedAt.getTime() < 3 * DAY);
  if (passing.length > 0 && town.dice.chance(0.3)) return town.dice.pick(passing);
  return town.dice.weighted(candidates, (s) => s.pull * (s.promoter === "approved" ? 1.5 : 1) * (now - s.joinedAt.getTime() < 10 * DAY ? 4 : 1));
}

function recentShare(town: Town): Shared | null {
  const sharers = town.shoppers.filter((s) => s.shares.length > 0);
  return sharers.length > 0 ? town.dice.pick(town.dice.weighted(sharers, (s) => s.reach).shares) : null;
}

/** Saturday's 秒杀 at 20:00: set up in the morning, a handful of units, over in minutes. */
async function flashSale(town: Town, midnight: Date, day: number): Promise<void> {
  const { dice } = town;
  const goods = [FLASH_GOODS[day % FLASH_GOODS.length], FLASH_GOODS[(day + 4) % FLASH_GOODS.length]];
  const items: FlashOffer[] = goods.map(([productKey, skuIndex, flashPrice]) => ({ productKey, skuIndex, flashPrice, stock: dice.int(4, 8), perUserLimit: 1 }));
  const opensAt = new Date(midnight.getTime() + 20 * HOUR);
  const slot = await openFlashSlot(town.deps, systemActor, town.catalog, { title: "20点场 限时秒杀", opensAt, minutes: 60, items });
  for (const s of dice.sample(town.shoppers, Math.round(dice.int(1, 3) * growth(day)))) {
    town.agenda.add(opensAt.getTime() + dice.int(0, 240) * 1000, () => grab(town, s, dice.pick(slot.items)));
  }
}

/** The 秒杀 running when the server starts (some of it sold in its first minutes) and the next one. */
async function openLiveFlashSale(town: Town, now: Date): Promise<void> {
  const { dice } = town;
  const { running } = await liveFlashSlots(town.deps, systemActor, town.catalog, now);
  const opened = now.getTime() - 40 * MINUTE;
  for (const s of dice.sample(town.shoppers, 5)) town.agenda.add(opened + dice.int(0, 35 * 60) * 1000, () => grab(town, s, dice.pick(running.items)));
}

/** Goods received (入库) overnight for whatever runs low, back to the stock the store opened with. */
async function restock(town: Town): Promise<void> {
  const skus = town.catalog.products.flatMap((p) => p.skus);
  const available = await availableStock(town.deps.db, skus.map((s) => s.id));
  for (const sku of skus) {
    if ((available.get(sku.id) ?? 0) >= sku.stock * 0.4) continue;
    const [level] = await stockLevels(town.deps.db, sku.id);
    await town.deps.db.transaction().execute((trx) => setStock(trx, { skuId: sku.id, onHand: level.reserved + sku.stock, reason: "receipt", ref: "补货入库" }, town.now()));
  }
}
