import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, newContext, screenshotter } from "./browser.js";
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

async function call<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === "POST") headers["idempotency-key"] = crypto.randomUUID();
  const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The demo buyer orders two boxes of the fruit shop's oranges and pays with the test provider. */
async function paidFruitOrder(): Promise<{ id: string; payable: number }> {
  const phone = "13800000001";
  const { devCode } = await call("POST", "/auth/sms-codes", { phone });
  const { token } = await call("POST", "/auth/consumer/login", { phone, code: devCode });
  const product = (await call("GET", `/products?q=${encodeURIComponent("赣南脐橙")}&limit=1`)).items[0];
  const sku = (await call("GET", `/products/${product.id}`)).skus[0];
  const address = (await call("GET", "/me/addresses", undefined, token)).items[0];
  const placed = await call("POST", "/orders", { items: [{ skuId: sku.id, qty: 2 }], addressId: address.id }, token);
  const order = placed.orders[0];
  const payment = await call("POST", "/payments", { orderIds: [order.id], provider: "test" }, token);
  await fetch(`${server.url}/pay/test/${payment.paymentId}/confirm`, { method: "POST" });
  await server.settle();
  return { id: order.id, payable: order.payable };
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${server.url}/admin`);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

/** Signing in hashes a password and the console loads its pages lazily: on a busy machine that takes seconds. */
const WAIT = { timeout: 20_000 };

const yuanText = (fen: number) => `¥${Math.floor(fen / 100).toLocaleString("en-US")}.${String(fen % 100).padStart(2, "0")}`;

test("an operator finds an order, opens it and ships it", async () => {
  const order = await paidFruitOrder();
  const shot = screenshotter("admin-ops");
  const page = await (await newContext(browser, "desktop")).newPage();
  await signIn(page, "admin", "liebian-admin");
  await expect.poll(() => page.url(), WAIT).toContain("#/dashboard");
  await page.goto(`${server.url}/admin#/ops/orders`);
  await page.getByTestId("order-search").locator("input").fill(order.id);
  await page.getByTestId("order-search").locator("input").press("Enter");
  await page.getByTestId(`order-open-${order.id}`).click();
  const detail = page.getByTestId("order-detail");
  await detail.waitFor();
  await expect(detail.textContent()).resolves.toContain(order.id);
  await expect(page.getByTestId("order-payable").textContent()).resolves.toContain(yuanText(order.payable));
  await expect(page.getByTestId("order-timeline").textContent()).resolves.toContain("支付成功");
  await shot(page, "order-detail");

  await page.getByTestId("order-ship").click();
  await page.getByTestId("ship-carrier").click();
  await page.locator(".ant-select-item-option", { hasText: "顺丰速运" }).click();
  await page.getByTestId("ship-tracking").fill("SF1234509876");
  await page.getByTestId("ship-submit").click();
  await page.getByTestId("shipment").waitFor();
  await expect(page.getByTestId("shipment").textContent()).resolves.toContain("SF1234509876");
  await expect.poll(() => page.getByTestId("order-drawer-status").textContent(), WAIT).toBe("已发货");
  await shot(page, "order-shipped");
  const shipped = await call("GET", `/admin/orders/${order.id}`, undefined, (await call("POST", "/auth/login", { username: "admin", password: "liebian-admin" })).token);
  expect(shipped.status).toBe("shipped");
});

test("a merchant sees only their own products and the API's field error when an edit breaks a rule", async () => {
  const shot = screenshotter("admin-ops-merchant");
  const page = await (await newContext(browser, "desktop")).newPage();
  await signIn(page, "fruit-shop", "liebian-merchant");
  await expect.poll(() => page.url(), WAIT).toContain("#/ops/products");
  const table = page.getByTestId("product-table");
  await table.getByTestId("product-row-title").first().waitFor();

  const merchant = await call("POST", "/auth/login", { username: "fruit-shop", password: "liebian-merchant" });
  const own = await call<{ items: { id: string; title: string; merchantId: string }[] }>("GET", "/admin/products?limit=20", undefined, merchant.token);
  expect(new Set(own.items.map((p) => p.merchantId))).toEqual(new Set([merchant.user.merchantId]));
  await expect(table.getByTestId("product-row-title").allTextContents()).resolves.toEqual(own.items.map((p) => p.title));
  await expect(table.textContent()).resolves.not.toContain("真无线降噪蓝牙耳机");
  await shot(page, "own-products");

  const target = own.items[0];
  await page.getByTestId(`product-edit-${target.id}`).click();
  const title = page.getByTestId("product-title");
  await expect.poll(() => title.inputValue(), WAIT).toBe(target.title);
  await title.fill("超长标题".repeat(26));
  await page.getByTestId("product-save").click();
  const titleItem = page.locator(".ant-form-item", { has: title });
  await expect.poll(() => titleItem.locator(".ant-form-item-explain-error").textContent(), WAIT).toBe("must NOT have more than 100 characters");
  await page.waitForTimeout(500); // the message slides in
  await shot(page, "field-error");

  await title.fill(`${target.title}（新季）`);
  await page.getByTestId("product-save").click();
  await expect.poll(() => table.getByTestId("product-row-title").first().textContent(), WAIT).toBe(`${target.title}（新季）`);
  const saved = await call("GET", `/admin/products/${target.id}`, undefined, merchant.token);
  expect(saved.title).toBe(`${target.title}（新季）`);
  await shot(page, "saved");
});
