import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../../platform/clock.js";
import { loadConfig } from "../../../platform/config.js";
import { FieldCipher } from "../../../platform/crypto.js";
import { AlipayProvider } from "./alipay.js";
import { paymentProvidersFromEnv } from "./config.js";
import { TestPaymentProvider } from "./test-provider.js";
import { WechatPayProvider } from "./wechatpay.js";

const cipher = new FieldCipher(crypto.randomBytes(32));
const ctx = (env: NodeJS.ProcessEnv) => ({ config: loadConfig({ ...env, LIEBIAN_DATA_DIR: "/nonexistent" }), cipher, clock: systemClock });
const pem = (k: crypto.KeyObject, type: "pkcs8" | "spki") => k.export({ type, format: "pem" }) as string;

describe("payment providers from the environment", () => {
  it("offers only the test provider by default, and none in production unless asked", () => {
    expect(Object.keys(paymentProvidersFromEnv({}, ctx({})))).toEqual(["test"]);
    expect(paymentProvidersFromEnv({}, ctx({})).test).toBeInstanceOf(TestPaymentProvider);
    expect(Object.keys(paymentProvidersFromEnv({}, ctx({ NODE_ENV: "production" })))).toEqual([]);
    expect(Object.keys(paymentProvidersFromEnv({ LIEBIAN_TEST_PAY: "1" }, ctx({ NODE_ENV: "production" })))).toEqual(["test"]);
  });

  it("turns WeChat Pay and Alipay on from their settings, PEM with escaped newlines included", () => {
    const merchant = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const env = {
      WECHATPAY_MCHID: "1900000109",
      WECHATPAY_APPID: "wx1",
      WECHATPAY_SERIAL: "ABC",
      WECHATPAY_PRIVATE_KEY: pem(merchant.privateKey, "pkcs8").replace(/\n/g, "\\n"),
      WECHATPAY_APIV3_KEY: "0123456789abcdef0123456789abcdef",
      WECHATPAY_PLATFORM_PUBLIC_KEY: pem(merchant.publicKey, "spki"),
      WECHATPAY_PLATFORM_SERIAL: "PUB_KEY_ID_1",
      ALIPAY_APP_ID: "2021",
      ALIPAY_PRIVATE_KEY: (merchant.privateKey.export({ type: "pkcs1", format: "der" }) as Buffer).toString("base64"),
      ALIPAY_PUBLIC_KEY: (merchant.publicKey.export({ type: "spki", format: "der" }) as Buffer).toString("base64"),
    };
    const providers = paymentProvidersFromEnv(env, ctx({}));
    expect(providers.wechatpay).toBeInstanceOf(WechatPayProvider);
    expect(providers.alipay).toBeInstanceOf(AlipayProvider);
  });

  it("refuses to start half configured, naming what is missing", () => {
    expect(() => paymentProvidersFromEnv({ WECHATPAY_MCHID: "1900000109", WECHATPAY_APPID: "wx1" }, ctx({}))).toThrow(
      "WeChat Pay is half configured: set WECHATPAY_SERIAL, WECHATPAY_PRIVATE_KEY, WECHATPAY_APIV3_KEY (or the *_FILE variant)",
    );
    expect(() => paymentProvidersFromEnv({ ALIPAY_APP_ID: "2021" }, ctx({}))).toThrow("Alipay is half configured: set ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY");
  });
});
