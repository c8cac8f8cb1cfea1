import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, newContext, screenshotter } from "./browser.js";
import { MINUTE, apiOf, demoSku, operatorToken, payInSheet, shopperToken, signedIn } from "./fission.js";
import { type E2eServer, startServer } from "./server.js";

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

const FLASH_PRICE = 9900;
const ADDRESS = { province: "浙江省", city: "杭州市", district: "余杭区", detail: "文一西路 969 号" };

test("the slot opens on the server's clock; two shoppers race for the last unit and exactly one gets it", async () => {
  const shot = screenshotter("journey-4-flash");
  const call = apiOf(server);
  const admin = await operatorToken(call);
  const earbuds = await demoSku(server, "真无线降噪蓝牙耳机", "白色");
  const now = server.clock.now();
  const opensAt = new Date(now.getTime() + 30 * MINUTE);
  const slot = await call<{ id: string }>("POST", "/admin/flash/slots", { title: "午间秒杀", opensAt: opensAt.toISOString(), closesAt: new Date(opensAt.getTime() + 60 * MINUTE).toISOString() }, admin);
  const item = await call<{ id: string }>("POST", `/admin/flash/slots/${slot.id}/items`, { skuId: earbuds.skuId, flashPrice: FLASH_PRICE, stock: 2, perUserLimit: 1 }, admin, { "idempotency-key": "e2e-flash-item" });

  const a = await shopperToken(call, "13800000001");
  const b = await shopperToken(call, "13900000041", "李同学");
  const c = await shopperToken(call, "13900000042", "赵同学");
  for (const [who, phone] of [[b, "13900000041"], [c, "13900000042"]] as const) await call("POST", "/me/addresses", { recipient: "收货人", phone, ...ADDRESS }, who.token);

  const pageA = await (await signedIn(await newContext(browser, "phone"), a.token)).newPage();
  const pageB = await (await signedIn(await newContext(browser, "phone"), b.token)).newPage();
  const grab = (page: Page) => page.getByTestId(`flash-grab-${item.id}`);
  for (const page of [pageA, pageB]) {
    await page.goto(`${server.url}/#/flash`);
    await page.getByTestId(`flash-slot-${slot.id}`).click();
    await expect.poll(() => page.getByTestId("flash-slot-status").textContent()).toMatch(/距开抢 00:(29|30):\d\d/);
    await expect(grab(page).isDisabled()).resolves.toBe(true);
    await expect(grab(page).textContent()).resolves.toBe("即将开抢");
  }
  await shot(pageA, "a-before-opening");

  // The slot opens by the server's clock: the pages learn it from the server, not from the phone.
  await server.advance(30 * MINUTE);
  for (const page of [pageA, pageB]) {
    await expect.poll(() => grab(page).isEnabled(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByTestId("flash-slot-status").textContent()).toMatch(/距结束 00:(59|60):\d\d/);
  }

  // C takes one of the two units first; the pages show the last one.
  const first = await call<{ attemptId: string }>("POST", `/flash/items/${item.id}/attempts`, { addressId: (await call<{ items: Array<{ id: string }> }>("GET", "/me/addresses", undefined, c.token)).items[0].id, qty: 1 }, c.token, { "x-device-id": "e2e-device-c-001", "idempotency-key": "e2e-c-attempt" });
  expect(first.attemptId).toMatch(/^fsa_/);
  for (const page of [pageA, pageB]) await expect.poll(() => page.getByTestId(`flash-left-${item.id}`).textContent(), { timeout: 15_000 }).toBe("仅剩 1 件");
  await shot(pageA, "a-last-unit");

  for (const page of [pageA, pageB]) {
    await grab(page).click();
    await page.getByTestId("flash-grab-sheet").waitFor();
    await expect.poll(() => page.getByTestId("flash-grab-confirm").isEnabled()).toBe(true);
  }
  await shot(pageB, "b-ready");
  await Promise.all([pageA.getByTestId("flash-grab-confirm").click(), pageB.getByTestId("flash-grab-confirm").click()]);

  const outcome = async (page: Page) => {
    await page.locator("[data-testid^=flash-result-]").waitFor({ timeout: 20_000 });
    return (await page.locator("[data-testid^=flash-result-]").getAttribute("data-testid")) === "flash-result-won";
  };
  const [aWon, bWon] = await Promise.all([outcome(pageA), outcome(pageB)]);
  expect([aWon, bWon].filter(Boolean).length).toBe(1);
  const [winner, loser] = aWon ? [pageA, pageB] : [pageB, pageA];
  await expect(loser.getByTestId("flash-result-lost").textContent()).resolves.toContain("已抢光");
  await shot(winner, "winner-got-it");
  await shot(loser, "loser-sold-out");

  // The winner's order is at the flash price (other promotions may take more off), and that is what they pay.
  const winnerToken = aWon ? a.token : b.token;
  const [latest] = (await call<{ items: Array<{ id: string }> }>("GET", "/orders?limit=1", undefined, winnerToken)).items;
  const order = await call<{ payable: number; adjustments: Array<{ type: string; amount: number }> }>("GET", `/orders/${latest.id}`, undefined, winnerToken);
  expect(order.adjustments.find((x) => x.type === "flash_sale")?.amount).toBe(FLASH_PRICE - earbuds.price);
  await winner.getByText("立即支付").click();
  await payInSheet(winner, order.payable);
  await winner.waitForURL(/#\/orders\/ord_/);
  await shot(winner, "winner-paid");
  await loser.getByText("知道了").click();
  await expect.poll(() => grab(loser).textContent()).toBe("已抢光");
  await shot(loser, "loser-sees-sold-out");

  const view = await call<{ items: Array<{ remaining: number; units: { ordered: number; paid: number } }> }>("GET", `/admin/flash/slots/${slot.id}`, undefined, admin);
  expect([view.items[0].remaining, view.items[0].units.paid, view.items[0].units.ordered]).toEqual([0, 1, 1]);
});
