import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import { audit } from "../../platform/audit.js";
import type { Actor } from "../../platform/auth/principal.js";
import { notFound, unprocessable } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { pageOf } from "../../platform/http/schemas.js";
import { getTemplate } from "../coupons/coupon-templates.service.js";
import { ROLL_RANGE, newServerSeed, seedHash } from "./draw-random.js";
import type { LotteryTables, PrizeKind } from "./lottery.tables.js";

export type ActivityRow = Selectable<LotteryTables["lottery_activities"]>;
export type PrizeRow = Selectable<LotteryTables["lottery_prizes"]>;
type QuestionRow = Selectable<LotteryTables["lottery_questions"]>;

export interface PrizeInput {
  kind: PrizeKind;
  name: string;
  probabilityBp: number;
  /** Points for `points`, fen for `cash`; none for the others. */
  amount?: number;
  couponTemplateId?: string;
  /** Units this prize may be won; unlimited when left out (never for goods or coupons). */
  stock?: number;
}

export interface QuestionInput {
  prompt: string;
  options: string[];
  answer: number;
}

export interface ActivityInput {
  title: string;
  kind: "wheel" | "grid";
  startsAt: Date;
  endsAt: Date;
  dailyFreeChances: number;
  shareChancesPerDay: number;
  cashBudget?: number;
  prizes: PrizeInput[];
  questions?: QuestionInput[];
}

const refuse = (field: string, message: string) => unprocessable("lottery_config_invalid", `${field}: ${message}`, [{ field, message }]);

/** What a wheel or grid can hold, and the rules that make its prizes payable. */
async function checkConfig(deps: Deps, actor: Actor, input: ActivityInput): Promise<void> {
  if (input.endsAt <= input.startsAt) throw refuse("endsAt", "must be after startsAt");
  const total = input.prizes.reduce((s, p) => s + p.probabilityBp, 0);
  if (total !== ROLL_RANGE) throw refuse("prizes", `probabilities must sum to ${ROLL_RANGE} basis points (100%), got ${total}`);
  if (input.prizes.filter((p) => p.kind === "thanks").length !== 1) throw refuse("prizes", "exactly one 谢谢参与 (thanks) prize takes the draws whose prize has run out");
  for (const [i, p] of input.prizes.entries()) {
    const field = `prizes.${i}`;
    const needsAmount = p.kind === "points" || p.kind === "cash";
    if (needsAmount && !p.amount) throw refuse(`${field}.amount`, `a ${p.kind} prize needs an amount`);
    if (!needsAmount && p.amount !== undefined) throw refuse(`${field}.amount`, `a ${p.kind} prize has no amount`);
    if (p.kind === "thanks" && p.stock !== undefined) throw refuse(`${field}.stock`, "the thanks prize never runs out");
    if ((p.kind === "goods" || p.kind === "coupon") && p.stock === undefined) throw refuse(`${field}.stock`, `a ${p.kind} prize needs a stock`);
    if (p.kind === "coupon") {
      if (!p.couponTemplateId) throw refuse(`${field}.couponTemplateId`, "a coupon prize names its coupon template");
      await getTemplate(deps, actor, p.couponTemplateId).catch(() => {
        throw refuse(`${field}.couponTemplateId`, `no such coupon template ${p.couponTemplateId}`);
      });
    } else if (p.couponTemplateId !== undefined) throw refuse(`${field}.couponTemplateId`, "only coupon prizes name a template");
  }
  if (input.prizes.some((p) => p.kind === "cash") && !input.cashBudget) throw refuse("cashBudget", "cash prizes need a budget in fen");
  for (const [i, q] of (input.questions ?? []).entries()) {
    if (q.answer >= q.options.length) throw refuse(`questions.${i}.answer`, `the index of one of the ${q.options.length} options`);
  }
}

export interface PrizeView {
  id: string;
  position: number;
  kind: PrizeKind;
  name: string;
  probabilityBp: number;
  amount: number | null;
  couponTemplateId: string | null;
  stock: number | null;
  won: number;
}

const toPrize = (p: PrizeRow): PrizeView => ({
  id: p.id,
  position: p.position,
  kind: p.kind,
  name: p.name,
  probabilityBp: p.probability_bp,
  amount: p.amount,
  couponTemplateId: p.coupon_template_id,
  stock: p.stock,
  won: p.won,
});

