import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, PUBLIC, operator } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { IdParam, PageQuery, Timestamp } from "../../platform/http/schemas.js";
import { balances, userAccount } from "./ledger.js";
import { ALL_CAMPAIGNS, type Board, topOf } from "./leaderboards.js";
import { type Level, levelOf, listLevels, updateLevel } from "./levels.js";
import { POINTS_PER_YUAN, MAX_POINTS_SHARE_BPS, pointsHistory } from "./points.js";
import { REWARD_STATES, REWARD_TRANSITIONS, type RewardStatus } from "./reward-machine.js";
import { REWARD_KINDS, type RewardKind, type RuleInput, type RulePatch, TRIGGERS, campaignCaps, createRule, getRule, listRules, ruleStats, setCampaignCaps, updateRule } from "./reward-rules.js";
import { claimReward, myRewards } from "./rewards.service.js";

const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Units = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const CampaignId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$", description: "the campaign id shares carry" });
const Triggers = Literals(Object.keys(TRIGGERS) as (keyof typeof TRIGGERS)[]);

const RuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    campaignId: Type.Optional(CampaignId),
    trigger: Triggers,
    beneficiary: Literals(["inviter", "invitee", "sharer", "buyer"] as const),
    rewardKind: Literals(REWARD_KINDS),
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: "fixed reward: points, fen (cash) or growth value" })),
    rateBps: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: "instead of amount: basis points of the order's payable (order triggers)" })),
    couponTemplateId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    budget: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: "total the rule may pay, in the reward's unit (coupons: how many)" }),
    capPerUser: Type.Optional(Units),
    capPerUserPerDay: Type.Optional(Units),
    capPerDay: Type.Optional(Units),
    claimDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: "days to claim once available, then it expires back to the budget" })),
    autoClaim: Type.Optional(Type.Boolean({ description: "claim for the user as soon as it is available" })),
    startsAt: Type.Optional(Timestamp),
    endsAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

const RulePatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Literals(["active", "paused"] as const)),
    budget: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 })),
    capPerUser: Type.Optional(Nullable(Units)),
    capPerUserPerDay: Type.Optional(Nullable(Units)),
    capPerDay: Type.Optional(Nullable(Units)),
    claimDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 365 }))),
    autoClaim: Type.Optional(Type.Boolean()),
    endsAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  },
  { additionalProperties: false },
);

