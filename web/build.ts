import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

/**
 * Builds the store and the admin console into dist/web when their sources changed since the last
 * build (`npm start` runs this first, so a fresh clone serves the apps with no extra step).
 * `--force` rebuilds regardless.
 */
const webDir = fileURLToPath(new URL(".", import.meta.url));
const root = path.dirname(webDir);
const outDir = path.join(root, "dist", "web");
const stamp = path.join(outDir, ".built");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestSource(webDir), fs.statSync(path.join(root, "package-lock.json")).mtimeMs);
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (process.argv.includes("--force") || built < sources) {
  console.log("building the store and admin console (dist/web)…");
  await build({ configFile: path.join(webDir, "vite.config.ts"), logLevel: "warn" });
  fs.writeFileSync(stamp, new Date().toISOString());
}
