import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, PUBLIC, operator } from "../../platform/auth/access.js";
import { IdParam, PageQuery } from "../../platform/http/schemas.js";
import { ensureDeviceId } from "../sharing/visitor.js";
import { inviteSummary, inviteTree, listInvitees, recordInviteVisit } from "./referral.service.js";

export function referralRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["referral"];

  app.get(
    "/i/:code",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Open an invite link: records the visit and redirects to the store with the code to send at sign-in",
        params: Type.Object({ code: Type.String({ maxLength: 32 }) }),
      },
    },
    async (request, reply) => {
      const code = await recordInviteVisit(deps, { code: (request.params as { code: string }).code, deviceId: ensureDeviceId(request, reply), ip: request.ip });
      return reply.redirect(code ? `/?inviteCode=${code}` : "/", 302);
    },
  );

  app.get("/me/invite", { config: { access: CONSUMER }, schema: { tags, summary: "My invite code and link, my inviter, and how many I brought (directly and in all)" } }, async (request) =>
    inviteSummary(deps, request.principal!.userId),
  );

  app.get("/me/invitees", { config: { access: CONSUMER }, schema: { tags, summary: "The people I invited directly, newest first", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return listInvitees(deps.db, request.principal!.userId, { limit: q.limit ?? 20, after: q.after });
  });

  app.get(
    "/admin/users/:id/invite-tree",
    {
      config: { access: operator("users") },
      schema: {
        tags,
        summary: "A user's place in the invite tree: path to the root, descendants per level, and the subtree to a depth",
        params: IdParam("usr"),
        querystring: Type.Object({ depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3, description: "levels of the subtree to return" })) }),
      },
    },
    async (request) => inviteTree(deps.db, (request.params as { id: string }).id, (request.query as { depth?: number }).depth ?? 3),
  );
}
