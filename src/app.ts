import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Deps } from "./deps.js";
import type { Module } from "./module.js";
import { modules as allModules } from "./modules/index.js";
import { displayNames, resolvePrincipal } from "./modules/identity/identity.service.js";
import { type Access, allows } from "./platform/auth/access.js";
import { AppError } from "./platform/errors.js";
import { auditRoutes } from "./platform/http/audit.routes.js";
import { installErrorHandler } from "./platform/http/errors.js";
import { installIdempotency } from "./platform/http/idempotency.js";
import { installObservability } from "./platform/http/observability.js";
import { ErrorBody } from "./platform/http/schemas.js";
import { newId } from "./platform/ids.js";
import { webApps } from "./web/apps.js";

/** A registered route and who may call it (the access test walks this list). */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  schema?: { params?: unknown; body?: unknown; querystring?: unknown };
}

declare module "fastify" {
  interface FastifyInstance {
    routeCatalog: RouteEntry[];
  }
}

function describeAccess(access: Access): string {
  if (access === "public") return "Access: public.";
  const roles = access.roles.map((r) => (r === "operator" && access.permission ? `operator (${access.permission})` : r));
  return `Access: ${roles.join(", ")}.`;
}

/** Builds the HTTP application over ready dependencies; main.ts and the tests both use it. */
export async function buildApp(deps: Deps, modules: Module[] = allModules): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,64}$/.test(given) ? given : newId("req");
    },
    requestIdHeader: false,
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    // Requests too broken to reach a route (bad request line, raw non-ASCII in the URL) still get our error shape.
    clientErrorHandler: (err, socket) => {
      const body = JSON.stringify({ code: "bad_request", message: `malformed HTTP request: ${err.message}` });
      if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: "array", removeAdditional: false, useDefaults: true } },
  });
  app.addHook("onSend", async (request, reply) => {
    void reply.header("x-request-id", request.id);
  });
  installErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "Liebian API", version: "0.1.0", description: "Social commerce with fission growth built in. Money is integer fen; times are UTC." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
  });
  app.addSchema(ErrorBody);

  // Every route must say who may call it; a route without `config.access` fails at start-up.
  const routeCatalog: RouteEntry[] = [];
  app.decorate("routeCatalog", routeCatalog);
  app.addHook("onRoute", (route) => {
    // The API docs' and the web apps' static files are public by nature.
    if (route.url.startsWith("/docs") || route.url.startsWith("/assets/")) {
      route.config = { ...route.config, access: "public" };
      return;
    }
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access`);
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    schema.description = [schema.description, describeAccess(access)].filter(Boolean).join("\n\n");
    if (access !== "public") schema.security = [{ bearer: [] }];
    for (const method of [route.method].flat()) {
      if (method !== "HEAD") routeCatalog.push({ method, url: route.url, access, schema: route.schema as RouteEntry["schema"] });
    }
  });

  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith("Bearer ")) request.principal = await resolvePrincipal(deps, header.slice(7).trim());
    const access = request.routeOptions.config?.access;
    if (!access) return;
    const verdict = allows(access, request.principal);
    if (verdict === "unauthenticated") throw new AppError(401, "unauthenticated", "sign in first: send Authorization: Bearer <token>");
    if (verdict === "forbidden") throw new AppError(403, "forbidden_role", "your role may not use this");
  });

  installIdempotency(app, deps.db);
  installObservability(app, deps.db);
  auditRoutes(app, deps.db, (ids) => displayNames(deps.db, ids));

  await app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { docExpansion: "list" }, staticCSP: true });
  // The UI's own routes are documentation: public.
  app.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () => app.swagger());

  for (const mod of modules) {
    if (mod.routes) await app.register(async (scope) => mod.routes!(scope, deps));
  }
  await webApps(app, deps);
  return app;
}