export function rewardRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["rewards"];
  const ops = operator("users");
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);
  const me = (request: FastifyRequest) => request.principal!.userId;

  app.get("/rewards/state-machine", { config: { access: PUBLIC }, schema: { tags, summary: "The reward lifecycle: states and allowed transitions" } }, async () => ({
    states: REWARD_STATES,
    transitions: REWARD_TRANSITIONS,
  }));

  app.post(
    "/admin/reward-rules",
    { config: { access: ops, idempotent: true }, schema: { tags, summary: "Create a reward rule for a fission path (audited); its budget is set aside at once", body: RuleBody } },
    async (request, reply) => reply.status(201).send(await createRule(deps, request.body as RuleInput, actor(request))),
  );

  app.get(
    "/admin/reward-rules",
    {
      config: { access: ops },
      schema: {
        tags,
        summary: "Reward rules",
        querystring: Type.Intersect([PageQuery, Type.Object({ trigger: Type.Optional(Triggers), status: Type.Optional(Literals(["active", "paused"] as const)), campaignId: Type.Optional(CampaignId) })]),
      },
    },
    async (request) => {
      const q = request.query as Parameters<typeof listRules>[1];
      return listRules(deps.db, { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get("/admin/reward-rules/:id", { config: { access: ops }, schema: { tags, summary: "One reward rule", params: IdParam("rwr") } }, async (request) => getRule(deps.db, id(request)));

  app.patch(
    "/admin/reward-rules/:id",
    { config: { access: ops }, schema: { tags, summary: "Change a rule: pause/resume, budget (not below what is committed), caps, claim deadline, end (audited)", params: IdParam("rwr"), body: RulePatchBody } },
    async (request) => updateRule(deps, id(request), request.body as RulePatch, actor(request)),
  );

  app.get(
    "/admin/reward-rules/:id/stats",
    { config: { access: ops }, schema: { tags, summary: "A rule's issued/claimed/expired/cancelled counts and cost against its budget, as of now", params: IdParam("rwr") } },
    async (request) => ruleStats(deps.db, id(request)),
  );

  app.get(
    "/admin/reward-campaigns/:campaignId/caps",
    { config: { access: ops }, schema: { tags, summary: "A campaign's caps across its rules, and how much of each is used", params: Type.Object({ campaignId: CampaignId }) } },
    async (request) => campaignCaps(deps.db, (request.params as { campaignId: string }).campaignId),
  );

  app.put(
    "/admin/reward-campaigns/:campaignId/caps",
    {
      config: { access: ops },
      schema: {
        tags,
        summary: "Set a campaign's caps per reward unit across all its rules (null removes one; audited)",
        params: Type.Object({ campaignId: CampaignId }),
        body: Type.Object(Object.fromEntries(REWARD_KINDS.map((k) => [k, Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }), Type.Null()]))])), { additionalProperties: false }),
      },
    },
    async (request) => setCampaignCaps(deps, (request.params as { campaignId: string }).campaignId, request.body as Partial<Record<RewardKind, number | null>>, actor(request)),
  );

  app.get(
    "/me/rewards",
    {
      config: { access: CONSUMER },
      schema: { tags, summary: "My rewards, newest first, with totals pending / available / claimed per kind", querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Literals(Object.keys(REWARD_STATES) as RewardStatus[])) })]) },
    },
    async (request) => {
      const q = request.query as { status?: RewardStatus; limit?: number; after?: string };
      return myRewards(deps.db, me(request), { ...q, limit: q.limit ?? 20 });
    },
  );

  app.post(
    "/me/rewards/:id/claim",
    { config: { access: CONSUMER, idempotent: true }, schema: { tags, summary: "Claim an available reward into my balance (claiming again returns it unchanged)", params: IdParam("rwd") } },
    async (request) => claimReward(deps, me(request), id(request)),
  );

  const buckets = async (userId: string, currency: "points" | "cash" | "growth") => {
    const accounts = (["available", "claimable", "pending"] as const).map((b) => userAccount(userId, b));
    const b = await balances(deps.db, accounts, currency);
    return { available: b.get(accounts[0])!, claimable: b.get(accounts[1])!, pending: b.get(accounts[2])! };
  };

  app.get("/me/points", { config: { access: CONSUMER }, schema: { tags, summary: "My points: spendable, waiting to be claimed, and pending" } }, async (request) => ({
    ...(await buckets(me(request), "points")),
    pointsPerYuan: POINTS_PER_YUAN,
    maxShareOfOrderBps: MAX_POINTS_SHARE_BPS,
  }));

  app.get("/me/points/history", { config: { access: CONSUMER }, schema: { tags, summary: "My points history: every movement of my spendable points, newest first", querystring: PageQuery } }, async (request) => {
    const q = request.query as { limit?: number; after?: string };
    return pointsHistory(deps.db, me(request), { limit: q.limit ?? 20, after: q.after });
  });

  app.get("/me/wallet", { config: { access: CONSUMER }, schema: { tags, summary: "My cash red envelopes in fen: available, waiting to be claimed, and pending" } }, async (request) => buckets(me(request), "cash"));

  app.get("/me/level", { config: { access: CONSUMER }, schema: { tags, summary: "My member level, growth value and the next level" } }, async (request) => levelOf(deps.db, me(request)));

  app.get("/member-levels", { config: { access: PUBLIC }, schema: { tags, summary: "Member levels: growth thresholds and benefits" } }, async () => listLevels(deps.db));

  app.patch(
    "/admin/member-levels/:code",
    {
      config: { access: ops },
      schema: {
        tags,
        summary: "Change a member level's name, threshold or benefits (audited)",
        params: Type.Object({ code: Type.String({ pattern: "^[a-z_]{1,32}$" }) }),
        body: Type.Object(
          { name: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })), threshold: Type.Optional(Type.Integer({ minimum: 0 })), memberPrice: Type.Optional(Type.Boolean()), freeShipping: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => updateLevel(deps, (request.params as { code: string }).code, request.body as Partial<Omit<Level, "code">>, actor(request)),
  );

  app.get(
    "/leaderboards/:campaignId/:board",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: `Top inviters (bound invitees) or top sharers (attributed GMV in fen) of a campaign, live; "${ALL_CAMPAIGNS}" for every campaign`,
        params: Type.Object({ campaignId: CampaignId, board: Literals(["inviters", "sharers"] as const) }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }),
      },
    },
    async (request) => {
      const p = request.params as { campaignId: string; board: Board };
      return topOf(deps.db, p.campaignId, p.board, (request.query as { limit?: number }).limit ?? 20);
    },
  );
}
