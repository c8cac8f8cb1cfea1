import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, operator, PUBLIC } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { FenAmount, IdOf, IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { type ActivityInput, createActivity, endActivity, getActivity, listActiveActivities, listActivities } from "./activities.service.js";
import { autoJoin, joinTeam, openTeam, type SeatRequest } from "./seats.service.js";
import { MEMBER_STATES, MEMBER_TRANSITIONS, TEAM_STATES, TEAM_TRANSITIONS, type TeamState } from "./team-machine.js";
import { getTeam, listTeamsForOperator, myTeams, openTeams } from "./teams.views.js";

const SeatBody = Type.Object(
  { skuId: IdOf("sku"), qty: Type.Integer({ minimum: 1, maximum: 99 }), addressId: IdOf("adr") },
  { additionalProperties: false },
);

const ActivityBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    teamSize: Type.Integer({ minimum: 2, maximum: 10, description: "N: members (leader included) a team needs to succeed" }),
    fillMinutes: Type.Integer({ minimum: 10, maximum: 7 * 24 * 60, description: "time a team has to fill, from opening (24 h = 1440)" }),
    paymentMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 15, description: "time a member has to pay before the seat is freed" })),
    perUserLimit: Type.Integer({ minimum: 1, maximum: 99, description: "units one buyer may hold in this activity, over all teams" }),
    startsAt: Timestamp,
    endsAt: Timestamp,
    platformFillsLastSeat: Type.Boolean({ description: "the platform fills the last seat at the deadline; the activity and team pages say so" }),
    skus: Type.Array(
      Type.Object(
        { skuId: IdOf("sku"), groupPrice: FenAmount, leaderPrice: { ...FenAmount, description: "团长价: what the leader pays (≤ group price)" }, stock: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

const seatOf = (request: FastifyRequest): SeatRequest => ({ ...(request.body as Omit<SeatRequest, "userId">), userId: request.principal!.userId });
const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export function groupbuyRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["groupbuy"];

  app.get("/groupbuy/state-machine", { config: { access: PUBLIC }, schema: { tags, summary: "The team and seat state machines: states and transitions" } }, async () => ({
    team: { states: TEAM_STATES, transitions: TEAM_TRANSITIONS },
    member: { states: MEMBER_STATES, transitions: MEMBER_TRANSITIONS },
  }));

  app.get("/groupbuy/activities", { config: { access: PUBLIC }, schema: { tags, summary: "Group-buy activities open now (prices, stock left, whether the platform fills the last seat)" } }, async () => ({
    items: await listActiveActivities(deps),
    serverTime: deps.clock.now(),
  }));

  app.get("/groupbuy/activities/:id", { config: { access: PUBLIC }, schema: { tags, summary: "One activity with its open teams, nearest to full first", params: IdParam("gba") } }, async (request) => ({
    ...(await getActivity(deps, idOf(request))),
    openTeams: await openTeams(deps, idOf(request)),
  }));

  app.post(
    "/groupbuy/activities/:id/teams",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Open a team (开团): places the leader's order at the leader price; the team opens when it is paid", params: IdParam("gba"), body: SeatBody } },
    async (request, reply) => {
      const placed = await openTeam(deps, { ...seatOf(request), activityId: idOf(request) });
      return reply.status(201).send({ teamId: placed.teamId, orderId: placed.orderId, payable: placed.payable });
    },
  );

  app.post(
    "/groupbuy/activities/:id/auto-join",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Join any open team of the activity, nearest to full first (409 no_open_team if none has a seat)", params: IdParam("gba"), body: SeatBody } },
    async (request, reply) => {
      const placed = await autoJoin(deps, { ...seatOf(request), activityId: idOf(request) });
      return reply.status(201).send({ teamId: placed.teamId, orderId: placed.orderId, payable: placed.payable });
    },
  );

  app.post(
    "/groupbuy/teams/:id/join",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Join a team (参团): places my order at the group price; 409 team_full when every seat is taken", params: IdParam("gbt"), body: SeatBody } },
    async (request, reply) => {
      const placed = await joinTeam(deps, { ...seatOf(request), teamId: idOf(request) });
      return reply.status(201).send({ teamId: placed.teamId, orderId: placed.orderId, payable: placed.payable });
    },
  );

  app.get("/groupbuy/teams/:id", { config: { access: PUBLIC }, schema: { tags, summary: "A team's page: members (masked), seats left, countdown from server time, state", params: IdParam("gbt") } }, async (request) =>
    getTeam(deps, idOf(request)),
  );

  app.get("/me/groupbuy/teams", { config: { access: CONSUMER }, schema: { tags, summary: "My group-buy seats with their teams and orders, newest first", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return myTeams(deps, request.principal!.userId, { limit: q.limit ?? 20, after: q.after });
  });

  app.post(
    "/admin/groupbuy/activities",
    { config: { access: operator("catalog") }, schema: { tags, summary: "Create a group-buy activity (audited)", body: ActivityBody } },
    async (request, reply) => {
      const body = request.body as Omit<ActivityInput, "startsAt" | "endsAt" | "paymentMinutes"> & { startsAt: string; endsAt: string; paymentMinutes?: number };
      const created = await createActivity(deps, actorOf(request.principal, request.id), { ...body, paymentMinutes: body.paymentMinutes ?? 15, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) });
      return reply.status(201).send(created);
    },
  );

  app.get("/admin/groupbuy/activities", { config: { access: operator("catalog") }, schema: { tags, summary: "Every group-buy activity, newest first, with how many of its teams are in each state", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return listActivities(deps, { limit: q.limit ?? 20, after: q.after });
  });

  app.post(
    "/admin/groupbuy/activities/:id/end",
    { config: { access: operator("catalog") }, schema: { tags, summary: "End an activity early (audited): no new teams; open teams run to their deadline", params: IdParam("gba") } },
    async (request) => endActivity(deps, actorOf(request.principal, request.id), idOf(request)),
  );

  app.get(
    "/admin/groupbuy/teams",
    {
      config: { access: operator("catalog") },
      schema: {
        tags,
        summary: "Monitor teams by activity and state, with every seat and order",
        querystring: Type.Intersect([PageQuery, Type.Object({ activityId: Type.Optional(IdOf("gba")), state: Type.Optional(Type.Union(Object.keys(TEAM_STATES).map((s) => Type.Literal(s)))) })]),
      },
    },
    async (request) => {
      const q = request.query as { activityId?: string; state?: TeamState; limit?: number; after?: string };
      return listTeamsForOperator(deps, { ...q, limit: q.limit ?? 20 });
    },
  );
}
