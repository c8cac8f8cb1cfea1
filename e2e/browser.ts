import fs from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium, never a downloaded browser (`apt-get install -y chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const SHOTS = path.join(path.dirname(new URL(import.meta.url).pathname), "screenshots");

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A phone (375×667, touch) or a desktop window, in Chinese unless told otherwise. */
export function newContext(browser: Browser, kind: "phone" | "desktop" = "phone", locale = "zh-CN"): Promise<BrowserContext> {
  return kind === "phone"
    ? browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, timezoneId: "Asia/Shanghai" })
    : browser.newContext({ viewport: { width: 1440, height: 900 }, locale, timezoneId: "Asia/Shanghai" });
}

/** Saves a screenshot as e2e/screenshots/<journey>/<nn>-<step>.png and returns its path. */
export function screenshotter(journey: string) {
  const dir = path.join(SHOTS, journey);
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string, opts: { fullPage?: boolean } = {}): Promise<string> => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, "0")}-${step}.png`);
    await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
    return file;
  };
}
