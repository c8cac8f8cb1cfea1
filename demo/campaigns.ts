import type { Deps } from "../src/deps.js";
import type { Actor } from "../src/platform/auth/principal.js";
import { DAY, HOUR, MINUTE } from "../src/platform/clock.js";
import { createActivity as createBargainActivity } from "../src/modules/bargain/activities.service.js";
import { createPair } from "../src/modules/coupons/coupon-pairs.service.js";
import { createTemplate, type TemplateInput } from "../src/modules/coupons/coupon-templates.service.js";
import { setRate, updateSettings } from "../src/modules/distribution/distribution.settings.js";
import { addItem, createSlot } from "../src/modules/flashsale/slots.service.js";
import { createActivity as createGroupbuyActivity } from "../src/modules/groupbuy/activities.service.js";
import { createActivity as createLotteryActivity } from "../src/modules/lottery/activities.service.js";
import { createPromotion } from "../src/modules/promotions/promotions.service.js";
import { createRule } from "../src/modules/rewards/reward-rules.js";
import type { DemoCatalog } from "./catalog.js";

/** A coupon template the demo's shoppers know how to use. */
export interface DemoCoupon {
  templateId: string;
  /** Goods (after promotions) the order must reach; 0 for none. */
  threshold: number;
  /** The store it is limited to, if any. */
  merchantId: string | null;
  /** Categories it is limited to, if any. */
  categoryIds: string[];
}

export interface TeamOffer {
  activityId: string;
  skuId: string;
  teamSize: number;
  title: string;
  endsAt: Date;
}

export interface BargainOffer {
  activityId: string;
  helpersNeeded: number;
  /** Whether the owner may buy before the floor, at the price reached. */
  earlyPurchase: boolean;
  title: string;
}

export interface DemoCampaigns {
  teams: TeamOffer[];
  bargains: BargainOffer[];
  lottery: { id: string; questions: Array<{ id: string; answer: number; options: number }> };
  coupons: { newcomer: DemoCoupon; over99: DemoCoupon; fruit: DemoCoupon; beauty: DemoCoupon; freeShipping: DemoCoupon; fission: DemoCoupon };
}

export interface FlashOffer {
  /** The product's key in the demo catalog, and which of its SKUs. */
  productKey: string;
  skuIndex: number;
  flashPrice: number;
  stock: number;
  perUserLimit: number;
}

const iso = (d: Date) => d.toISOString();

/**
 * Everything an operator sets up for the store's growth loops, live from `from` until weeks after `now`:
 * group buys (one 3-person), bargains, a lucky wheel, the coupon centre with a fission coupon and a
 * double-sided invite pair, 满减 and other promotions, reward rules with budgets, and distribution terms.
 * Created through each module's service at the caller's clock, so the history that follows runs on them.
 */