/** Creates a lucky-draw activity with its prizes and quiz (audited); its server seed is drawn now and sealed. */
export async function createActivity(deps: Deps, actor: Actor, input: ActivityInput) {
  await checkConfig(deps, actor, input);
  const now = deps.clock.now();
  const seed = newServerSeed();
  const activity: ActivityRow = {
    id: newId("lot"),
    title: input.title,
    kind: input.kind,
    status: "active",
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    daily_free_chances: input.dailyFreeChances,
    share_chances_per_day: input.shareChancesPerDay,
    cash_budget: input.cashBudget ?? 0,
    cash_spent: 0,
    server_seed_sealed: deps.cipher.encrypt(seed),
    seed_hash: seedHash(seed),
    draws: 0,
    created_at: now,
    updated_at: now,
  };
  const prizes: PrizeRow[] = input.prizes.map((p, i) => ({
    id: newId("lpz"),
    activity_id: activity.id,
    position: i,
    kind: p.kind,
    name: p.name,
    probability_bp: p.probabilityBp,
    amount: p.amount ?? null,
    coupon_template_id: p.couponTemplateId ?? null,
    stock: p.stock ?? null,
    won: 0,
  }));
  const questions: QuestionRow[] = (input.questions ?? []).map((q, i) => ({ id: newId("lqq"), activity_id: activity.id, position: i, prompt: q.prompt, options: q.options, answer: q.answer }));
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto("lottery_activities").values(activity).execute();
    await trx.insertInto("lottery_prizes").values(prizes).execute();
    if (questions.length > 0) await trx.insertInto("lottery_questions").values(questions.map((q) => ({ ...q, options: JSON.stringify(q.options) }))).execute();
    const { server_seed_sealed: _sealed, ...shown } = activity;
    await audit(trx, actor, { action: "lottery_activity.create", entity: "lottery_activity", entityId: activity.id, after: { ...shown, prizes, questions } }, now);
  });
  return adminView(deps, activity.id);
}

export async function activityRow(deps: Deps, id: string): Promise<ActivityRow> {
  const row = await deps.db.selectFrom("lottery_activities").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("lottery activity");
  return row;
}

export const prizesOf = (deps: Deps, activityId: string) => deps.db.selectFrom("lottery_prizes").selectAll().where("activity_id", "=", activityId).orderBy("position").execute();

/** The operator's view: prizes with stock and wins, cash spent against the budget, the seed's hash. */
export async function adminView(deps: Deps, id: string) {
  const a = await activityRow(deps, id);
  const questions = await deps.db.selectFrom("lottery_questions").selectAll().where("activity_id", "=", id).orderBy("position").execute();
  return {
    id: a.id,
    title: a.title,
    kind: a.kind,
    status: a.status,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    dailyFreeChances: a.daily_free_chances,
    shareChancesPerDay: a.share_chances_per_day,
    cashBudget: a.cash_budget,
    cashSpent: a.cash_spent,
    seedHash: a.seed_hash,
    draws: a.draws,
    prizes: (await prizesOf(deps, id)).map(toPrize),
    questions: questions.map((q) => ({ id: q.id, prompt: q.prompt, options: q.options, answer: q.answer })),
  };
}

/** The public page: prizes and their odds, whether each is still in stock, the quiz without answers. */
export async function publicView(deps: Deps, id: string) {
  const a = await activityRow(deps, id);
  const questions = await deps.db.selectFrom("lottery_questions").select(["id", "prompt", "options"]).where("activity_id", "=", id).orderBy("position").execute();
  const now = deps.clock.now();
  return {
    id: a.id,
    title: a.title,
    kind: a.kind,
    open: a.status === "active" && a.starts_at <= now && a.ends_at > now,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    serverTime: now,
    dailyFreeChances: a.daily_free_chances,
    shareChancesPerDay: a.share_chances_per_day,
    seedHash: a.seed_hash,
    prizes: (await prizesOf(deps, id)).map((p) => ({ id: p.id, position: p.position, kind: p.kind, name: p.name, probabilityBp: p.probability_bp, amount: p.amount, inStock: p.stock === null || p.won < p.stock })),
    questions: questions.map((q) => ({ id: q.id, prompt: q.prompt, options: q.options })),
  };
}

/** Pauses or resumes an activity (audited). */
export async function setStatus(deps: Deps, actor: Actor, id: string, status: "active" | "paused") {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("lottery_activities").select("status").where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) throw notFound("lottery activity");
    await trx.updateTable("lottery_activities").set({ status, updated_at: now }).where("id", "=", id).execute();
    await audit(trx, actor, { action: "lottery_activity.status", entity: "lottery_activity", entityId: id, before, after: { status } }, now);
  });
  return adminView(deps, id);
}

export async function listActivities(deps: Deps, q: { limit: number; after?: string }) {
  let query = deps.db.selectFrom("lottery_activities").select(["id", "title", "kind", "status", "starts_at", "ends_at", "draws", "cash_budget", "cash_spent"]).orderBy("id", "desc").limit(q.limit + 1);
  if (q.after) query = query.where("id", "<", q.after);
  const page = pageOf(await query.execute(), q.limit);
  return {
    items: page.items.map((a) => ({ id: a.id, title: a.title, kind: a.kind, status: a.status, startsAt: a.starts_at, endsAt: a.ends_at, draws: a.draws, cashBudget: a.cash_budget, cashSpent: a.cash_spent })),
    nextCursor: page.nextCursor,
  };
}

/** Lucky draws a shopper can play now (active, within their window), ending soonest first. */
export async function listOpenActivities(deps: Deps) {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom("lottery_activities")
    .select(["id", "title", "kind", "starts_at", "ends_at"])
    .where("status", "=", "active")
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .orderBy("ends_at")
    .orderBy("id")
    .limit(50)
    .execute();
  return rows.map((a) => ({ id: a.id, title: a.title, kind: a.kind, startsAt: a.starts_at, endsAt: a.ends_at }));
}
