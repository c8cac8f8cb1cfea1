import path from "node:path";

/** Every setting the server reads from its environment, in one place. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  redisUrl?: string;
  natsUrl?: string;
  dataDir: string;
  dataKey?: string;
  /** Minutes an unpaid order waits before it is cancelled and its stock released. */
  orderPaymentTimeoutMinutes: number;
  /** Days after shipment before receipt is confirmed automatically. */
  autoConfirmReceiptDays: number;
  /** Public base URL used in pay pages and share links. */
  publicUrl: string;
  env: "development" | "production" | "test";
  logLevel: string;
  demoData: boolean;
  /**
   * What this process does: `all` (HTTP, event delivery and jobs), `web` (HTTP only) or `worker`
   * (event delivery and jobs only). Split roles need DATABASE_URL: the embedded database lives in one process.
   */
  role: Role;
}

export const ROLES = ["all", "web", "worker"] as const;
export type Role = (typeof ROLES)[number];

function role(value: string | undefined, databaseUrl: string | undefined): Role {
  const r = (value || "all") as Role;
  if (!ROLES.includes(r)) throw new Error(`LIEBIAN_ROLE must be one of ${ROLES.join(", ")}, got ${value}`);
  if (r !== "all" && !databaseUrl) throw new Error(`LIEBIAN_ROLE=${r} needs DATABASE_URL: the embedded database serves one process only`);
  return r;
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`expected an integer, got ${value}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000);
  const mode = env.NODE_ENV === "production" ? "production" : env.NODE_ENV === "test" ? "test" : "development";
  return {
    port,
    host: env.HOST ?? "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    natsUrl: env.NATS_URL || undefined,
    dataDir: path.resolve(env.LIEBIAN_DATA_DIR ?? "data"),
    dataKey: env.LIEBIAN_DATA_KEY || undefined,
    orderPaymentTimeoutMinutes: int(env.ORDER_PAYMENT_TIMEOUT_MINUTES, 15),
    autoConfirmReceiptDays: int(env.AUTO_CONFIRM_RECEIPT_DAYS, 10),
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`,
    env: mode,
    logLevel: env.LOG_LEVEL ?? (mode === "test" ? "silent" : "info"),
    demoData: env.LIEBIAN_DEMO_DATA !== "0",
    role: role(env.LIEBIAN_ROLE, env.DATABASE_URL || undefined),
  };
}
