import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DAY, MINUTE } from "../src/platform/clock.js";
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

/** Calls the API as `token` and fails loudly on anything but success: for setting the scene and reading results. */
async function call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function consumer(phone: string): Promise<{ token: string; userId: string }> {
  await call("POST", "/auth/sms-codes", undefined, { phone });
  const login = await call("POST", "/auth/consumer/login", undefined, { phone, code: server.sms.lastCode(phone) });
  return { token: login.token, userId: login.user.id };
}

const staffToken = async (username: string, password: string) => (await call("POST", "/auth/login", undefined, { username, password })).token as string;

/** A SKU of a demo product on sale, found by title, with its price. */
async function demoSku(admin: string, title: string): Promise<{ skuId: string; price: number; label: string }> {
  const page = await call("GET", `/admin/products?status=on_sale&q=${encodeURIComponent(title)}`, admin);
  const product = page.items.find((p: { title: string }) => p.title === title);
  const sku = product.skus[0];
  return { skuId: sku.id, price: sku.price, label: [product.title, ...Object.values(sku.specs as Record<string, string>)].join(" · ") };
}

/**
 * A promoter whose commission has become available and who asks to withdraw it: a customer bound to
 * them buys, the order is shipped and received, and the after-sales window closes (the clock moves a week).
 */
