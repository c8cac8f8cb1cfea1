import { useEffect, useState } from "react";
import QRCode from "qrcode";

const W = 600;
const H = 900;

/** Breaks `text` into at most `lines` lines that fit `width`, the last one ending in "…" when cut. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const ch of [...text]) {
    if (ctx.measureText(line + ch).width > width) {
      out.push(line);
      line = ch;
      if (out.length === lines) break;
    } else line += ch;
  }
  if (out.length < lines && line) out.push(line);
  if (out.join("").length < [...text].length) out[lines - 1] = `${[...out[lines - 1]].slice(0, -1).join("")}…`;
  return out.slice(0, lines);
}

/**
 * A share poster drawn in the browser for what the server draws no poster of (teams, bargains,
 * campaigns): who recommends it, what it is, and a QR code of the sharer's own link. A PNG, so the
 * shopper can long-press to save it.
 */
export interface PosterText {
  banner: string;
  sharer: string;
  title: string;
  hint: string;
  url: string;
}

export async function drawPoster(input: PosterText): Promise<string> {
  const canvas = document.createElement("canvas");
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext("2d")!;
  const font = (size: number, weight = 400) => `${weight} ${size}px "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif`;

  const bg = ctx.createLinearGradient(0, 0, 0, H);
  bg.addColorStop(0, "#e02e24");
  bg.addColorStop(1, "#ff7a45");
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, W, H);

  ctx.fillStyle = "#fff";
  ctx.textAlign = "center";
  ctx.font = font(26);
  ctx.fillText(input.sharer, W / 2, 80);
  ctx.font = font(44, 700);
  ctx.fillText(input.banner, W / 2, 145);

  ctx.beginPath();
  ctx.roundRect(40, 190, W - 80, H - 250, 24);
  ctx.fill();

  ctx.fillStyle = "#222";
  ctx.font = font(32, 600);
  wrap(ctx, input.title, W - 140, 2).forEach((line, i) => ctx.fillText(line, W / 2, 260 + i * 46));

  const qr = new Image();
  qr.src = await QRCode.toDataURL(input.url, { errorCorrectionLevel: "M", margin: 1, width: 320 });
  await qr.decode();
  ctx.drawImage(qr, (W - 320) / 2, 360, 320, 320);

  ctx.fillStyle = "#888";
  ctx.font = font(24);
  ctx.fillText(input.hint, W / 2, 730);
  return canvas.toDataURL("image/png");
}

/** The poster of `input` as a PNG data URL once drawn; nothing is drawn while `input` is null. */
export function useDrawnPoster(input: PosterText | null): string | null {
  const [src, setSrc] = useState<string | null>(null);
  const key = input ? JSON.stringify(input) : null;
  useEffect(() => {
    if (!input) return;
    let live = true;
    void drawPoster(input).then((png) => live && setSrc(png));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return src;
}
