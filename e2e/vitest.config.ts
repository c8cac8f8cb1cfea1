import { defineConfig } from "vitest/config";

/** Browser journeys: one file at a time (each starts its own server and Chromium). */
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.e2e.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
