import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";

describe("configuration", () => {
  it("runs every role in one process by default, and splits roles only over PostgreSQL", () => {
    expect(loadConfig({}).role).toBe("all");
    const pg = { DATABASE_URL: "postgres://db.internal/liebian" };
    expect(loadConfig({ ...pg, LIEBIAN_ROLE: "web" }).role).toBe("web");
    expect(loadConfig({ ...pg, LIEBIAN_ROLE: "worker" }).role).toBe("worker");
    expect(() => loadConfig({ LIEBIAN_ROLE: "worker" })).toThrow(/needs DATABASE_URL/);
    expect(() => loadConfig({ ...pg, LIEBIAN_ROLE: "cron" })).toThrow(/must be one of all, web, worker/);
  });
});
