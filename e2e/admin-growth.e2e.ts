import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { percent, yuan } from "../web/shared/format.js";
import { launch, newContext, screenshotter } from "./browser.js";
import { type E2eServer, startServer } from "./server.js";

let server: E2eServer;
let browser: Browser;
// Playing eight weeks of demo history takes minutes on a busy machine.
beforeAll(async () => {
  server = await startServer({ history: true });
  browser = await launch();
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Pixels of a chart's canvas that are not background: a drawn chart has thousands, an empty one none. */
async function inkedPixels(chart: Locator): Promise<number> {
  return chart.locator("canvas").first().evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext("2d")!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) n++;
    return n;
  });
}

/** Waits for the page's request to an analytics report and returns its JSON. */
function report<T>(page: Page, path: string): Promise<T> {
  return page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === "GET").then((r) => r.json() as Promise<T>);
}

/** Lets a chart finish its entry animation before it is measured or photographed. */
const settleCharts = (page: Page) => page.waitForTimeout(1200);

test("an operator reads the growth dashboard, a funnel, the retention cohorts and an invite tree", async () => {
  const shot = screenshotter("admin-growth");
  const page = await (await newContext(browser, "desktop")).newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByTestId("login-username").fill("admin");
  await page.getByTestId("login-password").fill("liebian-admin");
  const overview = report<{ totals: { gmv: number; orders: number; uv: number; newUsers: number; kFactor: number; conversion: number } }>(page, "/admin/analytics/overview");
  await page.getByTestId("login-submit").click();
  await expect.poll(() => page.url()).toContain("#/dashboard");

  // The dashboard: KPI cards show the API's numbers for the last 7 days, and there is history to show.
  const totals = (await overview).totals;
  expect(totals.gmv).toBeGreaterThan(0);
  expect(totals.orders).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId("kpi-gmv-value").textContent()).toBe(yuan(totals.gmv));
  await expect(page.getByTestId("kpi-orders-value").textContent()).resolves.toBe(totals.orders.toLocaleString("zh-CN"));
  await expect(page.getByTestId("kpi-uv-value").textContent()).resolves.toBe(totals.uv.toLocaleString("zh-CN"));
  await expect(page.getByTestId("kpi-conversion-value").textContent()).resolves.toBe(percent(totals.conversion));
  await expect(page.getByTestId("kpi-kFactor-value").textContent()).resolves.toBe(totals.kFactor.toFixed(2));
  await expect(page.getByTestId("updated-at").textContent()).resolves.toMatch(/^更新于 \d{2}:\d{2}:\d{2}/);
  await settleCharts(page);
  for (const chart of ["chart-trend", "chart-funnel", "chart-sources"]) expect(await inkedPixels(page.getByTestId(chart)), chart).toBeGreaterThan(2000);
  await shot(page, "dashboard");

  // A funnel: the table lists the purchase steps with the API's counts, drawn as a funnel.
  const funnel = report<{ steps: { step: string; users: number; fromPrevious: number }[] }>(page, "/admin/analytics/funnel");
  await page.getByTestId("nav").getByText("漏斗分析").click();
  const steps = (await funnel).steps;
  expect(steps.map((s) => s.step)).toEqual(["product_view", "add_to_cart", "order", "payment"]);
  expect(steps[0].users).toBeGreaterThan(0);
  const rows = page.getByTestId("funnel-table").locator("tbody tr");
  await expect.poll(() => rows.count()).toBe(4);
  await expect(rows.nth(0).textContent()).resolves.toContain(`浏览商品${steps[0].users.toLocaleString("zh-CN")}—`);
  await expect(rows.nth(3).textContent()).resolves.toContain(`支付${steps[3].users.toLocaleString("zh-CN")}${percent(steps[3].fromPrevious)}`);
  await settleCharts(page);
  expect(await inkedPixels(page.getByTestId("chart-funnel"))).toBeGreaterThan(2000);
  await shot(page, "funnel");

  // Cohorts: one heat-map and table row per registration week with members.
  const cohorts = report<{ cohorts: { cohort: string; size: number; rates: number[] }[] }>(page, "/admin/analytics/cohorts");
  await page.getByTestId("nav").getByText("留存分析").click();
  const filled = (await cohorts).cohorts.filter((c) => c.size > 0);
  expect(filled.length).toBeGreaterThan(1);
  const cohortRows = page.getByTestId("cohort-table").locator("tbody tr.ant-table-row");
  await expect.poll(() => cohortRows.count()).toBe(filled.length);
  await expect(cohortRows.first().textContent()).resolves.toContain(`${filled[0].cohort} 当周${filled[0].size.toLocaleString("zh-CN")}${percent(filled[0].rates[0])}`);
  await settleCharts(page);
  expect(await inkedPixels(page.getByTestId("chart-cohorts"))).toBeGreaterThan(5000);
  await shot(page, "cohorts");

  // The invite tree: the biggest trees side by side, coloured by revenue or by level; then one root's tree.
  const forest = report<{ nodes: { userId: string; displayName: string; inviterId: string | null; invitees: number }[] }>(page, "/admin/analytics/invite-tree");
  await page.getByTestId("nav").getByText("邀请关系图").click();
  const nodes = (await forest).nodes;
  const roots = nodes.filter((n) => n.inviterId === null);
  expect(roots.length).toBeGreaterThan(1);
  await expect.poll(() => page.getByTestId("growth-invite-tree").textContent()).toContain(`规模最大的邀请树${nodes.length} 人`);
  await page.getByTestId("tree-colour").getByText("按营收着色").click();
  await expect.poll(() => page.getByTestId("growth-invite-tree").textContent()).toContain("无营收");
  await page.getByTestId("tree-colour").getByText("按层级着色").click();
  await expect.poll(() => page.getByTestId("growth-invite-tree").textContent()).toContain("根用户");
  await settleCharts(page);
  expect(await inkedPixels(page.getByTestId("chart-invite-tree"))).toBeGreaterThan(5000);
  await shot(page, "invite-tree");

  const biggest = roots.reduce((a, b) => (b.invitees > a.invitees ? b : a));
  const tree = report<{ nodes: { userId: string }[] }>(page, "/admin/analytics/invite-tree");
  await page.getByTestId("tree-search").locator("input").fill(biggest.userId);
  await page.getByTestId("tree-search").locator("input").press("Enter");
  const subtree = (await tree).nodes;
  expect(subtree.length).toBeGreaterThan(biggest.invitees);
  await expect.poll(() => page.url()).toContain(`user=${biggest.userId}`);
  await expect.poll(() => page.getByTestId("growth-invite-tree").textContent()).toContain(`用户的邀请树${subtree.length} 人`);
  await expect.poll(() => page.getByTestId("tree-node-panel").textContent()).toContain(`${biggest.userId}直接邀请${biggest.invitees}团队总人数`);
}, 300_000);
