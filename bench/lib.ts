import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";

/** Percentile of a list of milliseconds (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

function spawnMain(env: Record<string, string>): ChildProcess {
  // BENCH_NODE_ARGS passes flags to the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where time goes.
  const extra = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  return spawn(process.execPath, [...extra, "--import", "tsx", "src/main.ts"], {
    env: { ...process.env, HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const stopped = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });

/**
 * Starts `npm start`'s entry point in its own process (so it has a core to itself) and waits for /readyz
 * (a `LIEBIAN_ROLE=worker` process answers it too, on its probe port).
 */
export async function startServer(env: Record<string, string>): Promise<{ url: string; proc: ChildProcess; stop(): Promise<void> }> {
  const port = 20000 + crypto.randomInt(20000);
  const proc = spawnMain({ PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    proc,
    stop: () => stopped(proc),
  };
}

export async function call<T = any>(url: string, init: { method?: string; token?: string; body?: unknown; ip?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    redirect: "manual",
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.ip ? { "x-forwarded-for": init.ip } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text) as T };
}

export async function must<T = any>(url: string, init: Parameters<typeof call>[1] = {}): Promise<T> {
  const res = await call<T>(url, init);
  if (res.status >= 400) throw new Error(`${init.method ?? "GET"} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  return res.body;
}

/** The metric `name` from a Prometheus text page. */
export async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(" ")[1]) : 0;
}
