import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { launch, newContext, screenshotter } from "./browser.js";
import { MINUTE, apiOf, demoSku, operatorToken, payInSheet, shareLinkFrom, shopperToken, signUpInSheet, signedIn } from "./fission.js";
import { type E2eServer, startServer } from "./server.js";
import { SHIPPING_FEE } from "../src/modules/orders/pricing.js";

let server: E2eServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const ORIGINAL = 5990;
const FLOOR = 1990;

test("three friends each sign up by phone code and help; the third cut lands exactly on the floor; A buys at the floor", async () => {
  const shot = screenshotter("journey-3-bargain");
  const call = apiOf(server);
  const admin = await operatorToken(call);
  const grapes = await demoSku(server, "云南阳光玫瑰青提", "2斤装");
  expect(grapes.price).toBe(ORIGINAL);
  const now = server.clock.now();
  const activity = await call<{ id: string }>(
    "POST",
    "/admin/bargain-activities",
    {
      skuId: grapes.skuId,
      title: "阳光玫瑰 砍到 ¥19.90",
      floorPrice: FLOOR,
      helpersNeeded: 3,
      timeLimitMinutes: 24 * 60,
      earlyPurchase: false,
      stock: 10,
      startsAt: new Date(now.getTime() - MINUTE).toISOString(),
      endsAt: new Date(now.getTime() + 7 * 24 * 60 * MINUTE).toISOString(),
    },
    admin,
  );

  // A starts a bargain and shares it to WeChat.
  const a = await shopperToken(call, "13800000001");
  const pageA = await (await signedIn(await newContext(browser, "phone"), a.token)).newPage();
  await pageA.goto(`${server.url}/#/bargain/${activity.id}`);
  await expect.poll(() => pageA.getByTestId("bargain-floor-price").textContent()).toBe("¥19.90");
  await shot(pageA, "a-activity");
  await pageA.getByTestId("bargain-start").click();
  await pageA.waitForURL(/#\/bargains\/bgn_/);
  const bargainId = /#\/bargains\/(bgn_[0-9A-Z]+)/.exec(pageA.url())![1];
  await expect.poll(() => pageA.getByTestId("bargain-current-price").textContent()).toBe("¥59.90");
  await expect(pageA.getByTestId("bargain-helpers-count").textContent()).resolves.toBe("0/3 位好友已帮砍");
  await pageA.getByTestId("bargain-share").click();
  const link = await shareLinkFrom(pageA, server);
  await shot(pageA, "a-shares");
  await pageA.getByTestId("share-close").click();

  // B, C and D each open the link, sign up on the spot and cut once.
  const friends = [
    ["b", "13900000031"],
    ["c", "13900000032"],
    ["d", "13900000033"],
  ] as const;
  let price = ORIGINAL;
  for (const [who, phone] of friends) {
    const page = await (await newContext(browser, "phone")).newPage();
    await page.goto(link);
    await page.waitForURL(new RegExp(`#/bargains/${bargainId}`));
    await expect.poll(() => page.getByTestId("bargain-invited-by").textContent()).toBe("小红 正在砍价，帮 TA 砍一刀吧！");
    await shot(page, `${who}-opens-link`);
    await page.getByTestId("bargain-help").click();
    await page.getByTestId("signin-sheet").waitFor();
    await shot(page, `${who}-signs-up`);
    await signUpInSheet(page, server, phone);
    await page.getByTestId("bargain-helped").waitFor();
    const view = await call<{ currentPrice: number; helpersSoFar: number; remaining: number; status: string; helpers: Array<{ amount: number }> }>("GET", `/bargains/${bargainId}`);
    const cut = view.helpers[view.helpers.length - 1].amount;
    expect(cut).toBeGreaterThan(0);
    expect(view.currentPrice).toBe(price - cut);
    price = view.currentPrice;
    const last = who === "d";
    expect([view.helpersSoFar, view.status, view.remaining === 0]).toEqual([friends.findIndex(([w]) => w === who) + 1, last ? "floor_reached" : "bargaining", last]);
    await expect(page.getByTestId("bargain-helped").textContent()).resolves.toContain(last ? "正好砍到底价" : `现价 ¥${(price / 100).toFixed(2)}`);
    await shot(page, `${who}-helped`);
    await page.context().close();
  }
  expect(price).toBe(FLOOR);

  // A sees the floor reached and buys at the floor price.
  await pageA.reload();
  await pageA.getByTestId("bargain-at-floor").waitFor();
  await expect(pageA.getByTestId("bargain-current-price").textContent()).resolves.toBe("¥19.90");
  await expect(pageA.getByTestId("bargain-helper").count()).resolves.toBe(3);
  await shot(pageA, "a-at-floor");
  await pageA.getByTestId("bargain-buy").click();
  await expect.poll(() => pageA.getByTestId("order-total").textContent()).toBe("¥19.90");
  await shot(pageA, "a-confirms");
  await pageA.getByTestId("order-confirm").click();
  // The goods at the floor price, plus the store's shipping: ¥19.90 of goods is under 满99包邮, and no store
  // promotion stacks on a bargain price.
  await payInSheet(pageA, FLOOR + SHIPPING_FEE);
  await expect.poll(() => pageA.getByTestId("bargain-status").textContent(), { timeout: 15_000 }).toBe("已购买");
  await shot(pageA, "a-paid");
  const paid = await call<{ status: string; currentPrice: number }>("GET", `/bargains/${bargainId}`);
  expect([paid.status, paid.currentPrice]).toEqual(["paid", FLOOR]);
});