async function withdrawalRequest(admin: string): Promise<{ withdrawalId: string; amount: number; promoter: { token: string; userId: string } }> {
  const promoter = await consumer("13900000101");
  const applied = await call("POST", "/distribution/apply", promoter.token, { acceptTerms: true });
  // The demo store reviews applications by hand; a store that approves at once needs no review.
  if (applied.status === "pending") await call("POST", `/admin/promoters/${promoter.userId}/approve`, admin, {});
  const customer = await consumer("13900000102");
  expect((await call("POST", "/distribution/bindings", customer.token, { promoterId: promoter.userId })).bound).toBe(true);
  const address = await call("POST", "/me/addresses", customer.token, { recipient: "周小雨", phone: "13900000102", province: "浙江省", city: "杭州市", district: "滨江区", detail: "网商路 599 号" });
  const band = await demoSku(admin, "智能运动手环 7");
  const order = (await call("POST", "/orders", customer.token, { items: [{ skuId: band.skuId, qty: 1 }], addressId: address.id })).orders[0];
  const payment = await call("POST", "/payments", customer.token, { orderIds: [order.id], provider: "test" });
  const confirmed = await fetch(`${server.url}/pay/test/${payment.paymentId}/confirm`, { method: "POST", redirect: "manual" });
  expect(confirmed.status).toBe(303);
  await server.settle();
  await call("POST", `/admin/orders/${order.id}/shipments`, admin, { carrier: "SF", trackingNo: `SF${order.id.slice(-12)}` });
  await call("POST", `/orders/${order.id}/confirm-receipt`, customer.token);
  await server.settle();
  await server.advance(7 * DAY + MINUTE);
  const commissions = await call("GET", "/me/promoter/commissions", promoter.token);
  const earned = commissions.items.filter((c: { orderId: string }) => c.orderId === order.id);
  expect(earned.map((c: { level: number; status: string }) => [c.level, c.status])).toEqual([[1, "available"]]);
  const centre = await call("GET", "/me/promoter", promoter.token);
  expect([centre.available, centre.withdrawing, centre.withdrawn]).toEqual([earned[0].kept, 0, 0]);
  const withdrawal = await call("POST", "/me/promoter/withdrawals", promoter.token, { amount: centre.available });
  expect(withdrawal.status).toBe("requested");
  return { withdrawalId: withdrawal.id, amount: centre.available, promoter };
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/admin`);
  await page.getByTestId("login-username").fill("admin");
  await page.getByTestId("login-password").fill("liebian-admin");
  await page.getByTestId("login-submit").click();
  await expect.poll(() => page.url(), { timeout: 30_000 }).toContain("#/dashboard");
}

test("an operator creates a group buy and a reward rule, then approves a promoter's withdrawal", async () => {
  // The week the commission needs to become available passes before anyone signs in to the console.
  const setup = await withdrawalRequest(await staffToken("admin", "liebian-admin"));
  // Staff sessions are shorter than the week that just passed: sign in again.
  const admin = await staffToken("admin", "liebian-admin");
  const shot = screenshotter("admin-campaigns");
  const page = await (await newContext(browser, "desktop")).newPage();
  await signIn(page);

  // 拼团: a team of three on the earbuds at ¥99 (leader ¥89), 20 units, 24 hours to fill.
  const earbuds = await demoSku(admin, "真无线降噪蓝牙耳机");
  await page.goto(`${server.url}/admin#/campaigns/groupbuy`);
  await page.getByTestId("groupbuy-create").click();
  await page.getByTestId("groupbuy-form-title").fill("三人团 · 降噪耳机");
  await page.getByTestId("groupbuy-form-sku-0").click();
  await page.keyboard.type("蓝牙耳机");
  await page.locator(".ant-select-item-option", { hasText: earbuds.label }).first().click();
  await page.getByTestId("groupbuy-form-group-price-0").fill("99");
  await page.getByTestId("groupbuy-form-leader-price-0").fill("89");
  await page.getByTestId("groupbuy-form-stock-0").fill("20");
  const startsShown = await page.locator("#startsAt").inputValue();
  await page.getByTestId("groupbuy-form-submit").click();
  const created = async () => (await call("GET", "/admin/groupbuy/activities?limit=100", admin)).items.find((a: { title: string }) => a.title === "三人团 · 降噪耳机");
  await expect.poll(created, { timeout: 30_000 }).toBeTruthy();
  const activity = await created();
  expect({
    teamSize: activity.teamSize,
    fillMinutes: activity.fillMinutes,
    paymentMinutes: activity.paymentMinutes,
    phase: activity.phase,
    teams: activity.teams,
    skus: activity.skus.map((s: { skuId: string; groupPrice: number; leaderPrice: number; stock: number }) => [s.skuId, s.groupPrice, s.leaderPrice, s.stock]),
  }).toEqual({ teamSize: 3, fillMinutes: 1440, paymentMinutes: 15, phase: "active", teams: { pending: 0, open: 0, succeeded: 0, failed: 0, abandoned: 0 }, skus: [[earbuds.skuId, 9900, 8900, 20]] });
  // The start typed as Shanghai wall-clock time reaches the API as that instant; the activity runs a week.
  expect(new Date(activity.startsAt).toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" }).slice(0, 16)).toBe(startsShown);
  expect(new Date(activity.endsAt).getTime() - new Date(activity.startsAt).getTime()).toBe(7 * DAY);
  const row = page.getByTestId(`groupbuy-row-${activity.id}`);
  await row.waitFor();
  expect(await row.textContent()).toContain("三人团 · 降噪耳机");
  expect(await row.textContent()).toContain("¥99.00");
  expect(await page.getByTestId(`groupbuy-teams-${activity.id}`).textContent()).toBe("进行中 0成功 0失败 0");
  await shot(page, "groupbuy-created");

  // 奖励规则: ¥5 to the inviter for each friend who signs up, from a ¥1,000 budget, at most ¥50 a person.
  await page.goto(`${server.url}/admin#/campaigns/rewards`);
  await page.getByTestId("reward-rule-create").click();
  await page.getByTestId("reward-rule-form-name").fill("邀请好友注册得 5 元");
  await page.getByTestId("reward-rule-form-amount").fill("5");
  await page.getByTestId("reward-rule-form-budget").fill("1000");
  await page.getByLabel("每人上限", { exact: true }).fill("50");
  await page.getByTestId("reward-rule-form-submit").click();
  const rule = async () => (await call("GET", "/admin/reward-rules?limit=100", admin)).items.find((r: { name: string }) => r.name === "邀请好友注册得 5 元");
  await expect.poll(rule, { timeout: 30_000 }).toBeTruthy();
  const saved = await rule();
  expect([saved.trigger, saved.beneficiary, saved.rewardKind, saved.amount, saved.budget, saved.capPerUser, saved.status]).toEqual(["invitee_registered", "inviter", "cash", 500, 100000, 5000, "active"]);
  expect(await call("GET", `/admin/reward-rules/${saved.id}/stats`, admin)).toMatchObject({ budget: 100000, committed: 0, remaining: 100000 });
  const budget = page.getByTestId(`reward-rule-budget-${saved.id}`);
  await budget.waitFor();
  expect(await budget.textContent()).toContain("已用 ¥0.00 / 预算 ¥1,000.00");
  const ruleRow = page.getByTestId(`reward-rule-row-${saved.id}`);
  expect(await ruleRow.textContent()).toContain("好友注册");
  await ruleRow.scrollIntoViewIfNeeded();
  await shot(page, "reward-rule-created");

  // 提现审核: the promoter's request waits in the queue; approving pays it out to their balance.
  await page.goto(`${server.url}/admin#/campaigns/distribution`);
  const approve = page.getByTestId(`withdrawal-approve-${setup.withdrawalId}`);
  await approve.waitFor();
  expect(await page.getByTestId(`withdrawal-row-${setup.withdrawalId}`).textContent()).toContain("用户0101");
  await shot(page, "withdrawal-queue");
  await approve.click();
  await expect.poll(async () => (await call("GET", "/admin/withdrawals?limit=100", admin)).items.find((w: { id: string }) => w.id === setup.withdrawalId)?.status, { timeout: 30_000 }).toBe("paid");
  await page.getByTestId(`withdrawal-row-${setup.withdrawalId}`).waitFor({ state: "detached" });
  await page.getByTestId("withdrawal-status-filter").getByText("全部").click();
  await expect.poll(() => page.getByTestId(`withdrawal-status-${setup.withdrawalId}`).textContent(), { timeout: 30_000 }).toBe("已打款");
  const centre = await call("GET", "/me/promoter", setup.promoter.token);
  expect([centre.available, centre.withdrawing, centre.withdrawn]).toEqual([0, 0, setup.amount]);
  await shot(page, "withdrawal-approved");
});