export async function launchCampaigns(deps: Deps, operator: Actor, catalog: DemoCatalog, window: { from: Date; now: Date }): Promise<DemoCampaigns> {
  const { from, now } = window;
  const sku = (key: string) => catalog.product(key).skus[0].id;
  const until = new Date(now.getTime() + 30 * DAY);

  await updateSettings(deps, operator, { autoApprove: false, bindingRule: "first", bindingDays: 30, levels: 2, level1RateBp: 1000, level2RateBp: 500, minWithdrawal: 1000, withdrawalFeeBp: 0 });
  // Thin margins on electronics, fat ones on cosmetics: the rates follow.
  for (const [category, l1, l2] of [["数码家电", 600, 300], ["美妆个护", 1500, 700]] as const) {
    await setRate(deps, operator, { scope: "category", targetId: catalog.categories[category], level: 1, rateBp: l1 });
    await setRate(deps, operator, { scope: "category", targetId: catalog.categories[category], level: 2, rateBp: l2 });
  }

  const teamDefs = [
    { key: "navel-orange", title: "赣南脐橙 3人拼团 19.9元/5斤", teamSize: 3, groupPrice: 1990, leaderPrice: 1790, stock: 300, perUserLimit: 2, platformFill: false, endsAt: until },
    { key: "earbuds", title: "降噪蓝牙耳机 2人团 立省50元", teamSize: 2, groupPrice: 14900, leaderPrice: 13900, stock: 150, perUserLimit: 1, platformFill: true, endsAt: until },
    { key: "tissue", title: "原木抽纸 2人团 囤货价", teamSize: 2, groupPrice: 2990, leaderPrice: 2790, stock: 200, perUserLimit: 3, platformFill: false, endsAt: new Date(now.getTime() - 14 * DAY) },
  ].filter((t) => t.endsAt > from);
  const teams: TeamOffer[] = [];
  for (const t of teamDefs) {
    const a = await createGroupbuyActivity(deps, operator, {
      title: t.title,
      teamSize: t.teamSize,
      fillMinutes: 24 * 60,
      paymentMinutes: 15,
      perUserLimit: t.perUserLimit,
      startsAt: from,
      endsAt: t.endsAt,
      platformFillsLastSeat: t.platformFill,
      skus: [{ skuId: sku(t.key), groupPrice: t.groupPrice, leaderPrice: t.leaderPrice, stock: t.stock }],
    });
    teams.push({ activityId: a.id, skuId: sku(t.key), teamSize: t.teamSize, title: t.title, endsAt: t.endsAt });
  }

  const bargains: BargainOffer[] = [];
  for (const b of [
    { key: "band", title: "智能运动手环 好友帮砍 最低9.9元", floorPrice: 990, helpersNeeded: 5, earlyPurchase: true, stock: 80 },
    { key: "air-fryer", title: "可视空气炸锅 砍到99元带回家", floorPrice: 9900, helpersNeeded: 8, earlyPurchase: false, stock: 40 },
  ]) {
    const a = await createBargainActivity(deps, operator, { skuId: sku(b.key), title: b.title, floorPrice: b.floorPrice, helpersNeeded: b.helpersNeeded, timeLimitMinutes: 24 * 60, earlyPurchase: b.earlyPurchase, paymentMinutes: 15, stock: b.stock, startsAt: from, endsAt: until });
    bargains.push({ activityId: a.id, helpersNeeded: b.helpersNeeded, earlyPurchase: b.earlyPurchase, title: b.title });
  }

  const template = async (input: TemplateInput): Promise<DemoCoupon> => {
    const t = await createTemplate(deps, operator, input);
    return { templateId: t.id, threshold: input.threshold ?? 0, merchantId: input.merchantId ?? null, categoryIds: input.scope === "categories" ? (input.scopeIds ?? []) : [] };
  };
  const coupons = {
    newcomer: await template({ name: "新人专享 无门槛5元券", kind: "fixed", amount: 500, perUserLimit: 1, validDays: 7 }),
    over99: await template({ name: "全场通用 满99减15", kind: "threshold", amount: 1500, threshold: 9900, perUserLimit: 2, stock: 5000, validDays: 14 }),
    fruit: await template({ name: "鲜果时光 满59减8", merchantId: catalog.merchants.fruit, kind: "threshold", amount: 800, threshold: 5900, perUserLimit: 1, validDays: 10 }),
    beauty: await template({ name: "美妆个护 8.5折 最高减30", kind: "percent", percentOff: 15, maxOff: 3000, scope: "categories", scopeIds: [catalog.categories["美妆个护"]], perUserLimit: 1, validDays: 14 }),
    freeShipping: await template({ name: "包邮券", kind: "free_shipping", perUserLimit: 2, validDays: 7 }),
    fission: await template({ name: "分享3位好友 解锁20元券", kind: "fixed", amount: 2000, threshold: 9900, fissionShares: 3, perUserLimit: 1, validDays: 7 }),
  };
  const inviterGift = await template({ name: "邀友奖励 满59减10", kind: "threshold", amount: 1000, threshold: 5900, claimable: false, validDays: 30 });
  const friendGift = await template({ name: "好友首单礼 满39减8", kind: "threshold", amount: 800, threshold: 3900, claimable: false, validDays: 30 });
  await createPair(deps, operator, { name: "邀请好友 双方各得优惠券", inviterTemplateId: inviterGift.templateId, friendTemplateId: friendGift.templateId });
  const wheelCoupon = await template({ name: "大转盘专享 满39减5", kind: "threshold", amount: 500, threshold: 3900, claimable: false, stock: 800, validDays: 7 });

  const lottery = await createLotteryActivity(deps, operator, {
    title: "天天抽好礼 · 幸运大转盘",
    kind: "wheel",
    startsAt: from,
    endsAt: until,
    dailyFreeChances: 1,
    shareChancesPerDay: 2,
    cashBudget: 30_000,
    prizes: [
      { kind: "points", name: "50 积分", probabilityBp: 3500, amount: 50 },
      { kind: "points", name: "200 积分", probabilityBp: 1000, amount: 200 },
      { kind: "cash", name: "1.88 元现金红包", probabilityBp: 800, amount: 188 },
      { kind: "coupon", name: "满39减5 优惠券", probabilityBp: 1500, couponTemplateId: wheelCoupon.templateId, stock: 800 },
      { kind: "goods", name: "降噪蓝牙耳机", probabilityBp: 20, stock: 3 },
      { kind: "thanks", name: "谢谢参与", probabilityBp: 3180 },
    ],
    questions: [
      { prompt: "赣南脐橙的主产地在哪个省？", options: ["江西", "广东", "云南", "四川"], answer: 0 },
      { prompt: "满多少元全场包邮？", options: ["59 元", "79 元", "99 元", "129 元"], answer: 2 },
      { prompt: "七天无理由退货从哪天开始算？", options: ["下单当天", "签收当天", "发货当天"], answer: 1 },
    ],
  });

  await createPromotion(deps, operator, { kind: "full_reduction", name: "全场满199减20 满299减40", tiers: [{ threshold: 19900, off: 2000 }, { threshold: 29900, off: 4000 }], startsAt: iso(from), endsAt: iso(until) });
  await createPromotion(deps, operator, { kind: "limited_price", name: "阳光玫瑰 限时特价", skuId: sku("shine-muscat"), price: 4990, startsAt: iso(new Date(now.getTime() - 3 * DAY)), endsAt: iso(new Date(now.getTime() + 4 * DAY)) });
  await createPromotion(deps, operator, { kind: "gift", name: "鲜果时光 满149送红富士5斤", merchantId: catalog.merchants.fruit, threshold: 14900, giftSkuId: sku("fuji-apple"), giftQty: 1, startsAt: iso(from), endsAt: iso(until) });

  const rule = (input: Parameters<typeof createRule>[1]) => createRule(deps, input, operator);
  await rule({ name: "邀请好友注册 得2元现金", trigger: "invitee_registered", beneficiary: "inviter", rewardKind: "cash", amount: 200, budget: 100_000, capPerUser: 6000, capPerUserPerDay: 2000, claimDays: 30 });
  await rule({ name: "好友首单完成 邀请人得5元", trigger: "invitee_first_order_completed", beneficiary: "inviter", rewardKind: "cash", amount: 500, budget: 100_000, claimDays: 30 });
  await rule({ name: "分享下单 分享人返3%", trigger: "share_order_paid", beneficiary: "sharer", rewardKind: "cash", rateBps: 300, budget: 200_000, capPerUserPerDay: 5000, claimDays: 30 });
  // Points and growth for every received order came in with the member programme, a few days ago.
  const programme = iso(new Date(now.getTime() - 5 * DAY));
  await rule({ name: "确认收货 每消费1元得1积分", trigger: "order_completed", beneficiary: "buyer", rewardKind: "points", rateBps: 100, budget: 5_000_000, autoClaim: true, startsAt: programme });
  await rule({ name: "确认收货 累积成长值", trigger: "order_completed", beneficiary: "buyer", rewardKind: "growth", rateBps: 100, budget: 50_000_000, autoClaim: true, startsAt: programme });

  const questions = lottery.questions.map((q) => ({ id: q.id, answer: q.answer, options: q.options.length }));
  return { teams, bargains, lottery: { id: lottery.id, questions }, coupons };
}

