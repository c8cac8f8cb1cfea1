import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
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

test("an operator signs in to the console", async () => {
  const shot = screenshotter("admin-smoke");
  const page = await (await newContext(browser, "desktop")).newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByTestId("login-username").fill("admin");
  await page.getByTestId("login-password").fill("liebian-admin");
  await page.getByTestId("login-submit").click();
  await expect.poll(() => page.url()).toContain("#/dashboard");
  await expect(page.getByTestId("nav").textContent()).resolves.toContain("数据看板");
  await shot(page, "signed-in");
});
