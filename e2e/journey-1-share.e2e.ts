import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DAY } from "../src/platform/clock.js";
import { launch, newContext, screenshotter } from "./browser.js";
import { type E2eServer, startServer } from "./server.js";

/**
 * Journey 1 — a share that pays: A shares a product's poster link; B opens it on a phone, signs up by
 * phone code, buys and pays; A's share reward waits while B may still return the goods, then becomes
 * A's once the after-sales window has closed.
 */
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

const A_PHONE = "13911110001";
const B_PHONE = "13922220002";
const RATE_BPS = 500;

async function api<T>(method: string, path: string, opts: { token?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.key) headers["idempotency-key"] = opts.key;
  const res = await fetch(`${server.url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface Reward {
  id: string;
  ruleId: string;
  status: string;
  amount: number;
  kind: string;
  orderId: string | null;
}

/** Waits for a toast to fade, so the screenshot shows the page under it. */
const toastGone = (page: Page) => page.locator(".adm-toast-main").waitFor({ state: "detached" });

const tokenOf = (page: Page) => page.evaluate(() => localStorage.getItem("liebian.store.token")!);

/** Signs in on the store's login page with the code the development SMS provider shows there. */
async function signUp(page: Page, phone: string, name: string) {
  await page.getByTestId("login-phone").locator("input").fill(phone);
  await page.getByTestId("login-send-code").click();
  const shown = page.getByTestId("login-dev-code");
  await expect.poll(() => shown.getAttribute("data-code")).toBe(server.sms.lastCode(phone));
  await shown.click();
  await page.getByTestId("login-name").locator("input").fill(name);
  await page.getByTestId("login-submit").click();
}

test("A shares a product poster; B signs up from it, buys and pays; A's reward is held, then released", async () => {
  const screenshot = screenshotter("journey-1-share");
  // Each step is shot once its toast has faded, so the picture shows the page.
  const shot = async (page: Page, step: string) => {
    await toastGone(page);
    await screenshot(page, step);
  };
  const operator = (await api<{ token: string }>("POST", "/auth/login", { body: { username: "admin", password: "liebian-admin" } })).token;
  const rule = await api<{ id: string }>("POST", "/admin/reward-rules", {
    token: operator,
    key: "journey-1-rule",
    body: { name: "分享下单返现 5%", trigger: "share_order_paid", beneficiary: "sharer", rewardKind: "cash", rateBps: RATE_BPS, budget: 100_000, claimDays: 7 },
  });
  expect(rule.id).toMatch(/^rwr_/);

  // A signs up and opens a product with specs to choose.
  const a = await (await newContext(browser, "phone")).newPage();
  await a.goto(`${server.url}/#/login?redirect=${encodeURIComponent("/me")}`);
  await signUp(a, A_PHONE, "阿强");
  await expect.poll(() => a.getByTestId("me-name").textContent()).toBe("阿强");
  await shot(a, "a-signed-in");
  await a.getByTestId("tab-home").click();
  await a.getByTestId("product-card").first().waitFor();
  const categories = (await api<{ items: unknown[] }>("GET", "/categories")).items;
  // The top categories (at most nine) and the way to all of them.
  await expect.poll(() => a.getByTestId("home-categories").locator("a").count()).toBe(Math.min(categories.length, 9) + 1);
  await shot(a, "a-home");
  await a.getByTestId("home-search").click();
  await a.getByTestId("search-input").locator("input").fill("牛仔裤");
  await a.getByTestId("search-input").locator("input").press("Enter");
  await a.getByTestId("product-card").first().click();
  await expect.poll(() => a.getByTestId("product-title").textContent()).toBe("高腰垂感阔腿牛仔裤");
  const productId = a.url().match(/products\/(prd_\w+)/)![1];
  await shot(a, "a-product");

  // A makes the product's poster; its QR code carries A's poster share link.
  await a.getByTestId("product-share").click();
  const posterResponse = a.waitForResponse((r) => r.url().includes("/posters?") && r.status() === 200);
  await a.getByTestId("share-poster").click();
  const shareUrl = (await posterResponse).headers()["x-share-url"];
  expect(shareUrl).toMatch(/\/s\/[\w-]{12}$/);
  await a.getByTestId("share-poster-image").waitFor();
  await shot(a, "a-poster");
  const token = shareUrl.slice(shareUrl.lastIndexOf("/") + 1);

  // B opens the link on another phone: the page says who shared it.
  const b = await (await newContext(browser, "phone")).newPage();
  await b.goto(`${server.url}/s/${token}`);
  await expect.poll(() => b.url()).toBe(`${server.url}/#/products/${productId}?share=${token}`);
  await expect.poll(() => b.getByTestId("share-intro-name").textContent()).toBe("阿强 分享给你一件好物");
  await shot(b, "b-lands-on-shared-product");

  // B signs up from the banner and comes back to the product.
  await b.getByTestId("share-intro-login").click();
  await expect.poll(() => b.getByTestId("login-sharer").textContent()).toBe("你的好友 阿强 分享了好物给你");
  await shot(b, "b-login");
  await signUp(b, B_PHONE, "小美");
  await expect.poll(() => b.url()).toContain(`/#/products/${productId}`);

  // B picks 深蓝 / M and buys it now.
  await b.getByTestId("product-buy-now").click();
  await b.getByTestId("sku-picker").waitFor();
  await b.getByTestId("sku-spec-颜色").getByText("深蓝").click();
  await b.getByTestId("sku-spec-尺码").getByText("M", { exact: true }).click();
  await expect.poll(() => b.getByTestId("sku-price").getAttribute("data-fen")).toBe("12900");
  await shot(b, "b-sku-picker");
  await b.getByTestId("sku-confirm-buy").click();

  // Checkout: a first address typed in place, then the breakdown (free shipping over ¥99).
  await b.getByTestId("checkout-new-address").waitFor();
  await b.getByTestId("address-recipient").locator("input").fill("李小美");
  await b.getByTestId("address-phone").locator("input").fill(B_PHONE);
  await b.getByTestId("address-province").locator("input").fill("上海市");
  await b.getByTestId("address-city").locator("input").fill("上海市");
  await b.getByTestId("address-district").locator("input").fill("浦东新区");
  await b.getByTestId("address-detail").locator("textarea:not([readonly])").fill("世纪大道 100 号 8 楼");
  await b.getByTestId("address-save").click();
  await b.getByTestId("checkout-address").waitFor();
  await expect.poll(() => b.getByTestId("breakdown-payable").getAttribute("data-fen")).toBe("12900");
  await shot(b, "b-checkout");

  // B places the order and pays in the pay sheet; the test provider's signed notification pays it.
  await b.getByTestId("checkout-submit").click();
  await b.getByTestId("pay-sheet").waitFor();
  await expect.poll(() => b.getByTestId("pay-confirm").textContent()).toBe("确认支付 ¥129.00");
  await shot(b, "b-pay-sheet");
  await b.getByTestId("pay-confirm").click();
  await expect.poll(() => b.url(), { timeout: 15_000 }).toMatch(/#\/orders\/ord_\w+$/);
  await expect.poll(() => b.getByTestId("order-status").textContent()).toBe("待发货");
  const orderId = b.url().match(/orders\/(ord_\w+)/)![1];
  await shot(b, "b-order-paid");

  // A's share reward: 5% of what B paid, pending while B may still return the goods; A's invite page lists it.
  await server.settle();
  const aToken = await tokenOf(a);
  const shareRewards = async () =>
    (await api<{ items: Reward[] }>("GET", "/me/rewards", { token: aToken })).items.filter((r) => r.ruleId === rule.id).map((r) => ({ id: r.id, status: r.status, amount: r.amount, kind: r.kind, orderId: r.orderId }));
  const [reward] = await shareRewards();
  expect(reward).toEqual({ id: expect.stringMatching(/^rwd_/), status: "pending", amount: (12900 * RATE_BPS) / 10000, kind: "cash", orderId });
  await a.goto(`${server.url}/#/invite`);
  const row = a.getByTestId(`reward-${reward.id}`);
  await expect.poll(() => row.textContent()).toMatch(/^¥6\.45 红包\s*待发放/);
  await row.scrollIntoViewIfNeeded();
  await shot(a, "a-invite-reward-pending");

  // The store ships; B confirms receipt in the store, which starts the 7-day after-sales window.
  await api("POST", `/admin/orders/${orderId}/shipments`, { token: operator, key: "journey-1-ship", body: { carrier: "SF", trackingNo: "SF1234567890" } });
  await b.reload();
  await expect.poll(() => b.getByTestId("order-status").textContent()).toBe("待收货");
  await b.getByTestId("order-confirm-receipt").click();
  await b.locator(".adm-dialog").getByText("确认收货", { exact: true }).click();
  await expect.poll(() => b.getByTestId("order-status").textContent()).toBe("已完成");
  await shot(b, "b-order-completed");

  // Past the after-sales window the reward is A's to claim, and A claims it on the invite page.
  await server.advance(8 * DAY);
  expect(await shareRewards()).toEqual([{ ...reward, status: "available" }]);
  await a.reload();
  const claim = a.getByTestId(`reward-claim-${reward.id}`);
  await claim.scrollIntoViewIfNeeded();
  await shot(a, "a-invite-reward-available");
  await claim.click();
  await expect.poll(async () => (await shareRewards())[0].status).toBe("claimed");
  await expect.poll(() => row.textContent()).toMatch(/^¥6\.45 红包\s*已领取/);
  await shot(a, "a-invite-reward-claimed");
});
