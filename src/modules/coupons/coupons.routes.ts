import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, merchantOrOperator, operator, PUBLIC } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { createPair, listPairs, setPairStatus } from "./coupon-pairs.service.js";
import { claimableTemplates, createTemplate, getTemplate, listTemplates, type TemplateInput, type TemplatePatch, updateTemplate } from "./coupon-templates.service.js";
import { claimCoupon, type CouponState, fissionLink, myCoupons, openFissionLink } from "./coupons.service.js";

const literals = (values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Status = literals(["active", "disabled"]);
const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);
const page = <Q extends { limit?: number }>(q: Q) => ({ ...q, limit: q.limit ?? 20 });

const TemplateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    merchantId: Type.Optional(Type.Union([IdOf("mch"), Type.Null()], { description: "operators: the store the coupon is for; absent for a platform coupon" })),
    kind: literals(["fixed", "percent", "threshold", "free_shipping"]),
    amount: Type.Optional({ ...FenAmount, description: "fixed / threshold: fen off" }),
    percentOff: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: "percent: percentage off (20 = 八折)" })),
    maxOff: Type.Optional(Type.Integer({ minimum: 1, description: "percent: at most this many fen off" })),
    threshold: Type.Optional({ ...FenAmount, description: "usable from this much eligible spend (fen)" }),
    scope: Type.Optional(literals(["all", "merchant", "products", "categories"])),
    scopeIds: Type.Optional(Type.Array(Type.String({ pattern: "^(mch|prd|cat)_[0-9A-HJKMNP-TV-Z]{26}$" }), { maxItems: 200 })),
    perUserLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    validFrom: Type.Optional(Timestamp),
    validUntil: Type.Optional(Timestamp),
    validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: "valid for N days from issue, instead of a fixed window" })),
    stackable: Type.Optional(Type.Boolean({ description: "may be combined with another coupon in one store's order" })),
    returnOnCancel: Type.Optional(Type.Boolean({ description: "comes back when the unpaid order is cancelled (default true)" })),
    returnOnRefund: Type.Optional(Type.Boolean({ description: "comes back when the order is fully refunded (default false)" })),
    claimable: Type.Optional(Type.Boolean({ description: "consumers may claim it themselves (default true); false: issued by rewards and invites only" })),
    fissionShares: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: "裂变券: issued locked, unlocks once shared to this many distinct friends" })),
  },
  { additionalProperties: false },
);

export function couponsRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["coupons"];
  const staff = merchantOrOperator("catalog");

  app.get(
    "/coupon-templates",
    { config: { access: PUBLIC }, schema: { tags, summary: "Coupons that can be claimed now (领券中心), optionally of one store", querystring: Type.Intersect([PageQuery, Type.Object({ merchantId: Type.Optional(IdOf("mch")) })]) } },
    async (request) => claimableTemplates(deps, page(request.query as { merchantId?: string; limit?: number; after?: string })),
  );

  app.post(
    "/coupons/:templateId/claim",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Claim a coupon (stock and the per-user limit hold under concurrency)", params: Type.Object({ templateId: IdOf("cpt") }) } },
    async (request, reply) => reply.status(201).send(await claimCoupon(deps, request.principal!.userId, (request.params as { templateId: string }).templateId)),
  );

  app.get(
    "/me/coupons",
    {
      config: { access: CONSUMER },
      schema: { tags, summary: "My coupons in one state: usable, locked (fission, not yet unlocked), used or expired", querystring: Type.Intersect([PageQuery, Type.Object({ state: Type.Optional(literals(["usable", "locked", "used", "expired"])) })]) },
    },
    async (request) => {
      const q = request.query as { state?: CouponState; limit?: number; after?: string };
      return myCoupons(deps, request.principal!.userId, page({ ...q, state: q.state ?? "usable" }));
    },
  );

  app.post(
    "/coupons/:couponId/fission-link",
    { config: { access: CONSUMER }, schema: { tags, summary: "The share link of my locked fission coupon (one per coupon)", params: Type.Object({ couponId: IdOf("cpn") }) } },
    async (request) => fissionLink(deps, request.principal!.userId, (request.params as { couponId: string }).couponId),
  );

  app.get(
    "/coupon-fission/:token",
    { config: { access: CONSUMER }, schema: { tags, summary: "A friend opens a fission coupon link; each distinct friend counts once, the owner never", params: Type.Object({ token: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" }) }) } },
    async (request) => openFissionLink(deps, request.principal!.userId, (request.params as { token: string }).token),
  );

  app.post(
    "/admin/coupon-templates",
    { config: { access: staff }, schema: { tags, summary: "Create a coupon template (merchant staff: for their own store)", body: TemplateBody } },
    async (request, reply) => reply.status(201).send(await createTemplate(deps, actor(request), request.body as TemplateInput)),
  );

  app.get("/admin/coupon-templates", { config: { access: staff }, schema: { tags, summary: "Coupon templates, newest first", querystring: PageQuery } }, async (request) =>
    listTemplates(deps, actor(request), page(request.query as { limit?: number; after?: string })),
  );

  app.get("/admin/coupon-templates/:id", { config: { access: staff }, schema: { tags, summary: "One coupon template with how many are issued", params: IdParam("cpt") } }, async (request) =>
    getTemplate(deps, actor(request), id(request)),
  );

  app.patch(
    "/admin/coupon-templates/:id",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Rename, restock, change the per-user limit, or disable a template",
        params: IdParam("cpt"),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
            stock: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()])),
            perUserLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()])),
            claimable: Type.Optional(Type.Boolean()),
            status: Type.Optional(Status),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => updateTemplate(deps, actor(request), id(request), request.body as TemplatePatch),
  );

  app.post(
    "/admin/coupon-pairs",
    {
      config: { access: operator("catalog") },
      schema: {
        tags,
        summary: "A double-sided coupon offer: the inviter and the invited friend each get one on the friend's first paid order",
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), inviterTemplateId: IdOf("cpt"), friendTemplateId: IdOf("cpt") }, { additionalProperties: false }),
      },
    },
    async (request, reply) => reply.status(201).send(await createPair(deps, actor(request), request.body as { name: string; inviterTemplateId: string; friendTemplateId: string })),
  );

  app.get("/admin/coupon-pairs", { config: { access: operator("catalog") }, schema: { tags, summary: "Double-sided coupon offers" } }, async () => ({ items: await listPairs(deps.db) }));

  app.patch(
    "/admin/coupon-pairs/:id",
    { config: { access: operator("catalog") }, schema: { tags, summary: "Switch a double-sided offer on or off", params: IdParam("cpp"), body: Type.Object({ status: Status }, { additionalProperties: false }) } },
    async (request) => setPairStatus(deps, actor(request), id(request), (request.body as { status: "active" | "disabled" }).status),
  );
}
