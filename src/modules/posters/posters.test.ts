import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import jsqr from "jsqr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTestContext, signInConsumer, signInStaff, type TestContext } from "../../testing/harness.js";

// jsqr is a UMD bundle whose types declare an ES default export: Node hands over the function itself.
const jsQR = ((jsqr as unknown as { default?: typeof jsqr.default }).default ?? jsqr) as unknown as typeof jsqr.default;

let ctx: TestContext;
let dataDir: string;
let adminH: Record<string, string>;
let sharer: { headers: Record<string, string>; userId: string };
let productId: string;
let bare: string;

/** A solid green tile standing in for a demo product image. */
const TILE = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"><rect width="800" height="800" fill="#12ab34"/></svg>`;

async function product(merchantId: string, categoryId: string, title: string, images: string[]): Promise<string> {
  const res = await ctx.app.inject({ method: "POST", url: "/admin/products", headers: adminH, payload: { merchantId, categoryId, title, role: "basic", images, skus: [{ code: title, price: 5990 }] } });
  const id = res.json().id as string;
  await ctx.app.inject({ method: "PUT", url: `/admin/products/${id}/status`, headers: adminH, payload: { status: "on_sale" } });
  return id;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-posters-"));
  fs.mkdirSync(path.join(dataDir, "uploads", "demo"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "uploads", "demo", "tee.svg"), TILE);
  ctx = await createTestContext({ config: { dataDir } });
  adminH = bearer((await signInStaff(ctx, "operator")).token);
  const merchant = (await ctx.app.inject({ method: "POST", url: "/admin/merchants", headers: adminH, payload: { name: "海报测试商贸有限公司", storeName: "海报店" } })).json();
  const category = (await ctx.app.inject({ method: "POST", url: "/admin/categories", headers: adminH, payload: { name: "服饰" } })).json();
  productId = await product(merchant.id, category.id, "纯棉圆领短袖T恤", ["/uploads/demo/tee.svg"]);
  bare = await product(merchant.id, category.id, "无图商品", ["/uploads/demo/missing.svg"]);
  const consumer = await signInConsumer(ctx);
  sharer = { headers: bearer(consumer.token), userId: consumer.userId };
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const poster = (query: string) => ctx.app.inject({ method: "GET", url: `/posters?targetType=product&${query}`, headers: sharer.headers });

async function pixels(png: Buffer) {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const g = canvas.getContext("2d");
  g.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, data: g.getImageData(0, 0, img.width, img.height).data };
}

describe("share posters", () => {
  let first: Buffer;
  let url: string;

  it("draws a 750×1334 PNG with the product image and a QR code of the sharer's attributed link", async () => {
    const res = await poster(`targetId=${productId}`);
    expect([res.statusCode, res.headers["content-type"], res.headers["x-poster-cache"], res.headers["x-poster-template"]]).toEqual([200, "image/png", "miss", "classic"]);
    first = res.rawPayload;
    const { width, height, data } = await pixels(first);
    expect([width, height]).toEqual([750, 1334]);
    const at = (x: number, y: number) => [...data.slice((y * width + x) * 4, (y * width + x) * 4 + 4)];
    expect(at(375, 525)).toEqual([0x12, 0xab, 0x34, 255]);
    const qr = jsQR(new Uint8ClampedArray(data), width, height);
    url = qr!.data;
    expect(url).toMatch(new RegExp(`^${ctx.deps.config.publicUrl}/s/[\\w-]{12}$`));
    expect(res.headers["x-share-url"]).toBe(url);
  });

  it("leads from the decoded QR link to a visit credited to the sharer's poster share", async () => {
    const token = url.slice(url.lastIndexOf("/") + 1);
    const open = await ctx.app.inject({ method: "GET", url: new URL(url).pathname, headers: { "x-device-id": "scanner-0001" } });
    expect([open.statusCode, open.headers.location]).toEqual([302, `/#/products/${productId}?share=${token}`]);
    await ctx.deps.events.drain();
    const stats = (await ctx.app.inject({ method: "GET", url: "/me/shares/stats", headers: sharer.headers })).json();
    expect(stats.rows).toEqual([{ key: "poster", shares: 1, visits: 1, clicks: 1, uniqueVisitors: 1, registrations: 0, orders: 0, paidOrders: 0, gmv: 0 }]);
  });

  it("serves the cached poster for the same template, target and sharer", async () => {
    const again = await poster(`targetId=${productId}&template=classic`);
    expect([again.headers["x-poster-cache"], again.headers["x-share-url"]]).toEqual(["hit", url]);
    expect(again.rawPayload.equals(first)).toBe(true);
    const rows = await ctx.deps.db.selectFrom("posters").select(["template_key", "hits", "file", "bytes"]).execute();
    expect(rows).toEqual([{ template_key: "classic", hits: 1, file: expect.stringMatching(/^pst_\w+-[\w-]{12}\.png$/), bytes: first.length }]);
    expect(fs.readFileSync(path.join(dataDir, "posters", rows[0].file)).equals(first)).toBe(true);
  });

  it("redraws when the operator changes the template, and follows the default template", async () => {
    const list = (await ctx.app.inject({ method: "GET", url: "/admin/poster-templates", headers: adminH })).json();
    expect(list.map((t: { key: string; isDefault: boolean; version: number }) => [t.key, t.isDefault, t.version])).toEqual([["classic", true, 1], ["midnight", false, 1]]);
    const changed = await ctx.app.inject({ method: "PUT", url: "/admin/poster-templates/classic", headers: adminH, payload: { style: { colors: { ...list[0].style.colors, accent: "#1d5fd1" } } } });
    expect([changed.statusCode, changed.json().version, changed.json().style.colors.accent]).toEqual([200, 2, "#1d5fd1"]);
    const redrawn = await poster(`targetId=${productId}`);
    expect([redrawn.headers["x-poster-cache"], redrawn.rawPayload.equals(first)]).toEqual(["miss", false]);
    expect((await poster(`targetId=${productId}`)).headers["x-poster-cache"]).toBe("hit");
    expect(fs.readdirSync(path.join(dataDir, "posters"))).toHaveLength(1);

    const chosen = await ctx.app.inject({ method: "PUT", url: "/admin/poster-templates/midnight/default", headers: adminH });
    expect([chosen.statusCode, chosen.json().isDefault]).toEqual([200, true]);
    const night = await poster(`targetId=${productId}`);
    expect([night.headers["x-poster-cache"], night.headers["x-poster-template"], night.headers["x-share-url"]]).toEqual(["miss", "midnight", url]);
    const { data, width, height } = await pixels(night.rawPayload);
    expect(jsQR(new Uint8ClampedArray(data), width, height)!.data).toBe(url);
    const audit = await ctx.deps.db.selectFrom("audit_log").select("action").where("entity", "=", "poster_template").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["poster_template.updated", "poster_template.default_set"]);
  });

  it("draws a placeholder when the product image cannot be loaded, and refuses unknown targets and templates", async () => {
    const res = await poster(`targetId=${bare}&template=classic`);
    expect(res.statusCode).toBe(200);
    const { data, width } = await pixels(res.rawPayload);
    expect([...data.slice((200 * width + 60) * 4, (200 * width + 60) * 4 + 4)]).toEqual([0x1d, 0x5f, 0xd1, 255]);
    expect((await poster(`targetId=prd_${"0".repeat(26)}`)).statusCode).toBe(404);
    expect((await poster(`targetId=${productId}&template=nope`)).statusCode).toBe(404);
    expect((await poster("targetId=x")).statusCode).toBe(400);
  });
});
