import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { E2eServer } from "./server.js";

/** Helpers the growth journeys share: API calls as the operator or a shopper, and browser steps. */

export type Call = <T = unknown>(method: string, path: string, body?: unknown, token?: string, headers?: Record<string, string>) => Promise<T>;

export function apiOf(server: E2eServer): Call {
  return async <T,>(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export async function operatorToken(call: Call): Promise<string> {
  return (await call<{ token: string }>("POST", "/auth/login", { username: "admin", password: "liebian-admin" })).token;
}

/** Signs a shopper in by phone code through the API (registering them on first sign-in). */
export async function shopperToken(call: Call, phone: string, displayName?: string): Promise<{ token: string; userId: string }> {
  const { devCode } = await call<{ devCode: string }>("POST", "/auth/sms-codes", { phone });
  const res = await call<{ token: string; user: { id: string } }>("POST", "/auth/consumer/login", { phone, code: devCode, displayName });
  return { token: res.token, userId: res.user.id };
}

/** A browser context already signed in as the shopper (the store keeps its token in localStorage). */
export async function signedIn(context: BrowserContext, token: string): Promise<BrowserContext> {
  await context.addInitScript((t) => localStorage.setItem("liebian.store.token", t), token);
  return context;
}

/** A demo SKU by its product's title and its spec value ("5斤装"). */
export async function demoSku(server: E2eServer, productTitle: string, spec: string): Promise<{ skuId: string; productId: string; price: number }> {
  const rows = await server.deps.db
    .selectFrom("skus")
    .innerJoin("products", "products.id", "skus.product_id")
    .select(["skus.id as skuId", "products.id as productId", "skus.price", "skus.specs"])
    .where("products.title", "=", productTitle)
    .execute();
  const row = rows.find((r) => Object.values(r.specs as Record<string, string>).includes(spec));
  if (!row) throw new Error(`no demo SKU ${productTitle} ${spec}`);
  return { skuId: row.skuId, productId: row.productId, price: row.price };
}

/** The share link shown in the share sheet, on this test server (the server's public URL is not). */
export async function shareLinkFrom(page: Page, server: E2eServer, channel = "wechat_friend"): Promise<string> {
  await page.getByTestId(`share-channel-${channel}`).click();
  const url = (await page.getByTestId("share-url").textContent()) ?? "";
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]+$/);
  return `${server.url}${new URL(url).pathname}`;
}

/** Pays in the store's pay sheet (the test provider), checking the amount first. */
export async function payInSheet(page: Page, amountFen: number): Promise<void> {
  await page.getByTestId("pay-sheet").waitFor();
  await expect.poll(() => page.getByTestId("pay-amount").locator("[data-fen]").getAttribute("data-fen")).toBe(String(amountFen));
  await page.getByTestId("pay-confirm").click();
  await page.getByTestId("pay-sheet").waitFor({ state: "hidden" });
}

/** Signs up in the store's inline sheet: phone → code (the dev provider's code) → the action. */
export async function signUpInSheet(page: Page, server: E2eServer, phone: string): Promise<void> {
  await field(page, "signin-phone").fill(phone);
  await page.getByTestId("signin-send-code").click();
  await expect.poll(() => server.sms.lastCode(phone)).toMatch(/^\d{6}$/);
  await field(page, "signin-code").fill(server.sms.lastCode(phone)!);
  await page.getByTestId("signin-submit").click();
}

/** Fills the inline new-address form of the order sheet. */
export async function addAddress(page: Page, recipient: string, phone: string): Promise<void> {
  await field(page, "address-recipient").fill(recipient);
  await field(page, "address-phone").fill(phone);
  await field(page, "address-province").fill("浙江省");
  await field(page, "address-city").fill("杭州市");
  await field(page, "address-district").fill("西湖区");
  await field(page, "address-detail").fill("文一西路 969 号");
  await page.getByTestId("address-save").click();
  await page.getByTestId("address-form").waitFor({ state: "detached" });
}

export const MINUTE = 60_000;

/** antd-mobile puts a test id on an input's wrapper; this is the input inside. */
export const field = (page: Page, testId: string) => page.getByTestId(testId).locator("input, textarea:not([aria-hidden])");