/** A 秒杀 slot with its items; terms are fixed from its opening, so it is set up beforehand. */
export async function openFlashSlot(deps: Deps, operator: Actor, catalog: DemoCatalog, slot: { title: string; opensAt: Date; minutes: number; items: FlashOffer[] }) {
  const created = await createSlot(deps, operator, { title: slot.title, opensAt: slot.opensAt, closesAt: new Date(slot.opensAt.getTime() + slot.minutes * MINUTE) });
  const items: Array<{ itemId: string; skuId: string; perUserLimit: number }> = [];
  for (const i of slot.items) {
    const skuId = catalog.product(i.productKey).skus[i.skuIndex].id;
    const item = await addItem(deps, operator, created.id, { skuId, flashPrice: i.flashPrice, stock: i.stock, perUserLimit: i.perUserLimit, paymentMinutes: 5 });
    items.push({ itemId: item.id, skuId, perUserLimit: i.perUserLimit });
  }
  return { slotId: created.id, items };
}

/** The 秒杀 on at start (part sold already) and the next one, a few hours on. */
export async function liveFlashSlots(deps: Deps, operator: Actor, catalog: DemoCatalog, now: Date) {
  const running = await openFlashSlot(deps, operator, catalog, {
    title: "限时秒杀 · 车厘子 & 充电宝",
    opensAt: new Date(now.getTime() - 40 * MINUTE),
    minutes: 6 * 60,
    items: [
      { productKey: "cherry", skuIndex: 0, flashPrice: 5990, stock: 24, perUserLimit: 1 },
      { productKey: "power-bank", skuIndex: 0, flashPrice: 6900, stock: 30, perUserLimit: 1 },
    ],
  });
  const nextHour = Math.ceil((now.getTime() + 3 * HOUR) / HOUR) * HOUR;
  const upcoming = await openFlashSlot(deps, operator, catalog, {
    title: "整点秒杀 · 空气炸锅 & 补水面膜",
    opensAt: new Date(nextHour),
    minutes: 2 * 60,
    items: [
      { productKey: "air-fryer", skuIndex: 0, flashPrice: 19900, stock: 12, perUserLimit: 1 },
      { productKey: "sheet-mask", skuIndex: 0, flashPrice: 2990, stock: 60, perUserLimit: 2 },
    ],
  });
  return { running, upcoming };
}
