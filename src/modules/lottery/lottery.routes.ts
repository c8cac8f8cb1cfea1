import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, PUBLIC, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { type ActivityInput, adminView, createActivity, listActivities, listOpenActivities, publicView, setStatus } from "./activities.service.js";
import { answerQuestion, chancesToday, earnByShare } from "./chances.service.js";
import { activityDraws, draw, markFulfilled, myDraws, verifyDraw } from "./draws.service.js";
import type { Fulfilment } from "./lottery.tables.js";

const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const PrizeBody = Type.Object(
  {
    kind: literals(["coupon", "points", "cash", "goods", "thanks"] as const),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    probabilityBp: Type.Integer({ minimum: 0, maximum: 10000, description: "basis points of the draws that land on this prize (all prizes sum to 10 000)" }),
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: "points for a points prize, fen for a cash red envelope" })),
    couponTemplateId: Type.Optional(IdOf("cpt")),
    stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: "units that may be won; unlimited when left out" })),
  },
  { additionalProperties: false },
);

const ActivityBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 60 }),
    kind: literals(["wheel", "grid"] as const),
    startsAt: Timestamp,
    endsAt: Timestamp,
    dailyFreeChances: Type.Integer({ minimum: 0, maximum: 100, description: "free draws per consumer per Asia/Shanghai day" }),
    shareChancesPerDay: Type.Integer({ minimum: 0, maximum: 100, description: "extra draws sharing may earn per day" }),
    cashBudget: Type.Optional({ ...FenAmount, description: "fen that cash prizes may pay out in all" }),
    prizes: Type.Array(PrizeBody, { minItems: 2, maxItems: 12 }),
    questions: Type.Optional(
      Type.Array(
        Type.Object(
          { prompt: Type.String({ minLength: 1, maxLength: 200 }), options: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 2, maxItems: 6 }), answer: Type.Integer({ minimum: 0, description: "0-based index of the right option" }) },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);

export function lotteryRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["lottery"];
  const staff = operator("catalog");
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);

  app.post("/admin/lottery-activities", { config: { access: staff }, schema: { tags, summary: "Create a lucky draw with prizes and quiz (audited); 422 lottery_config_invalid names the field", body: ActivityBody } }, async (request, reply) => {
    const body = request.body as Omit<ActivityInput, "startsAt" | "endsAt"> & { startsAt: string; endsAt: string };
    return reply.status(201).send(await createActivity(deps, actor(request), { ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) }));
  });

  app.get("/admin/lottery-activities", { config: { access: staff }, schema: { tags, summary: "Lucky draws, newest first", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return listActivities(deps, { limit: q.limit ?? 20, after: q.after });
  });

  app.get("/admin/lottery-activities/:id", { config: { access: staff }, schema: { tags, summary: "A lucky draw: prizes with stock and wins, cash spent, quiz answers, seed hash", params: IdParam("lot") } }, async (request) => adminView(deps, id(request)));

  app.patch(
    "/admin/lottery-activities/:id",
    { config: { access: staff }, schema: { tags, summary: "Pause or resume a lucky draw (audited)", params: IdParam("lot"), body: Type.Object({ status: literals(["active", "paused"] as const) }, { additionalProperties: false }) } },
    async (request) => setStatus(deps, actor(request), id(request), (request.body as { status: "active" | "paused" }).status),
  );

  app.get(
    "/admin/lottery-activities/:id/draws",
    {
      config: { access: staff },
      schema: { tags, summary: "An activity's draws, newest first; fulfilment=to_fulfil lists prizes still to hand over", params: IdParam("lot"), querystring: Type.Object({ ...PageQuery.properties, fulfilment: Type.Optional(literals(["none", "fulfilled", "to_fulfil"] as const)) }) },
    },
    async (request) => {
      const q = request.query as { limit?: number; after?: string; fulfilment?: Fulfilment };
      return activityDraws(deps, id(request), { ...q, limit: q.limit ?? 20 });
    },
  );

  app.post(
    "/admin/lottery-draws/:id/fulfil",
    { config: { access: staff, idempotent: true }, schema: { tags, summary: "Record that a prize waiting to be fulfilled was handed over (audited)", params: IdParam("ldr"), body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) } },
    async (request) => markFulfilled(deps, actor(request), id(request), (request.body as { note: string }).note),
  );

  app.get("/admin/lottery-draws/:id/verify", { config: { access: operator("audit") }, schema: { tags, summary: "Re-compute a draw from the server seed and its nonce and compare with the record", params: IdParam("ldr") } }, async (request) =>
    verifyDraw(deps, id(request)),
  );

  app.get("/lottery", { config: { access: PUBLIC }, schema: { tags, summary: "Lucky draws open now, ending soonest first" } }, async () => ({
    items: await listOpenActivities(deps),
    serverTime: deps.clock.now(),
  }));

  app.get("/lottery/:id", { config: { access: PUBLIC }, schema: { tags, summary: "A lucky draw's page: prizes and odds, stock left, quiz questions, seed hash, server time", params: IdParam("lot") } }, async (request) => publicView(deps, id(request)));

  app.get("/lottery/:id/me", { config: { access: CONSUMER }, schema: { tags, summary: "My draws left today and my recent draws", params: IdParam("lot") } }, async (request) => ({
    chances: await chancesToday(deps, id(request), request.principal!.userId),
    draws: (await myDraws(deps, id(request), request.principal!.userId, { limit: 20 })).items,
  }));

  app.post(
    "/lottery/:id/draw",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Draw once (uses a free chance, then an earned one); 409 no_chances or lottery_not_open", params: IdParam("lot") } },
    async (request, reply) => reply.status(201).send(await draw(deps, { activityId: id(request), userId: request.principal!.userId })),
  );

  app.post(
    "/lottery/:id/chances/share",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Record a share: one extra chance, up to the activity's cap per day (409 share_cap_reached)", params: IdParam("lot") } },
    async (request) => earnByShare(deps, id(request), request.principal!.userId),
  );

  app.post(
    "/lottery/:id/quiz/:questionId/answer",
    {
      config: { access: CONSUMER, idempotent: true },
      schema: {
        tags,
        summary: "Answer a quiz question (once a day): a right answer earns one chance; 409 already_answered",
        params: Type.Object({ id: IdOf("lot"), questionId: IdOf("lqq") }),
        body: Type.Object({ option: Type.Integer({ minimum: 0, maximum: 5, description: "0-based index of the chosen option" }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const params = request.params as { id: string; questionId: string };
      return answerQuestion(deps, { activityId: params.id, questionId: params.questionId, userId: request.principal!.userId, chosen: (request.body as { option: number }).option });
    },
  );
}
