import fs from "node:fs/promises";
import path from "node:path";
import { type Image, type SKRSContext2D, createCanvas, loadImage } from "@napi-rs/canvas";
import QRCode from "qrcode";
import { formatYuan } from "../../platform/money.js";
import type { PosterStyle } from "./posters.tables.js";

export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1334;
/** System fonts with Chinese glyphs (Debian: fonts-noto-cjk); without them text still draws, as boxes. */
const FONTS = `"Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "DejaVu Sans", sans-serif`;
const font = (size: number, weight = "normal") => `${weight} ${size}px ${FONTS}`;

export interface PosterContent {
  title: string;
  price: number;
  /** Store path of the product image (/uploads/…), or null. */
  image: string | null;
  sharerName: string;
  /** The attributed share link the QR code encodes. */
  url: string;
}

/**
 * The product image from local storage (`/uploads/…` under the data folder, SVG included), or null
 * when it is missing, remote or unreadable; paths that leave the uploads folder are refused.
 */
async function productImage(dataDir: string, image: string | null): Promise<Image | null> {
  if (!image?.startsWith("/uploads/")) return null;
  const root = path.resolve(dataDir, "uploads");
  const file = path.resolve(root, image.slice("/uploads/".length));
  if (!file.startsWith(root + path.sep)) return null;
  try {
    return await loadImage(await fs.readFile(file));
  } catch {
    return null;
  }
}

function roundRect(g: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  g.beginPath();
  g.roundRect(x, y, w, h, r);
  g.closePath();
}

/** Breaks text into at most `lines` lines that fit `maxWidth`, character by character (Chinese has no spaces). */
function wrap(g: SKRSContext2D, text: string, maxWidth: number, lines: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const ch of text) {
    if (g.measureText(line + ch).width > maxWidth && line) {
      out.push(line);
      line = ch;
      if (out.length === lines) break;
    } else line += ch;
  }
  if (out.length < lines && line) out.push(line);
  const used = out.join("").length;
  if (used < [...text].length && out.length > 0) {
    let last = out[out.length - 1];
    while (last && g.measureText(`${last}…`).width > maxWidth) last = last.slice(0, -1);
    out[out.length - 1] = `${last}…`;
  }
  return out;
}

/** Draws a 750×1334 PNG poster: banner, product image, title, price, sharer and the QR code of the share link. */
export async function renderPoster(style: PosterStyle, content: PosterContent, dataDir: string): Promise<Buffer> {
  const canvas = createCanvas(POSTER_WIDTH, POSTER_HEIGHT);
  const g = canvas.getContext("2d");
  const c = style.colors;
  g.fillStyle = c.background;
  g.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT);
  g.textBaseline = "top";

  g.fillStyle = c.accent;
  g.fillRect(0, style.banner.y, POSTER_WIDTH, style.banner.height);
  g.fillStyle = c.bannerText;
  g.font = font(style.banner.size, "bold");
  g.textAlign = "center";
  g.fillText(style.banner.text, POSTER_WIDTH / 2, style.banner.y + (style.banner.height - style.banner.size) / 2);
  g.textAlign = "left";

  const { x, y, size } = style.image;
  g.fillStyle = c.panel;
  roundRect(g, x - 10, y - 10, size + 20, size + 20, 24);
  g.fill();
  const img = await productImage(dataDir, content.image);
  g.save();
  roundRect(g, x, y, size, size, 16);
  g.clip();
  if (img) {
    // Cover the square: crop the longer side of the source.
    const side = Math.min(img.width, img.height);
    g.drawImage(img, (img.width - side) / 2, (img.height - side) / 2, side, side, x, y, size, size);
  } else {
    g.fillStyle = c.accent;
    g.fillRect(x, y, size, size);
    g.fillStyle = c.bannerText;
    g.font = font(Math.round(size / 4), "bold");
    g.textAlign = "center";
    g.fillText([...content.title][0] ?? "", x + size / 2, y + size / 2 - size / 8);
    g.textAlign = "left";
  }
  g.restore();

  g.fillStyle = c.text;
  g.font = font(style.title.size, "bold");
  wrap(g, content.title, style.title.maxWidth, style.title.lines).forEach((line, i) => g.fillText(line, style.title.x, style.title.y + i * style.title.size * 1.35));

  g.fillStyle = c.price;
  g.font = font(style.price.size, "bold");
  g.fillText(formatYuan(content.price), style.price.x, style.price.y);

  g.fillStyle = c.muted;
  g.font = font(style.sharer.size);
  g.fillText(`${content.sharerName} 推荐给你`, style.sharer.x, style.sharer.y);

  const qr = await loadImage(await QRCode.toBuffer(content.url, { type: "png", width: style.qr.size, margin: 2, errorCorrectionLevel: "M" }));
  g.drawImage(qr, style.qr.x, style.qr.y, style.qr.size, style.qr.size);

  g.fillStyle = c.muted;
  g.font = font(style.hint.size);
  g.textAlign = "center";
  g.fillText(style.hint.text, style.hint.x, style.hint.y);

  return canvas.encode("png");
}
