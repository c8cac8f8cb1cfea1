import { Type } from "@sinclair/typebox";
import { FenAmount, IdOf } from "../../platform/http/schemas.js";

/** Request shapes shared by the catalog's routes. */
export const Role = Type.Union([Type.Literal("basic"), Type.Literal("profit"), Type.Literal("value_added")], { description: "基础款 / 利润款 / 增值款 (000 §4.1)" });
export const ProductStatusSchema = Type.Union([Type.Literal("draft"), Type.Literal("on_sale"), Type.Literal("off_sale")]);
export const ImageUrl = Type.String({ minLength: 1, maxLength: 500, pattern: "^(/|https?://)", description: "absolute URL or a path under this server" });
export const Tag = Type.String({ minLength: 1, maxLength: 20 });
export const Channel = Type.String({ pattern: "^[a-z][a-z0-9_]{1,31}$", description: "sales channel: own_store, tmall, jd, pinduoduo, douyin, …" });
export const Specs = Type.Record(Type.String({ minLength: 1, maxLength: 20 }), Type.String({ minLength: 1, maxLength: 40 }), {
  description: 'spec values by attribute name, e.g. {"颜色": "红", "尺码": "M"}',
  maxProperties: 5,
});
export const Component = Type.Object({ skuId: IdOf("sku"), qty: Type.Integer({ minimum: 1, maximum: 99 }) }, { additionalProperties: false });

export const SkuBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, description: "the store's own SKU code" }),
    specs: Type.Optional(Specs),
    price: FenAmount,
    weightGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    components: Type.Optional(Type.Array(Component, { maxItems: 20, description: "bundles only: the SKUs it is made of" })),
  },
  { additionalProperties: false },
);

export const ProductFields = {
  categoryId: IdOf("cat"),
  title: Type.String({ minLength: 1, maxLength: 100 }),
  subtitle: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  images: Type.Optional(Type.Array(ImageUrl, { maxItems: 20 })),
  role: Role,
  afterSaleExempt: Type.Optional(Type.Boolean({ description: "exempt from the 7-day no-reason return (fresh food, custom goods)" })),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 10 })),
};
