import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { type Access, CONSUMER, operator, PUBLIC } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery } from "../../platform/http/schemas.js";
import { COMMISSION_STATES, COMMISSION_TRANSITIONS, type CommissionStatus } from "./commission-machine.js";
import { myCommissions } from "./commissions.service.js";
import { type DistributionSettings, deleteRate, getSettings, listRates, MAX_LEVELS, setRate, updateSettings } from "./distribution.settings.js";
import { applyAsPromoter, bindByLink, customerCount, listPromoters, myCustomers, promoterOf, reviewPromoter } from "./promoters.service.js";
import { WITHDRAWAL_STATES, WITHDRAWAL_TRANSITIONS, type WithdrawalStatus } from "./withdrawal-machine.js";
import { approveWithdrawal, listWithdrawals, PAYOUT_PROVIDERS, promoterMoney, rejectWithdrawal, requestWithdrawal, withdrawalQueue } from "./withdrawals.service.js";

const literals = (values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const PROMOTER: Access = { roles: ["promoter"] };
const Bp = Type.Integer({ minimum: 0, maximum: 10_000, description: "basis points: 1000 = 10%" });
const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const me = (request: FastifyRequest) => request.principal!.userId;
const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);
const page = <Q extends { limit?: number }>(q: Q) => ({ ...q, limit: q.limit ?? 20 });

