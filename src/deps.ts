import type { Logger } from "pino";
import type { Clock } from "./platform/clock.js";
import type { Config } from "./platform/config.js";
import type { FieldCipher } from "./platform/crypto.js";
import type { Db } from "./platform/db/database.js";
import type { EventDispatcher } from "./platform/events/dispatcher.js";
import type { JobRunner } from "./platform/jobs/jobs.js";
import type { Kv } from "./platform/kv/kv.js";
import type { Adjuster } from "./modules/orders/pricing.js";
import type { SmsProvider } from "./modules/identity/sms.js";
import type { PaymentProviders } from "./modules/payments/providers/provider.js";
import type { FlashCounter } from "./modules/flashsale/counter.js";
import type { FlashQueue } from "./modules/flashsale/queue.js";

/** What the running application hands to modules: built once in main.ts (or by the test harness). */
export interface Deps {
  config: Config;
  db: Db;
  dbKind: "postgres" | "pglite";
  clock: Clock;
  kv: Kv;
  cipher: FieldCipher;
  log: Logger;
  events: EventDispatcher;
  jobs: JobRunner;
  adapters: Adapters;
  /** Checkout pricing steps contributed by modules, in order. */
  adjusters: Adjuster[];
}

/** The outside world, behind interfaces: SMS, payment providers, file storage. Tests stub these only. */
export interface Adapters {
  sms: SmsProvider;
  payments: PaymentProviders;
  /** 秒杀 stock and per-buyer counts: Redis when REDIS_URL, in-process otherwise. */
  flashCounter: FlashCounter;
  /** Won flash attempts on their way to orders: NATS JetStream when NATS_URL, in-process otherwise. */
  flashQueue: FlashQueue;
}
