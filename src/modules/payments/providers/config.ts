import crypto from "node:crypto";
import fs from "node:fs";
import type { Clock } from "../../../platform/clock.js";
import type { Config } from "../../../platform/config.js";
import type { FieldCipher } from "../../../platform/crypto.js";
import { AlipayProvider } from "./alipay.js";
import type { PaymentProviders } from "./provider.js";
import { TestPaymentProvider } from "./test-provider.js";
import { WechatPayProvider } from "./wechatpay.js";

/** `NAME`, or the contents of the file named by `NAME_FILE` (keys and certificates live in files). */
function secretOf(env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (env[name]) return env[name];
  const file = env[`${name}_FILE`];
  return file ? fs.readFileSync(file, "utf8") : undefined;
}

function required(env: NodeJS.ProcessEnv, provider: string, names: string[]): string[] {
  const values = names.map((n) => secretOf(env, n));
  const missing = names.filter((_, i) => !values[i]);
  if (missing.length > 0) throw new Error(`${provider} is half configured: set ${missing.join(", ")} (or the *_FILE variant)`);
  return values as string[];
}

/** WeChat Pay's signing key: its platform certificate, or (newer accounts) its public key and key id. */
function wechatPlatformKey(env: NodeJS.ProcessEnv): { platformPublicKey: string | crypto.KeyObject; platformSerial: string } {
  const cert = secretOf(env, "WECHATPAY_PLATFORM_CERT");
  if (cert) {
    const x509 = new crypto.X509Certificate(cert.replace(/\\n/g, "\n"));
    return { platformPublicKey: x509.publicKey, platformSerial: x509.serialNumber.toUpperCase() };
  }
  const [platformPublicKey, platformSerial] = required(env, "WeChat Pay", ["WECHATPAY_PLATFORM_PUBLIC_KEY", "WECHATPAY_PLATFORM_SERIAL"]);
  return { platformPublicKey, platformSerial };
}

/**
 * The providers this installation offers, from the environment. The test provider is on everywhere
 * except production (LIEBIAN_TEST_PAY=1 turns it on there, for a demo store); WeChat Pay and Alipay are
 * on when their merchant ids are set, and then every setting they need must be present.
 */
export function paymentProvidersFromEnv(env: NodeJS.ProcessEnv, ctx: { config: Config; cipher: FieldCipher; clock: Clock }): PaymentProviders {
  const { config, cipher, clock } = ctx;
  const base = config.publicUrl.replace(/\/$/, "");
  const providers: PaymentProviders = {};

  if (config.env !== "production" || env.LIEBIAN_TEST_PAY === "1") {
    const secret = env.LIEBIAN_TEST_PAY_SECRET || cipher.hash("liebian test payment notifications");
    providers.test = new TestPaymentProvider({ publicUrl: base, secret, clock });
  }

  if (env.WECHATPAY_MCHID) {
    const [mchId, appId, serialNo, privateKey, apiV3Key] = required(env, "WeChat Pay", ["WECHATPAY_MCHID", "WECHATPAY_APPID", "WECHATPAY_SERIAL", "WECHATPAY_PRIVATE_KEY", "WECHATPAY_APIV3_KEY"]);
    providers.wechatpay = new WechatPayProvider({
      mchId,
      appId,
      serialNo,
      privateKey,
      apiV3Key: apiV3Key.trim(),
      ...wechatPlatformKey(env),
      baseUrl: env.WECHATPAY_BASE_URL || "https://api.mch.weixin.qq.com",
      notifyUrl: `${base}/payments/notify/wechatpay`,
      clock,
    });
  }

  if (env.ALIPAY_APP_ID) {
    const [appId, privateKey, alipayPublicKey] = required(env, "Alipay", ["ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY"]);
    providers.alipay = new AlipayProvider({
      appId,
      privateKey,
      alipayPublicKey,
      gateway: env.ALIPAY_GATEWAY || "https://openapi.alipay.com/gateway.do",
      notifyUrl: `${base}/payments/notify/alipay`,
      clock,
    });
  }
  return providers;
}
