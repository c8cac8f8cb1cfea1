import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { launch, newContext, screenshotter } from "./browser.js";
import { addAddress, apiOf, demoSku, field, operatorToken, payInSheet, shopperToken, signedIn } from "./fission.js";
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

const DAY = 24 * 60 * 60_000;
const CUSTOMER = "13900000051";

interface Commission {
  id: string;
  orderId: string;
  kept: number;
  status: string;
}

test("a promoter's customer buys; the commission is frozen, then available; the promoter withdraws and an operator approves", async () => {
  const shot = screenshotter("journey-5-promoter");
  const call = apiOf(server);
  const serum = await demoSku(server, "烟酰胺焕亮精华液 30ml", "30ml");

  // The promoter (the demo's 阿杰) opens the promoter centre and takes their promotion link.
  const promoter = await shopperToken(call, "13800000002");
  const pageP = await (await signedIn(await newContext(browser, "phone"), promoter.token)).newPage();
  await pageP.goto(`${server.url}/#/promoter`);
  await pageP.getByTestId("promoter-available").waitFor();
  await shot(pageP, "promoter-centre");
  await pageP.getByTestId("promoter-poster").click();
  const link = (await pageP.getByTestId("promoter-link").textContent()) ?? "";
  expect(link).toContain(`/?promoter=${promoter.userId}`);
  await shot(pageP, "promoter-poster");
  await pageP.reload();

  // A friend opens the link, signs up and buys the serum.
  const pageC = await (await newContext(browser, "phone")).newPage();
  const url = new URL(link);
  await pageC.goto(`${server.url}/${url.search}#/login?redirect=${encodeURIComponent(`/products/${serum.productId}`)}`);
  await field(pageC, "login-phone").fill(CUSTOMER);
  await pageC.getByTestId("login-send-code").click();
  await expect.poll(() => server.sms.lastCode(CUSTOMER)).toMatch(/^\d{6}$/);
  await field(pageC, "login-code").fill(server.sms.lastCode(CUSTOMER)!);
  await field(pageC, "login-name").fill("林小雨");
  await pageC.getByTestId("login-submit").click();
  await pageC.waitForURL(new RegExp(`#/products/${serum.productId}`));
  const customerToken = (await pageC.evaluate(() => localStorage.getItem("liebian.store.token")))!;
  const customer = { token: customerToken, userId: (await call<{ id: string }>("GET", "/me", undefined, customerToken)).id };
  await expect.poll(async () => (await call<{ items: Array<{ id: string }> }>("GET", "/me/promoter/customers", undefined, promoter.token)).items.some((c) => c.id === customer.userId)).toBe(true);
  await pageC.getByTestId("product-buy-now").click();
  await pageC.getByTestId("sku-spec-规格").getByText("30ml", { exact: true }).click();
  await pageC.getByTestId("sku-confirm-buy").click();
  await pageC.waitForURL(/#\/checkout/);
  await addAddress(pageC, "林小雨", CUSTOMER);
  await shot(pageC, "customer-checkout");
  await pageC.getByTestId("checkout-submit").click();
  const [order] = (await call<{ items: Array<{ id: string; payable: number }> }>("GET", "/orders?limit=1", undefined, customer.token)).items;
  await payInSheet(pageC, order.payable);
  await server.settle();

  // The shop ships; the customer confirms receipt: the commission freezes until after-sales closes.
  const admin = await operatorToken(call);
  await call("POST", `/admin/orders/${order.id}/shipments`, { carrier: "SF", trackingNo: "SF1234567890" }, admin, { "idempotency-key": "e2e-ship-1" });
  await pageC.goto(`${server.url}/#/orders/${order.id}`);
  await pageC.getByTestId("order-confirm-receipt").click();
  await pageC.locator(".adm-dialog").getByText("确认收货").click();
  await expect.poll(async () => (await call<{ status: string }>("GET", `/orders/${order.id}`, undefined, customer.token)).status).toBe("completed");
  await server.settle();
  await shot(pageC, "customer-received");

  const commissionOf = async () => (await call<{ items: Commission[] }>("GET", "/me/promoter/commissions", undefined, promoter.token)).items.find((c) => c.orderId === order.id)!;
  await expect.poll(async () => (await commissionOf())?.status).toBe("frozen");
  const commission = await commissionOf();
  expect(commission.kept).toBeGreaterThan(0);
  await pageP.reload();
  await expect.poll(() => pageP.getByTestId(`commission-status-${commission.id}`).textContent()).toBe("冻结中");
  await shot(pageP, "commission-frozen");

  // Past the settlement window the commission becomes available.
  await server.advance(7 * DAY + 60_000);
  await expect.poll(async () => (await commissionOf()).status).toBe("available");
  const centre = await call<{ available: number; withdrawal: { minimum: number; feeBp: number } }>("GET", "/me/promoter", undefined, promoter.token);
  expect(centre.available).toBeGreaterThanOrEqual(commission.kept);
  await pageP.reload();
  await expect.poll(() => pageP.getByTestId(`commission-status-${commission.id}`).textContent()).toBe("可提现");
  await expect(pageP.getByTestId("promoter-available").textContent()).resolves.toBe(`¥${(centre.available / 100).toFixed(2)}`);
  await shot(pageP, "commission-available");

  // The promoter withdraws everything available.
  await pageP.getByTestId("promoter-withdraw").click();
  await expect.poll(() => field(pageP, "withdraw-amount").inputValue()).toBe((centre.available / 100).toFixed(2));
  // The minimum, the fee and what arrives, before asking.
  const fee = Math.floor((centre.available * centre.withdrawal.feeBp) / 10_000);
  const money = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
  await expect
    .poll(() => pageP.getByTestId("withdraw-rules").textContent())
    .toBe(`最低提现 ${money(centre.withdrawal.minimum)}，手续费 ${centre.withdrawal.feeBp / 100}% · 手续费 ${money(fee)}，实际到账 ${money(centre.available - fee)}`);
  await shot(pageP, "withdraw-sheet");
  await pageP.getByTestId("withdraw-submit").click();
  await pageP.getByTestId("withdraw-sheet").waitFor({ state: "hidden" });
  const [withdrawal] = (await call<{ items: Array<{ id: string; amount: number; status: string }> }>("GET", "/me/promoter/withdrawals", undefined, promoter.token)).items;
  expect([withdrawal.amount, withdrawal.status]).toEqual([centre.available, "requested"]);
  await expect.poll(() => pageP.getByTestId(`withdrawal-status-${withdrawal.id}`).textContent()).toBe("审核中");
  await shot(pageP, "withdrawal-requested");

  // An operator approves it in the console.
  const pageA = await (await newContext(browser, "desktop")).newPage();
  await pageA.goto(`${server.url}/admin`);
  await pageA.getByTestId("login-username").fill("admin");
  await pageA.getByTestId("login-password").fill("liebian-admin");
  await pageA.getByTestId("login-submit").click();
  await expect.poll(() => pageA.url()).toContain("#/dashboard");
  await pageA.goto(`${server.url}/admin#/campaigns/distribution`);
  await pageA.getByTestId(`withdrawal-approve-${withdrawal.id}`).waitFor();
  await shot(pageA, "operator-queue");
  await pageA.getByTestId(`withdrawal-approve-${withdrawal.id}`).click();
  await expect.poll(() => pageA.getByTestId(`withdrawal-approve-${withdrawal.id}`).count()).toBe(0);
  await shot(pageA, "operator-approved");

  await pageP.reload();
  await pageP.getByTestId("promoter-tab-withdrawals").click();
  await expect.poll(() => pageP.getByTestId(`withdrawal-status-${withdrawal.id}`).textContent()).toBe("已到账");
  await expect(pageP.getByTestId("promoter-withdrawn").textContent()).resolves.not.toBe("¥0.00");
  await shot(pageP, "withdrawal-paid");
  const paid = await call<{ items: Array<{ id: string; status: string }> }>("GET", "/me/promoter/withdrawals", undefined, promoter.token);
  expect(paid.items.find((w) => w.id === withdrawal.id)?.status).toBe("paid");
});
