import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, newContext, screenshotter } from "./browser.js";
import { type Call, MINUTE, addAddress, apiOf, demoSku, operatorToken, payInSheet, shareLinkFrom, shopperToken, signUpInSheet, signedIn } from "./fission.js";
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

const LEADER_PRICE = 1790;
const GROUP_PRICE = 1990;
/** The fruit shop's shipping fee to Hangzhou, added to what each member pays. */
const SHIPPING = 1000;

/** The demo's 3-person navel-orange group buy, or the same made here when the demo has none. */
async function groupbuyOfThreeOranges(call: Call): Promise<{ id: string; fillMinutes: number }> {
  const open = await call<{ items: Array<{ id: string; title: string; teamSize: number; fillMinutes: number; skus: Array<{ groupPrice: number; leaderPrice: number; title: string }> }> }>("GET", "/groupbuy/activities");
  const demo = open.items.find((a) => a.teamSize === 3 && a.skus.length === 1 && a.skus[0].title === "江西赣南脐橙 新鲜现摘" && a.skus[0].groupPrice === GROUP_PRICE && a.skus[0].leaderPrice === LEADER_PRICE);
  if (demo) return demo;
  const orange = await demoSku(server, "江西赣南脐橙 新鲜现摘", "5斤装");
  const now = server.clock.now();
  return call(
    "POST",
    "/admin/groupbuy/activities",
    {
      title: "赣南脐橙 3人团",
      teamSize: 3,
      fillMinutes: 60,
      paymentMinutes: 15,
      perUserLimit: 2,
      startsAt: new Date(now.getTime() - MINUTE).toISOString(),
      endsAt: new Date(now.getTime() + 7 * 24 * 60 * MINUTE).toISOString(),
      platformFillsLastSeat: false,
      skus: [{ skuId: orange.skuId, groupPrice: GROUP_PRICE, leaderPrice: LEADER_PRICE, stock: 20 }],
    },
    await operatorToken(call),
  );
}

