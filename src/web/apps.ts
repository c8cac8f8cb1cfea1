import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Deps } from "../deps.js";

/** Where `web/build.ts` puts the built store and admin console. */
export const WEB_DIST = fileURLToPath(new URL("../../dist/web", import.meta.url));

/**
 * Serves the two single-page apps: the H5 store at `/` and the admin console at `/admin`. Both route
 * on the URL hash (`/#/products/…`, `/admin#/orders`), so their pages never collide with API paths
 * such as `GET /products/:id` or `GET /admin/orders`.
 */
export async function webApps(app: FastifyInstance, deps: Deps): Promise<void> {
  const hidden = { hide: true } as const;
  const assets = path.join(WEB_DIST, "assets");
  if (fs.existsSync(assets)) {
    await app.register(fastifyStatic, { root: assets, prefix: "/assets/", immutable: true, maxAge: "365d", decorateReply: false });
  }
  const sendApp = (reply: FastifyReply, name: "store" | "admin") => {
    const file = path.join(WEB_DIST, name, "index.html");
    if (!fs.existsSync(file)) {
      return reply.status(503).type("text/plain; charset=utf-8").send("The web apps are not built yet: run `npm run build:web` (npm start does it for you).");
    }
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(fs.createReadStream(file));
  };
  app.get("/", { config: { access: "public" }, schema: hidden }, async (_request, reply) => sendApp(reply, "store"));
  app.get("/admin", { config: { access: "public" }, schema: hidden }, async (_request, reply) => sendApp(reply, "admin"));

  // Countdowns (flash slots, teams, bargains) run on the server's clock, not the phone's, which may be off.
  app.get(
    "/time",
    { config: { access: "public" }, schema: { tags: ["web"], summary: "The server's current time, for truthful countdowns", response: { 200: { type: "object", properties: { now: { type: "string", format: "date-time" } }, required: ["now"] } } } },
    async () => ({ now: deps.clock.now().toISOString() }),
  );

  // The demo store's generated product images.
  app.get(
    "/uploads/demo/:file",
    { config: { access: "public" }, schema: { hide: true, params: { type: "object", properties: { file: { type: "string", pattern: "^[a-z0-9-]{1,64}\\.svg$" } }, required: ["file"] } } },
    async (request, reply) => {
      const file = path.join(deps.config.dataDir, "uploads", "demo", (request.params as { file: string }).file);
      if (!fs.existsSync(file)) return reply.status(404).send({ code: "not_found", message: "no such image" });
      return reply.type("image/svg+xml").header("cache-control", "public, max-age=86400").send(fs.createReadStream(file));
    },
  );
}
