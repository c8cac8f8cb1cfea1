import type { AddressInput } from "../src/modules/identity/addresses.service.js";
import type { Dice } from "./dice.js";

/** Someone the demo store invents: who they are before they ever sign up. */
export interface Stranger {
  phone: string;
  displayName: string;
  recipient: string;
  address: AddressInput;
  deviceId: string;
  ip: string;
}

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤".split("");
const GIVEN = [
  "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平",
  "婷", "雪", "琳", "欣", "怡", "浩", "宇", "轩", "子涵", "梓萱", "思雨", "一诺", "佳怡", "雨桐", "晨", "博文", "晓燕", "海波",
  "春梅", "志强", "建华", "文静", "嘉怡", "俊杰", "欣然", "梦瑶", "天佑", "诗琪", "子豪", "雅婷", "昊然", "若曦", "晓东", "丹丹",
];
const PET = ["雨", "鱼", "敏", "蔡", "胖", "美", "七", "满", "乐", "宝", "米", "丁", "叶", "桃", "可", "糖"];
const KIDS = ["乐乐", "豆豆", "朵朵", "果果", "糖糖", "多多", "天天", "洋洋", "贝贝", "团团", "米粒", "小宝"];
const NICKNAMES = [
  "橙子不酸", "快乐星球", "奶茶三分糖", "今天也要加油", "吃不胖的猫", "南风知我意", "一只小胖橘", "晴天娃娃", "山有木兮",
  "追光的人", "柠檬气泡水", "慢慢来", "好运连连", "人间烟火", "星河滚烫", "薄荷微凉", "等风来", "岁月静好", "向日葵",
  "小确幸", "早睡早起", "西瓜太郎", "拾光", "猫系女友", "干饭人", "打工人小李", "周末去哪儿", "爱吃草莓", "一颗柚子",
];
const LATIN = ["Cathy", "Momo", "Tina", "Kevin", "Lily", "Coco", "Jason", "Vivian", "Amy", "Leo", "Sunny", "Echo", "Ivy", "Max"];

/** [province, city, districts, streets] of cities where the demo store's buyers live. */
const CITIES: Array<[string, string, string[], string[]]> = [
  ["浙江省", "杭州市", ["西湖区", "拱墅区", "上城区", "滨江区", "余杭区"], ["文三路", "教工路", "学院路", "江南大道", "文一西路", "莫干山路"]],
  ["上海市", "上海市", ["浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区"], ["张杨路", "漕溪北路", "南京西路", "七莘路", "国定路"]],
  ["北京市", "北京市", ["朝阳区", "海淀区", "丰台区", "东城区"], ["建国路", "中关村大街", "丰台北路", "东四北大街", "望京街"]],
  ["广东省", "广州市", ["天河区", "越秀区", "海珠区", "番禺区"], ["天河路", "中山五路", "江南大道中", "市桥路"]],
  ["广东省", "深圳市", ["南山区", "福田区", "宝安区", "龙华区"], ["科技园路", "深南大道", "宝安大道", "民治大道"]],
  ["四川省", "成都市", ["武侯区", "锦江区", "高新区", "青羊区"], ["人民南路", "春熙路", "天府大道", "光华大道"]],
  ["江苏省", "南京市", ["鼓楼区", "玄武区", "建邺区", "江宁区"], ["中山北路", "珠江路", "江东中路", "双龙大道"]],
  ["江苏省", "苏州市", ["姑苏区", "工业园区", "吴中区"], ["人民路", "星湖街", "东吴北路"]],
  ["湖北省", "武汉市", ["洪山区", "江汉区", "武昌区"], ["珞喻路", "解放大道", "中北路"]],
  ["陕西省", "西安市", ["雁塔区", "碑林区", "未央区"], ["小寨东路", "南大街", "凤城八路"]],
  ["湖南省", "长沙市", ["岳麓区", "芙蓉区", "天心区"], ["麓山南路", "五一大道", "芙蓉中路"]],
  ["重庆市", "重庆市", ["渝中区", "江北区", "渝北区"], ["解放碑步行街", "观音桥步行街", "金开大道"]],
  ["浙江省", "宁波市", ["鄞州区", "海曙区"], ["天童南路", "中山西路"]],
  ["福建省", "厦门市", ["思明区", "湖里区"], ["湖滨南路", "仙岳路"]],
];
const ESTATES = ["阳光花园", "万科城", "绿城桂花园", "保利香槟国际", "碧桂园", "融创玖樟台", "金地格林小镇", "龙湖春江郦城", "华润悦府", "中海寰宇天下"];
const PHONE_PREFIXES = ["135", "136", "137", "139", "150", "151", "152", "158", "159", "182", "183", "186", "187", "188", "189", "131", "132", "155", "156", "185", "133", "153", "180", "181", "177", "199"];
const IP_PREFIXES = [36, 39, 58, 60, 101, 106, 111, 112, 113, 114, 115, 116, 117, 119, 120, 121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 218, 219, 220, 221, 222, 223];

/** Invents people one at a time, never the same phone number twice. */
export class Crowd {
  private phones = new Set<string>(["13800000001", "13800000002"]);
  private devices = 0;

  constructor(private readonly dice: Dice) {}

  private realName(): string {
    return this.dice.pick(SURNAMES) + this.dice.pick(GIVEN);
  }

  private displayName(realName: string): string {
    const d = this.dice;
    const style = d.next();
    if (style < 0.3) return realName;
    if (style < 0.5) return (d.chance(0.6) ? "小" : "阿") + (d.chance(0.5) ? realName.slice(-1) : d.pick(PET));
    if (style < 0.62) return `${d.pick(KIDS)}${d.chance(0.8) ? "妈" : "爸"}`;
    if (style < 0.72) return `${d.pick(LATIN)}${d.chance(0.5) ? `_${realName.slice(0, 1)}` : ""}`;
    return d.pick(NICKNAMES) + (d.chance(0.3) ? String(d.int(1, 99)) : "");
  }

  private phone(): string {
    for (;;) {
      const phone = this.dice.pick(PHONE_PREFIXES) + String(this.dice.int(0, 99_999_999)).padStart(8, "0");
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }

  /** A phone's browser: its id is what the store keeps in localStorage and sends as X-Device-Id. */
  device(): string {
    this.devices += 1;
    return `dv${this.devices.toString(36).padStart(4, "0")}${Math.floor(this.dice.next() * 36 ** 6).toString(36)}`;
  }

  ip(): string {
    const d = this.dice;
    return `${d.pick(IP_PREFIXES)}.${d.int(1, 254)}.${d.int(0, 255)}.${d.int(1, 254)}`;
  }

  stranger(displayName?: string): Stranger {
    const d = this.dice;
    const recipient = this.realName();
    const phone = this.phone();
    const [province, city, districts, streets] = d.pick(CITIES);
    const detail = d.chance(0.5)
      ? `${d.pick(streets)} ${d.int(1, 999)} 号 ${d.int(1, 12)} 幢 ${d.int(1, 30)}0${d.int(1, 4)} 室`
      : `${d.pick(ESTATES)} ${d.int(1, 30)} 栋 ${d.int(1, 3)} 单元 ${d.int(1, 33)}0${d.int(1, 4)}`;
    return {
      phone,
      displayName: displayName ?? this.displayName(recipient),
      recipient,
      address: { recipient, phone, province, city, district: d.pick(districts), detail, isDefault: true },
      deviceId: this.device(),
      ip: this.ip(),
    };
  }
}