/** B or C: opens A's link, signs up in place, adds an address, joins and pays. */
async function joinThroughLink(page: Page, link: string, phone: string, name: string, shot: (p: Page, s: string) => Promise<string>, tag: string) {
  await page.goto(link);
  await page.waitForURL(/#\/teams\/gbt_/);
  await expect.poll(() => page.getByTestId("team-invited-by").textContent()).toContain("周小明 邀请你一起拼团");
  await shot(page, `${tag}-opens-link`);
  await page.getByTestId("team-join").click();
  await signUpInSheet(page, server, phone);
  await page.getByTestId("order-sheet").waitFor();
  await addAddress(page, name, phone);
  await expect.poll(() => page.getByTestId("order-total").textContent()).toBe("¥19.90");
  await shot(page, `${tag}-confirms-join`);
  await page.getByTestId("order-confirm").click();
  await payInSheet(page, GROUP_PRICE + SHIPPING);
  await page.waitForURL(/#\/teams\/gbt_/);
}

test("a 3-person team fills through A's link and succeeds; a team one short expires and both members are refunded", async () => {
  const shot = screenshotter("journey-2-groupbuy");
  const call = apiOf(server);
  const activity = await groupbuyOfThreeOranges(call);
  const fill = activity.fillMinutes * MINUTE;

  // A, a shopper with an address, opens a team and pays the leader price.
  const a = await shopperToken(call, "13900000020", "周小明");
  await call("POST", "/me/addresses", { recipient: "周小明", phone: "13900000020", province: "浙江省", city: "杭州市", district: "西湖区", detail: "文三路 90 号" }, a.token);
  const pageA = await (await signedIn(await newContext(browser, "phone"), a.token)).newPage();
  await pageA.goto(`${server.url}/#/groupbuy/${activity.id}`);
  await expect.poll(() => pageA.getByTestId("groupbuy-group-price").textContent()).toBe("¥19.90");
  await expect(pageA.getByTestId("groupbuy-leader-price").textContent()).resolves.toBe("¥17.90");
  await shot(pageA, "a-activity");
  await pageA.getByTestId("groupbuy-open-team").click();
  await expect.poll(() => pageA.getByTestId("order-total").textContent()).toBe("¥17.90");
  await shot(pageA, "a-confirms-open");
  await pageA.getByTestId("order-confirm").click();
  await payInSheet(pageA, LEADER_PRICE + SHIPPING);
  await pageA.waitForURL(/#\/teams\/gbt_/);
  const teamId = /#\/teams\/(gbt_[0-9A-Z]+)/.exec(pageA.url())![1];
  await expect.poll(() => pageA.getByTestId("team-seats-left").textContent(), { timeout: 15_000 }).toBe("2");
  await shot(pageA, "a-team-open");

  // A invites through WeChat: the share sheet gives this channel's link.
  await pageA.getByTestId("team-invite").click();
  const link = await shareLinkFrom(pageA, server);
  await shot(pageA, "a-share-sheet");
  await pageA.getByTestId("share-close").click();

  const pageB = await (await newContext(browser, "phone")).newPage();
  await joinThroughLink(pageB, link, "13900000021", "王小白", shot, "b");
  await expect.poll(() => pageB.getByTestId("team-seats-left").textContent(), { timeout: 15_000 }).toBe("1");
  await shot(pageB, "b-joined");

  const pageC = await (await newContext(browser, "phone")).newPage();
  await joinThroughLink(pageC, link, "13900000022", "陈小青", shot, "c");

  // The third paid member completes the team: all three see it.
  for (const [page, who] of [[pageA, "a"], [pageB, "b"], [pageC, "c"]] as const) {
    await page.goto(`${server.url}/#/teams/${teamId}`);
    await page.reload();
    await page.getByTestId("team-state-succeeded").waitFor({ timeout: 15_000 });
    await expect(page.getByTestId("team-members").locator("> div").count()).resolves.toBe(3);
    await shot(page, `${who}-sees-success`);
  }
  const team = await call<{ state: string; paidCount: number }>("GET", `/groupbuy/teams/${teamId}`);
  expect([team.state, team.paidCount]).toEqual(["succeeded", 3]);

  // A second team: A opens it, B joins, nobody else comes before the deadline.
  await pageA.goto(`${server.url}/#/groupbuy/${activity.id}`);
  await pageA.getByTestId("groupbuy-open-team").click();
  await pageA.getByTestId("order-confirm").click();
  await payInSheet(pageA, LEADER_PRICE + SHIPPING);
  await pageA.waitForURL(/#\/teams\/gbt_/);
  const secondId = /#\/teams\/(gbt_[0-9A-Z]+)/.exec(pageA.url())![1];
  expect(secondId).not.toBe(teamId);
  await expect.poll(() => pageA.getByTestId("team-seats-left").textContent(), { timeout: 15_000 }).toBe("2");
  await pageA.getByTestId("team-invite").click();
  const secondLink = await shareLinkFrom(pageA, server, "qq");
  await pageA.getByTestId("share-close").click();

  await pageB.goto(secondLink);
  await pageB.waitForURL(new RegExp(`#/teams/${secondId}`));
  await pageB.getByTestId("team-join").click();
  await pageB.getByTestId("order-sheet").waitFor();
  await pageB.getByTestId("order-confirm").click();
  await payInSheet(pageB, GROUP_PRICE + SHIPPING);
  await expect.poll(() => pageB.getByTestId("team-seats-left").textContent(), { timeout: 15_000 }).toBe("1");
  await shot(pageB, "b-in-second-team");

  await server.advance(fill + MINUTE);
  for (const [page, who, paid] of [[pageA, "a", "¥27.90"], [pageB, "b", "¥29.90"]] as const) {
    await page.reload();
    await page.getByTestId("team-state-failed").waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId("team-refund").textContent()).toBe(`未在时限内成团，${paid} 已原路退回`);
    await shot(page, `${who}-sees-refund`);
  }
  const second = await call<{ state: string }>("GET", `/groupbuy/teams/${secondId}`);
  expect(second.state).toBe("failed");
});
