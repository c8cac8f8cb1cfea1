import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { IdParam, PageQuery } from "../../platform/http/schemas.js";
import { changeSetting, decideReview, listReviews, listSettings } from "./risk.service.js";
import type { ReviewStatus, ReviewSubject } from "./risk.tables.js";

const Decision = Type.Object({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false });

export function riskRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["risk"];
  const reviewer = operator("users");
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get(
    "/admin/risk/reviews",
    {
      config: { access: reviewer },
      schema: {
        tags,
        summary: "The manual review queue: rewards, commissions and withdrawals whose risk score reached the threshold",
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            status: Type.Optional(Type.Union([Type.Literal("pending"), Type.Literal("approved"), Type.Literal("rejected")])),
            subjectType: Type.Optional(Type.Union([Type.Literal("reward"), Type.Literal("commission"), Type.Literal("withdrawal")])),
          }),
        ]),
      },
    },
    async (request) => {
      const q = request.query as { status?: ReviewStatus; subjectType?: ReviewSubject; limit?: number; after?: string };
      return listReviews(deps.db, { ...q, limit: q.limit ?? 20 });
    },
  );

  for (const [action, decision] of [["approve", "approved"], ["reject", "rejected"]] as const) {
    app.post(
      `/admin/risk/reviews/:id/${action}`,
      {
        config: { access: reviewer, idempotent: true },
        schema: { tags, summary: `${action === "approve" ? "Approve (pay)" : "Reject (with a note)"} a reviewed subject; audited, publishes risk.review_decided`, params: IdParam("rvw"), body: Decision },
      },
      async (request) => decideReview(deps, id(request), decision, actor(request), (request.body as { note?: string } | undefined)?.note),
    );
  }

  app.get("/admin/risk/settings", { config: { access: reviewer }, schema: { tags, summary: "Risk thresholds and velocity limits" } }, async () => listSettings(deps.db));

  app.put(
    "/admin/risk/settings/:key",
    {
      config: { access: reviewer },
      schema: {
        tags,
        summary: "Change one risk threshold or limit (audited)",
        params: Type.Object({ key: Type.String({ pattern: "^[a-z_]{1,64}$" }) }),
        body: Type.Object({ value: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }) }, { additionalProperties: false }),
      },
    },
    async (request) => changeSetting(deps, (request.params as { key: string }).key, (request.body as { value: number }).value, actor(request)),
  );
}
