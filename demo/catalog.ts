import fs from "node:fs";
import path from "node:path";
import type { Deps } from "../src/deps.js";
import { systemActor } from "../src/platform/auth/principal.js";
import type { Db } from "../src/platform/db/database.js";
import { createAttribute } from "../src/modules/catalog/attributes.service.js";
import type { ProductRole } from "../src/modules/catalog/catalog.tables.js";
import { createCategory } from "../src/modules/catalog/categories.service.js";
import { createPriceList, type PriceListItem } from "../src/modules/catalog/price-lists.service.js";
import { createProduct, setProductStatus, type SkuInput } from "../src/modules/catalog/products.service.js";
import { setStock } from "../src/modules/inventory/inventory.service.js";
import { createMerchant } from "../src/modules/merchants/merchants.service.js";

type Specs = Record<string, string>;

interface DemoProduct {
  /** File name of the generated image, and the stem of SKU codes. */
  key: string;
  /** The few characters drawn on the image. */
  short: string;
  store: "self" | "fruit" | "apparel";
  category: string;
  title: string;
  subtitle: string;
  role: ProductRole;
  tags?: string[];
  exempt?: boolean;
  skus: Array<[Specs, number]>;
  weight: number;
  stock: number;
}

/** Every combination of the given spec values, all at one price. */
function grid(dims: Record<string, string[]>, price: number): Array<[Specs, number]> {
  let combos: Specs[] = [{}];
  for (const [name, values] of Object.entries(dims)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  return combos.map((c) => [c, price]);
}
const sizes = (...values: string[]) => values.map((v) => [{ 规格: v }, 0] as [Specs, number]);
const priced = (list: Array<[Specs, number]>, prices: number[]) => list.map(([s], i) => [s, prices[i]] as [Specs, number]);

const STORES = {
  self: { name: "裂变科技有限公司", storeName: "裂变优选", selfOperated: true, colors: ["#ff5a5f", "#ff9a44"] },
  fruit: { name: "杭州鲜果时光农业科技有限公司", storeName: "鲜果时光旗舰店", selfOperated: false, colors: ["#2bb673", "#a8e063"] },
  apparel: { name: "广州素简服饰有限公司", storeName: "素简衣橱官方店", selfOperated: false, colors: ["#5b6cff", "#9fa8ff"] },
} as const;

/** Categories as [name, parent, icon]; parents come before their children. */
const CATEGORIES: Array<[string, string | null, string]> = [
  ["生鲜水果", null, "🍊"],
  ["时令水果", "生鲜水果", "🍎"],
  ["进口水果", "生鲜水果", "🍒"],
  ["美妆个护", null, "💄"],
  ["数码家电", null, "🎧"],
  ["服饰鞋包", null, "👗"],
  ["女装", "服饰鞋包", "👚"],
  ["男装", "服饰鞋包", "👔"],
  ["鞋靴", "服饰鞋包", "👟"],
  ["家居日用", null, "🏠"],
  ["母婴玩具", null, "🧸"],
];

const PALETTE: Record<string, [string, string]> = {
  生鲜水果: ["#ff9a44", "#fc6076"],
  美妆个护: ["#f78ca0", "#f9748f"],
  数码家电: ["#4facfe", "#00f2fe"],
  服饰鞋包: ["#a18cd1", "#fbc2eb"],
  家居日用: ["#43e97b", "#38f9d7"],
  母婴玩具: ["#fddb92", "#f6a5c0"],
};

const PRODUCTS: DemoProduct[] = [
  { key: "navel-orange", short: "赣南脐橙", store: "fruit", category: "时令水果", title: "江西赣南脐橙 新鲜现摘", subtitle: "果园直发，酸甜多汁，坏果包赔", role: "basic", tags: ["当季", "爆款", "拼团热卖"], exempt: true, skus: priced(sizes("5斤装", "10斤装"), [2990, 4990]), weight: 2600, stock: 480 },
  { key: "shine-muscat", short: "阳光玫瑰", store: "fruit", category: "时令水果", title: "云南阳光玫瑰青提", subtitle: "玫瑰香气，脆甜无籽", role: "profit", tags: ["当季"], exempt: true, skus: priced(sizes("2斤装", "4斤装"), [5990, 10990]), weight: 1100, stock: 160 },
  { key: "mango", short: "贵妃芒", store: "fruit", category: "时令水果", title: "海南贵妃芒 大果", subtitle: "树上熟，香甜细腻", role: "basic", tags: ["当季"], exempt: true, skus: priced(sizes("3斤装", "5斤装"), [2590, 3990]), weight: 2600, stock: 220 },
  { key: "dekopon", short: "丑橘", store: "fruit", category: "时令水果", title: "四川不知火丑橘", subtitle: "果皮好剥，一口爆汁", role: "basic", tags: ["拼团热卖"], exempt: true, skus: priced(sizes("5斤装", "9斤装"), [3490, 5990]), weight: 2600, stock: 300 },
  { key: "fuji-apple", short: "红富士", store: "fruit", category: "时令水果", title: "烟台栖霞红富士苹果", subtitle: "脆甜多汁，每个80mm+", role: "basic", exempt: true, skus: priced(sizes("5斤装", "10斤装"), [2990, 5290]), weight: 2600, stock: 350 },
  { key: "blueberry", short: "蓝莓", store: "fruit", category: "时令水果", title: "云南高原蓝莓 125g×4盒", subtitle: "果粉完整，颗颗饱满", role: "profit", tags: ["新品"], exempt: true, skus: priced(sizes("4盒装", "8盒装"), [5990, 10990]), weight: 600, stock: 90 },
  { key: "cherry", short: "车厘子", store: "fruit", category: "进口水果", title: "智利进口车厘子 JJ级", subtitle: "果径28-30mm，顺丰冷链", role: "profit", tags: ["爆款"], exempt: true, skus: priced(sizes("2斤装", "5斤装"), [9990, 22900]), weight: 1100, stock: 120 },
  { key: "kiwi", short: "金果", store: "fruit", category: "进口水果", title: "新西兰佳沛阳光金果", subtitle: "维C满满，软糯香甜", role: "value_added", exempt: true, skus: priced(sizes("12个装", "22个装"), [12900, 19900]), weight: 1500, stock: 75 },
  { key: "durian", short: "榴莲", store: "fruit", category: "进口水果", title: "泰国金枕头榴莲 整颗", subtitle: "3-4斤，肉厚核小", role: "profit", exempt: true, skus: priced(sizes("3-4斤", "5-6斤"), [16900, 25900]), weight: 2500, stock: 8 },

  { key: "sheet-mask", short: "补水面膜", store: "self", category: "美妆个护", title: "玻尿酸深层补水面膜", subtitle: "一片含精华液30ml", role: "basic", tags: ["会员专享"], skus: priced(sizes("10片/盒", "30片/3盒"), [5900, 14900]), weight: 350, stock: 600 },
  { key: "cleanser", short: "洁面乳", store: "self", category: "美妆个护", title: "氨基酸温和洁面乳 120g", subtitle: "敏感肌可用，洗后不紧绷", role: "basic", skus: [[{ 规格: "120g" }, 4900]], weight: 160, stock: 420 },
  { key: "serum", short: "美白精华", store: "self", category: "美妆个护", title: "烟酰胺焕亮精华液 30ml", subtitle: "淡化暗沉，28天见效", role: "profit", tags: ["爆款"], skus: [[{ 规格: "30ml" }, 15900], [{ 规格: "50ml" }, 23900]], weight: 120, stock: 260 },
  { key: "sunscreen", short: "防晒霜", store: "self", category: "美妆个护", title: "清爽防晒霜 SPF50+ PA++++", subtitle: "轻薄不油腻，军训必备", role: "profit", skus: [[{ 规格: "50ml" }, 8900]], weight: 90, stock: 310 },
  { key: "lipstick", short: "口红", store: "self", category: "美妆个护", title: "丝绒哑光持久口红", subtitle: "不沾杯，显白百搭", role: "value_added", tags: ["新品"], skus: grid({ 颜色: ["正红", "豆沙", "枫叶红", "奶茶"] }, 12900), weight: 60, stock: 150 },

  { key: "earbuds", short: "蓝牙耳机", store: "self", category: "数码家电", title: "真无线降噪蓝牙耳机", subtitle: "40dB主动降噪，续航30小时", role: "basic", tags: ["爆款", "拼团热卖"], skus: grid({ 颜色: ["白色", "黑色"] }, 19900), weight: 200, stock: 500 },
  { key: "power-bank", short: "充电宝", store: "self", category: "数码家电", title: "20000mAh 快充充电宝", subtitle: "22.5W超级快充，可上飞机", role: "basic", skus: grid({ 颜色: ["白色", "黑色"] }, 12900), weight: 400, stock: 380 },
  { key: "band", short: "智能手环", store: "self", category: "数码家电", title: "智能运动手环 7", subtitle: "血氧心率监测，14天续航", role: "profit", skus: grid({ 颜色: ["曜石黑", "樱花粉", "湖光蓝"] }, 24900), weight: 150, stock: 210 },
  { key: "blender", short: "榨汁杯", store: "self", category: "数码家电", title: "便携式无线榨汁杯", subtitle: "30秒出汁，USB充电", role: "basic", skus: grid({ 颜色: ["奶白", "樱花粉", "薄荷绿"] }, 8900), weight: 600, stock: 260 },
  { key: "air-fryer", short: "空气炸锅", store: "self", category: "数码家电", title: "可视空气炸锅 5L 大容量", subtitle: "无油低脂，一键菜单", role: "profit", tags: ["新品"], skus: grid({ 颜色: ["白色", "黑色"] }, 32900), weight: 5200, stock: 90 },
  { key: "robot-vacuum", short: "扫地机器人", store: "self", category: "数码家电", title: "激光导航扫拖一体机器人", subtitle: "自动集尘，4000Pa大吸力", role: "value_added", skus: [[{ 颜色: "白色" }, 159900]], weight: 9000, stock: 35 },

  { key: "floral-dress", short: "碎花裙", store: "apparel", category: "女装", title: "法式复古碎花连衣裙", subtitle: "收腰显瘦，雪纺面料", role: "profit", tags: ["新品"], skus: grid({ 颜色: ["雾霾蓝", "奶黄"], 尺码: ["S", "M", "L"] }, 15900), weight: 300, stock: 40 },
  { key: "wide-jeans", short: "阔腿裤", store: "apparel", category: "女装", title: "高腰垂感阔腿牛仔裤", subtitle: "显高显瘦，不挑腿型", role: "basic", tags: ["爆款"], skus: grid({ 颜色: ["浅蓝", "深蓝"], 尺码: ["S", "M", "L"] }, 12900), weight: 550, stock: 60 },
  { key: "cardigan", short: "针织开衫", store: "apparel", category: "女装", title: "羊毛混纺软糯针织开衫", subtitle: "30%羊毛，亲肤不扎", role: "value_added", skus: grid({ 颜色: ["米白", "燕麦"], 尺码: ["M", "L"] }, 29900), weight: 450, stock: 30 },
  { key: "tee", short: "纯棉T恤", store: "apparel", category: "男装", title: "新疆长绒棉圆领T恤", subtitle: "220g重磅，不透不变形", role: "basic", tags: ["拼团热卖"], skus: grid({ 颜色: ["白色", "黑色"], 尺码: ["M", "L", "XL"] }, 5900), weight: 250, stock: 120 },
  { key: "shirt", short: "免烫衬衫", store: "apparel", category: "男装", title: "商务免烫长袖衬衫", subtitle: "抗皱易打理，通勤百搭", role: "profit", skus: grid({ 颜色: ["白色", "浅蓝"], 尺码: ["L", "XL"] }, 16900), weight: 300, stock: 50 },
  { key: "down-jacket", short: "羽绒服", store: "apparel", category: "男装", title: "轻薄白鸭绒羽绒服", subtitle: "90%白鸭绒，可收纳", role: "value_added", skus: grid({ 颜色: ["黑色", "藏青"], 尺码: ["L", "XL"] }, 39900), weight: 600, stock: 25 },
  { key: "sneakers", short: "小白鞋", store: "apparel", category: "鞋靴", title: "百搭透气小白鞋", subtitle: "头层牛皮，软底不累脚", role: "basic", skus: grid({ 尺码: ["36", "37", "38", "39", "40"] }, 19900), weight: 800, stock: 45 },
  { key: "tote", short: "帆布包", store: "apparel", category: "服饰鞋包", title: "大容量帆布托特包", subtitle: "可装A4和13寸电脑", role: "basic", skus: grid({ 颜色: ["米白", "黑色"] }, 7900), weight: 350, stock: 140 },

  { key: "tissue", short: "抽纸", store: "self", category: "家居日用", title: "原木浆三层抽纸 100抽", subtitle: "柔韧亲肤，湿水不易破", role: "basic", tags: ["爆款", "拼团热卖"], skus: priced(sizes("24包", "48包"), [3990, 6990]), weight: 4000, stock: 900 },
  { key: "laundry-pods", short: "洗衣凝珠", store: "self", category: "家居日用", title: "三合一洗衣凝珠 52颗", subtitle: "除菌除螨，留香持久", role: "basic", skus: [[{ 规格: "52颗" }, 4990]], weight: 1000, stock: 400 },
  { key: "bedding", short: "四件套", store: "self", category: "家居日用", title: "A类纯棉床上四件套", subtitle: "60支长绒棉，裸睡级亲肤", role: "profit", skus: [[{ 规格: "1.5m床", 颜色: "烟灰" }, 29900], [{ 规格: "1.5m床", 颜色: "雾蓝" }, 29900], [{ 规格: "1.8m床", 颜色: "烟灰" }, 32900], [{ 规格: "1.8m床", 颜色: "雾蓝" }, 32900]], weight: 2500, stock: 70 },
  { key: "thermos", short: "保温杯", store: "self", category: "家居日用", title: "316不锈钢保温杯 500ml", subtitle: "12小时保温，一键开盖", role: "basic", skus: grid({ 颜色: ["奶白", "墨黑", "雾蓝"] }, 8900), weight: 400, stock: 330 },

  { key: "diapers", short: "纸尿裤", store: "self", category: "母婴玩具", title: "超薄透气婴儿纸尿裤", subtitle: "3D瞬吸，一夜干爽", role: "basic", tags: ["会员专享"], skus: grid({ 尺码: ["S", "M", "L", "XL"] }, 12900), weight: 1500, stock: 200 },
  { key: "rice-cereal", short: "米粉", store: "self", category: "母婴玩具", title: "高铁婴儿营养米粉 250g", subtitle: "6个月以上宝宝辅食", role: "basic", exempt: true, skus: [[{ 规格: "250g" }, 4900]], weight: 300, stock: 260 },
  { key: "blocks", short: "积木", store: "self", category: "母婴玩具", title: "大颗粒拼插积木 120块", subtitle: "ABS环保材质，益智早教", role: "profit", tags: ["新品"], skus: [[{ 规格: "120块" }, 9900], [{ 规格: "260块" }, 16900]], weight: 1200, stock: 150 },
];

const xml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** A square tile: a gradient in the category's colours, the product's short name, the store underneath. */
function tileSvg(short: string, caption: string, [from, to]: readonly [string, string] | readonly string[]): string {
  const size = short.length <= 2 ? 200 : short.length <= 3 ? 160 : short.length <= 4 ? 130 : 104;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
<rect width="800" height="800" rx="48" fill="url(#g)"/>
<circle cx="660" cy="140" r="220" fill="#fff" opacity="0.12"/>
<circle cx="120" cy="700" r="160" fill="#fff" opacity="0.10"/>
<text x="400" y="420" text-anchor="middle" dominant-baseline="middle" font-family="'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif" font-size="${size}" font-weight="700" fill="#fff">${xml(short)}</text>
<text x="400" y="640" text-anchor="middle" font-family="'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif" font-size="40" fill="#fff" opacity="0.85">${xml(caption)}</text>
</svg>
`;
}

/** 会员价: about 5% off on a selection of everyday goods, rounded down to whole jiao. */
const memberPrice = (fen: number) => Math.floor((fen * 95) / 100 / 10) * 10;
const MEMBER_KEYS = new Set(["sheet-mask", "cleanser", "earbuds", "tissue", "laundry-pods", "thermos", "diapers", "rice-cereal", "navel-orange", "tee"]);

export type StoreKey = keyof typeof STORES;

/** A product of the demo catalog as the rest of the demo store needs it. */
export interface CatalogProduct {
  key: string;
  productId: string;
  merchantId: string;
  store: StoreKey;
  category: string;
  /** The top-level category it sits under (itself, for a top-level one). */
  section: string;
  role: ProductRole;
  /** Its SKUs in catalog order, with their list prices (fen) and the stock they started with. */
  skus: Array<{ id: string; price: number; stock: number }>;
}

export interface DemoCatalog {
  merchants: Record<StoreKey, string>;
  categories: Record<string, string>;
  products: CatalogProduct[];
  /** A product by its key (the file name of its image). */
  product(key: string): CatalogProduct;
}

/**
 * Loads the demo catalog: three stores (the platform's own 裂变优选 and two brand shops), a category tree,
 * spec attributes, products with SKUs and stock in the default warehouse, a bundle and a member price list.
 * For an empty database only; the caller checks.
 */
export async function seedDemoCatalog(deps: Deps, trx: Db): Promise<DemoCatalog> {
  const now = deps.clock.now();
  const actor = systemActor;
  const dir = path.join(deps.config.dataDir, "uploads", "demo");
  fs.mkdirSync(dir, { recursive: true });
  const image = (file: string, svg: string) => {
    fs.writeFileSync(path.join(dir, `${file}.svg`), svg);
    return `/uploads/demo/${file}.svg`;
  };

  const merchants: Record<string, string> = {};
  for (const [key, s] of Object.entries(STORES)) {
    const logo = image(`logo-${key}`, tileSvg(s.storeName.slice(0, 2), s.selfOperated ? "平台自营" : "品牌官方店", s.colors));
    merchants[key] = (await createMerchant(trx, actor, { name: s.name, storeName: s.storeName, selfOperated: s.selfOperated, logo }, now)).id;
  }

  const categories: Record<string, string> = {};
  const topOf: Record<string, string> = {};
  for (const [i, [name, parent, icon]] of CATEGORIES.entries()) {
    categories[name] = (await createCategory(trx, actor, { name, parentId: parent ? categories[parent] : null, icon, sort: i }, now)).id;
    topOf[name] = parent ? topOf[parent] : name;
  }

  await createAttribute(trx, actor, { name: "颜色", values: [], sort: 1 }, now);
  await createAttribute(trx, actor, { name: "尺码", values: ["S", "M", "L", "XL", "XXL", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44"], sort: 2 }, now);
  await createAttribute(trx, actor, { name: "规格", values: [], sort: 3 }, now);

  const skuIds: Record<string, string[]> = {};
  const products: CatalogProduct[] = [];
  const memberItems: PriceListItem[] = [];
  for (const p of PRODUCTS) {
    const store = STORES[p.store];
    const skus: SkuInput[] = p.skus.map(([specs, price], i) => ({ code: `${p.key.toUpperCase()}-${i + 1}`, specs, price, weightGrams: p.weight }));
    const created = await createProduct(
      trx,
      actor,
      {
        merchantId: merchants[p.store],
        categoryId: categories[p.category],
        title: p.title,
        subtitle: p.subtitle,
        description: `${p.title}。${p.subtitle}。由${store.storeName}发货，${p.exempt ? "生鲜/食品类商品不支持七天无理由退货，坏果包赔" : "支持七天无理由退货"}。`,
        images: [image(p.key, tileSvg(p.short, store.storeName, PALETTE[topOf[p.category]]))],
        role: p.role,
        afterSaleExempt: p.exempt ?? false,
        tags: p.tags,
        skus,
      },
      now,
    );
    skuIds[p.key] = created.skus.map((s) => s.id);
    const stocked: CatalogProduct["skus"] = [];
    for (const [i, sku] of created.skus.entries()) {
      // Stock varies a little across SKUs so that the store does not look machine-made.
      const stock = Math.max(3, p.stock - i * Math.ceil(p.stock / 7));
      await setStock(trx, { skuId: sku.id, onHand: stock, reason: "receipt", ref: "DEMO-入库-001" }, now);
      stocked.push({ id: sku.id, price: sku.price, stock });
      if (MEMBER_KEYS.has(p.key)) memberItems.push({ skuId: sku.id, price: memberPrice(sku.price), minQty: 1 });
    }
    products.push({ key: p.key, productId: created.id, merchantId: merchants[p.store], store: p.store, category: p.category, section: topOf[p.category], role: p.role, skus: stocked });
    await setProductStatus(trx, actor, created.id, "on_sale", now);
  }

  const [diaperM] = skuIds["diapers"].slice(1, 2);
  const [cereal] = skuIds["rice-cereal"];
  const bundle = await createProduct(
    trx,
    actor,
    {
      merchantId: merchants.self,
      categoryId: categories["母婴玩具"],
      kind: "bundle",
      title: "宝宝囤货组合装（纸尿裤M码×2 + 营养米粉×1）",
      subtitle: "组合价立省28元",
      description: "超薄透气婴儿纸尿裤 M码两包，搭配高铁婴儿营养米粉一罐。组合下单，按组件分别发货。",
      images: [image("baby-bundle", tileSvg("囤货套装", STORES.self.storeName, PALETTE["母婴玩具"]))],
      role: "value_added",
      tags: ["会员专享", "超值组合"],
      skus: [{ code: "BABY-BUNDLE-1", price: 27900, weightGrams: 3300, components: [{ skuId: diaperM, qty: 2 }, { skuId: cereal, qty: 1 }] }],
    },
    now,
  );
  await setProductStatus(trx, actor, bundle.id, "on_sale", now);

  await createPriceList(trx, actor, { name: "会员价", kind: "member", items: memberItems }, now);
  await createPriceList(trx, actor, { name: "抽纸量贩价", kind: "tiered", items: skuIds["tissue"].map((skuId, i) => ({ skuId, price: [3590, 6290][i], minQty: 3 })) }, now);
  return {
    merchants: merchants as Record<StoreKey, string>,
    categories,
    products,
    product(key) {
      const found = products.find((p) => p.key === key);
      if (!found) throw new Error(`no demo product ${key}`);
      return found;
    },
  };
}
