import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.js";
import { formatYuan } from "../platform/money.js";
import { categoryTree } from "../modules/catalog/categories.service.js";
import { browseProducts } from "../modules/catalog/storefront.service.js";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;background:#f6f6f6;color:#222}
header{background:#e02e24;color:#fff;padding:14px 16px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;font-size:13px;opacity:.9}
nav{padding:10px 16px;display:flex;gap:8px;flex-wrap:wrap}nav span{background:#fff;border-radius:14px;padding:4px 10px;font-size:13px}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;padding:0 16px 24px}
.card{background:#fff;border-radius:8px;overflow:hidden;text-decoration:none;color:inherit}.card img{width:100%;aspect-ratio:1;object-fit:cover;background:#eee}
.card h2{font-size:14px;margin:6px 8px;font-weight:500}.price{color:#e02e24;margin:0 8px 8px;font-weight:600}
footer{padding:16px;font-size:13px;color:#666}a{color:#1d5fd1}</style></head><body>${body}</body></html>`;
}

/**
 * The server-rendered pages at `/` (the store's shop window) and `/admin` (where operators start). The
 * full H5 store and admin console are single-page apps that the same server will serve here.
 */
export function webPages(app: FastifyInstance, deps: Deps): void {
  const schema = { hide: true } as const;
  app.get("/", { config: { access: "public" }, schema }, async (_request, reply) => {
    const [tree, products] = await Promise.all([categoryTree(deps.db), browseProducts(deps.db, { limit: 40 })]);
    const cards = products.items
      .map((p) => `<a class="card" href="/products/${p.id}"><img src="${escape(p.image ?? "")}" alt=""><h2>${escape(p.title)}</h2><p class="price">${formatYuan(p.priceFrom)} 起</p></a>`)
      .join("");
    const nav = tree.map((c) => `<span>${escape(c.name)}</span>`).join("");
    const body = `<header><h1>裂变优选 Liebian</h1><p>拼团 · 砍价 · 秒杀 · 分享有礼</p></header><nav>${nav}</nav><main>${cards}</main>
<footer>API: <a href="/docs">/docs</a> · <a href="/openapi.json">OpenAPI</a> · operators: <a href="/admin">/admin</a></footer>`;
    return reply.type("text/html; charset=utf-8").send(page("裂变优选 Liebian", body));
  });
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
  app.get("/admin", { config: { access: "public" }, schema }, async (_request, reply) => {
    const body = `<header><h1>Liebian 运营后台 · Operator console</h1><p>Sign in with an operator or merchant account (printed when the server starts).</p></header>
<footer><p>Operators and merchants work through the HTTP API today: sign in with <code>POST /auth/login</code> and use the <code>/admin/…</code> routes listed in <a href="/docs">/docs</a>.</p></footer>`;
    return reply.type("text/html; charset=utf-8").send(page("Liebian admin", body));
  });
}