export function distributionRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["distribution"];

  app.get("/distribution/rules", { config: { access: PUBLIC }, schema: { tags, summary: "Commission and withdrawal state machines, and the two-level limit" } }, async () => ({
    maxLevels: MAX_LEVELS,
    commission: { states: COMMISSION_STATES, transitions: COMMISSION_TRANSITIONS },
    withdrawal: { states: WITHDRAWAL_STATES, transitions: WITHDRAWAL_TRANSITIONS },
  }));

  app.post(
    "/distribution/apply",
    {
      config: { access: CONSUMER },
      schema: {
        tags,
        summary: "Apply to become a promoter (分销员): approved at once or reviewed, per settings",
        body: Type.Object({ acceptTerms: Type.Literal(true, { description: "the applicant accepts the promoter agreement (分销协议)" }) }, { additionalProperties: false }),
      },
    },
    async (request) => applyAsPromoter(deps, me(request)),
  );

  app.post(
    "/distribution/bindings",
    {
      config: { access: CONSUMER },
      schema: { tags, summary: "Bind me to the promoter whose link I opened (the binding rule and period decide)", body: Type.Object({ promoterId: IdOf("usr") }, { additionalProperties: false }) },
    },
    async (request) => bindByLink(deps, me(request), (request.body as { promoterId: string }).promoterId),
  );

  app.get(
    "/me/promoter",
    { config: { access: CONSUMER }, schema: { tags, summary: "My promoter centre: status, link, pending / frozen / available / withdrawn amounts, customers, and the withdrawal minimum and fee" } },
    async (request) => {
      const userId = me(request);
      const promoter = await promoterOf(deps.db, userId);
      const settings = await getSettings(deps.db);
      return {
        status: promoter?.status ?? "none",
        link: `${deps.config.publicUrl}/?promoter=${userId}`,
        ...(await promoterMoney(deps.db, userId)),
        customers: await customerCount(deps.db, userId, deps.clock.now()),
        // What a withdrawal will cost, before asking: fee = floor(amount × feeBp / 10 000).
        withdrawal: { minimum: settings.minWithdrawal, feeBp: settings.withdrawalFeeBp },
      };
    },
  );

  app.get("/me/promoter/customers", { config: { access: PROMOTER }, schema: { tags, summary: "Customers bound to me now, newest first", querystring: PageQuery } }, async (request) =>
    myCustomers(deps, me(request), page(request.query as { limit?: number; after?: string })),
  );

  app.get(
    "/me/promoter/commissions",
    { config: { access: PROMOTER }, schema: { tags, summary: "My commissions per order, newest first", querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(literals(Object.keys(COMMISSION_STATES))) })]) } },
    async (request) => myCommissions(deps, me(request), page(request.query as { status?: CommissionStatus; limit?: number; after?: string })),
  );

  app.post(
    "/me/promoter/withdrawals",
    {
      config: { access: PROMOTER, idempotent: true },
      schema: {
        tags,
        summary: "Withdraw available commission (minimum and fee per settings)",
        body: Type.Object({ amount: { ...FenAmount, minimum: 1 }, to: Type.Optional(literals(PAYOUT_PROVIDERS)) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => reply.status(201).send(await requestWithdrawal(deps, me(request), request.body as { amount: number; to?: string })),
  );

  app.get("/me/promoter/withdrawals", { config: { access: PROMOTER }, schema: { tags, summary: "My withdrawals, newest first", querystring: PageQuery } }, async (request) =>
    listWithdrawals(deps.db, { ...page(request.query as { limit?: number; after?: string }), promoterId: me(request) }),
  );

  app.get("/admin/distribution/settings", { config: { access: operator("finance") }, schema: { tags, summary: "Distribution settings" } }, async () => getSettings(deps.db));

  app.patch(
    "/admin/distribution/settings",
    {
      config: { access: operator("finance") },
      schema: {
        tags,
        summary: "Change distribution settings; more than two levels is refused as illegal pyramid selling",
        body: Type.Object(
          {
            autoApprove: Type.Optional(Type.Boolean()),
            bindingRule: Type.Optional(literals(["first", "last"])),
            bindingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            levels: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: "levels paid; at most 2 (a third is pyramid selling and is refused)" })),
            level1RateBp: Type.Optional(Bp),
            level2RateBp: Type.Optional(Bp),
            minWithdrawal: Type.Optional({ ...FenAmount, minimum: 1 }),
            withdrawalFeeBp: Type.Optional(Bp),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => updateSettings(deps, actor(request), request.body as Partial<DistributionSettings>),
  );

  app.get("/admin/distribution/rates", { config: { access: operator("finance") }, schema: { tags, summary: "Commission rates per product and category and level" } }, async () => ({ items: await listRates(deps.db) }));

  app.put(
    "/admin/distribution/rates",
    {
      config: { access: operator("finance") },
      schema: {
        tags,
        summary: "Set a product's or category's commission rate at a level (1 or 2; a third level is refused)",
        body: Type.Object(
          { scope: literals(["product", "category"]), targetId: Type.String({ pattern: "^(prd|cat)_[0-9A-HJKMNP-TV-Z]{26}$" }), level: Type.Integer({ minimum: 1, maximum: 10 }), rateBp: Bp },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => setRate(deps, actor(request), request.body as { scope: "product" | "category"; targetId: string; level: number; rateBp: number }),
  );

  app.delete("/admin/distribution/rates/:id", { config: { access: operator("finance") }, schema: { tags, summary: "Remove a commission rate", params: IdParam("crt") } }, async (request, reply) => {
    await deleteRate(deps, actor(request), id(request));
    return reply.status(204).send();
  });

  app.get(
    "/admin/promoters",
    { config: { access: operator("users") }, schema: { tags, summary: "Promoters and applications", querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(literals(["pending", "approved", "rejected"])) })]) } },
    async (request) => listPromoters(deps, page(request.query as { status?: "pending" | "approved" | "rejected"; limit?: number; after?: string })),
  );

  for (const decision of ["approve", "reject"] as const) {
    app.post(
      `/admin/promoters/:id/${decision}`,
      {
        config: { access: operator("users") },
        schema: { tags, summary: `${decision === "approve" ? "Approve" : "Reject"} a promoter application`, params: IdParam("usr"), body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })) },
      },
      async (request) => reviewPromoter(deps, actor(request), id(request), decision, (request.body as { note?: string } | undefined)?.note),
    );
  }

  app.get(
    "/admin/withdrawals",
    { config: { access: operator("finance") }, schema: { tags, summary: "Withdrawals, newest first, with the promoter's name", querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(literals(Object.keys(WITHDRAWAL_STATES))) })]) } },
    async (request) => withdrawalQueue(deps.db, page(request.query as { status?: WithdrawalStatus; limit?: number; after?: string })),
  );

  app.post(
    "/admin/withdrawals/:id/approve",
    { config: { access: operator("finance"), idempotent: true }, schema: { tags, summary: "Approve a withdrawal and pay it out", params: IdParam("wdr") } },
    async (request) => approveWithdrawal(deps, actor(request), id(request)),
  );

  app.post(
    "/admin/withdrawals/:id/reject",
    { config: { access: operator("finance"), idempotent: true }, schema: { tags, summary: "Reject a withdrawal; the amount is available again", params: IdParam("wdr"), body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) } },
    async (request) => rejectWithdrawal(deps, actor(request), id(request), (request.body as { reason: string }).reason),
  );
}
