import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR } from "../../platform/clock.js";
import { newId } from "../../platform/ids.js";
import { bearer, createTestContext, signInConsumer, signInStaff, type TestContext } from "../../testing/harness.js";
import { CSV_BOM } from "./csv.js";
import { EXPORT_CHUNK } from "./exports.service.js";
import { type AnalyticsEventInput, recordEvents } from "./tracking.service.js";

let ctx: TestContext;
let admin: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
});
afterAll(async () => ctx?.close());

const track = (payload: unknown, headers: Record<string, string> = {}) => ctx.app.inject({ method: "POST", url: "/track", headers, payload: payload as object });
const get = (url: string) => ctx.app.inject({ method: "GET", url, headers: admin });
const logOf = (anonymousId: string) => ctx.deps.db.selectFrom("analytics_events").select(["type", "user_id", "actor_id", "at", "channel"]).where("anonymous_id", "=", anonymousId).orderBy("id").execute();

describe("POST /track", () => {
  it("records a batch in one call, crediting the signed-in consumer", async () => {
    const shopper = await signInConsumer(ctx);
    const res = await track(
      { events: [{ type: "page_view", anonymousId: "browser-one-1" }, { type: "product_view", anonymousId: "browser-one-1", productId: newId("prd"), channel: "wechat_moments" }] },
      bearer(shopper.token),
    );
    expect([res.statusCode, res.json()]).toEqual([202, { accepted: 2 }]);
    expect((await logOf("browser-one-1")).map((e) => [e.type, e.user_id, e.actor_id, e.channel])).toEqual([
      ["page_view", shopper.userId, shopper.userId, null],
      ["product_view", shopper.userId, shopper.userId, "wechat_moments"],
    ]);
  });

  it("credits an anonymous browser's later events to the user it was linked to", async () => {
    const shopper = await signInConsumer(ctx);
    expect((await track({ events: [{ type: "page_view", anonymousId: "browser-two-1" }] })).statusCode).toBe(202);
    expect((await track({ events: [{ type: "click", anonymousId: "browser-two-1" }] }, bearer(shopper.token))).statusCode).toBe(202);
    // Signed out again (a beacon cannot carry the token): still the same person.
    expect((await track({ events: [{ type: "share", anonymousId: "browser-two-1" }] })).statusCode).toBe(202);
    expect((await logOf("browser-two-1")).map((e) => [e.type, e.actor_id])).toEqual([
      ["page_view", shopper.userId],
      ["click", shopper.userId],
      ["share", shopper.userId],
    ]);
  });

  it("uses the client's time only when it is believable", async () => {
    const now = ctx.clock.now().getTime();
    await track({
      events: [
        { type: "click", anonymousId: "browser-clock", at: new Date(now - HOUR).toISOString() },
        { type: "click", anonymousId: "browser-clock", at: new Date(now - 48 * HOUR).toISOString() },
        { type: "click", anonymousId: "browser-clock", at: new Date(now + HOUR).toISOString() },
      ],
    });
    expect((await logOf("browser-clock")).map((e) => e.at.getTime() - now)).toEqual([-HOUR, 0, 0]);
  });

  it("refuses business events, anonymous events without a browser id and oversized batches, naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ events: [{ type: "payment", anonymousId: "browser-bad-1" }] }, "events.0.type"],
      [{ events: [{ type: "page_view", anonymousId: "browser-bad-1" }, { type: "page_view" }] }, "body.events.1.anonymousId"],
      [{ events: Array.from({ length: 101 }, () => ({ type: "page_view", anonymousId: "browser-bad-1" })) }, "events"],
      [{ events: [] }, "events"],
      [{ events: [{ type: "page_view", anonymousId: "browser-bad-1", userId: newId("usr") }] }, "events.0.userId"],
    ];
    for (const [payload, field] of cases) {
      const res = await track(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await logOf("browser-bad-1")).toEqual([]);
  });
});

describe("recordEvents", () => {
  it("loads history with its facts: registrations with inviters, orders, payments and refunds", async () => {
    const [root, child] = [newId("usr"), newId("usr")];
    const day = (d: number, h = 10) => new Date(Date.UTC(2025, 0, d, h - 8));
    const order = newId("ord");
    const events: AnalyticsEventInput[] = [
      { type: "registration", at: day(6), userId: root },
      { type: "registration", at: day(7, 16), userId: child, inviterId: root, channel: "poster", sharerId: root },
      { type: "order", at: day(8), userId: child, orderId: order, amount: 5000, productIds: [newId("prd")] },
      { type: "payment", at: day(8, 11), userId: child, orderId: order, amount: 5000 },
      { type: "refund", at: day(9), userId: child, orderId: order, amount: 1200 },
    ];
    expect(await recordEvents(ctx.deps.db, events)).toBe(5);
    const k = (await get("/admin/analytics/kfactor?from=2025-01-06&to=2025-01-12")).json();
    expect([k.users, k.invitedRegistrations, k.viralCycleHours]).toEqual([2, 1, 30]);
    const o = (await get("/admin/analytics/overview?grain=week&from=2025-01-06&to=2025-01-12")).json();
    expect(o.totals).toMatchObject({ newUsers: 2, orders: 1, gmv: 3800, aov: 3800, payingUsers: 1 });
    expect(o.newUsersBySource).toEqual([
      { source: "direct", users: 1 },
      { source: "poster", users: 1 },
    ]);
  });

  it("refuses a business event without its user or order", async () => {
    await expect(recordEvents(ctx.deps.db, [{ type: "payment", at: new Date(), userId: newId("usr") }])).rejects.toThrow("needs an orderId");
    await expect(recordEvents(ctx.deps.db, [{ type: "registration", at: new Date(), anonymousId: "browser-x" }])).rejects.toThrow("needs a userId");
  });
});

describe("CSV", () => {
  it("answers every report as CSV with ?format=csv", async () => {
    const res = await get("/admin/analytics/overview?grain=week&from=2025-01-06&to=2025-01-19&format=csv");
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.body).toBe(
      `${CSV_BOM}bucket,pv,uv,newUsers,orders,gmv,payingUsers,conversion\r\n2025-01-06,0,2,2,1,3800,1,0.5\r\n2025-01-13,0,0,0,0,0,0,0\r\n`,
    );
    const cohorts = await get("/admin/analytics/cohorts?from=2025-01-06&to=2025-01-19&format=csv");
    expect(cohorts.body).toBe(`${CSV_BOM}cohort,size,week_0,week_1,rate_0,rate_1,partial\r\n2025-01-06,2,2,0,1,0,false\r\n2025-01-13,0,0,,0,,false\r\n`);
    for (const name of ["funnel", "kfactor", "campaigns", "channels", "leaderboard", "invite-tree"]) {
      const r = await get(`/admin/analytics/${name}?format=csv`);
      expect([name, r.statusCode, r.headers["content-type"]]).toEqual([name, 200, "text/csv; charset=utf-8"]);
    }
  });

  it("refuses a backwards or impossible range, naming the field", async () => {
    expect((await get("/admin/analytics/overview?from=2025-02-01&to=2025-01-01")).json().details).toEqual([{ field: "query.from", message: "must not be after `to`" }]);
    expect((await get("/admin/analytics/overview?from=2025-02-30")).json().details).toEqual([{ field: "query.from", message: "is not a calendar day" }]);
  });
});

describe("exports", () => {
  it("runs a report export as a job and serves the CSV once done", async () => {
    const queued = await ctx.app.inject({ method: "POST", url: "/admin/exports", headers: admin, payload: { report: "kfactor", params: { from: "2025-01-06", to: "2025-01-12" } } });
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({ report: "kfactor", status: "queued", progress: 0, rows: 0 });
    const id = queued.json().id;
    expect((await get(`/admin/exports/${id}/download`)).json().code).toBe("export_not_ready");
    await ctx.deps.jobs.drain();
    expect((await get(`/admin/exports/${id}`)).json()).toMatchObject({ status: "done", progress: 1, rows: 1, error: null });
    const file = await get(`/admin/exports/${id}/download`);
    expect(file.body).toBe(`${CSV_BOM}users,invitationsSent,invitesPerUser,invitedRegistrations,invitationConversion,kFactor,viralCycleHours\r\n2,0,0,1,0,0,30\r\n`);
    expect((await get("/admin/exports?limit=1")).json().items.map((e: { id: string }) => e.id)).toEqual([id]);
  });

  it("exports the raw log a chunk per run, with progress readable in between", async () => {
    const total = EXPORT_CHUNK * 2 + 10;
    const at = new Date("2025-03-03T04:00:00Z");
    await recordEvents(ctx.deps.db, Array.from({ length: total }, (_, i) => ({ type: "page_view", at, anonymousId: `bulk-browser-${i % 50}`, source: i === 0 ? 'a,"quoted"' : null })));
    const queued = await ctx.app.inject({ method: "POST", url: "/admin/exports", headers: admin, payload: { report: "events", params: { from: "2025-03-03", to: "2025-03-03" } } });
    const id = queued.json().id;
    await ctx.deps.jobs.runDue(1);
    expect((await get(`/admin/exports/${id}`)).json()).toMatchObject({ status: "running", rows: EXPORT_CHUNK, progress: EXPORT_CHUNK / total });
    await ctx.deps.jobs.drain();
    expect((await get(`/admin/exports/${id}`)).json()).toMatchObject({ status: "done", rows: total, progress: 1 });
    const lines = (await get(`/admin/exports/${id}/download`)).body.split("\r\n");
    expect(lines.length).toBe(total + 2);
    expect(lines[0]).toBe(`${CSV_BOM}id,type,at,day,actor_id,user_id,anonymous_id,session_id,channel,campaign_id,campaign_type,path,share_token,source,medium,product_id,order_id,promoter_id,amount`);
    expect(lines[1]).toMatch(/^\d+,page_view,2025-03-03T04:00:00.000Z,2025-03-03,anon:bulk-browser-0,,bulk-browser-0,,,,,,,"a,""quoted""",,,,,$/);
  });

  it("refuses unknown reports and bad parameters before queueing anything", async () => {
    const post = (payload: unknown) => ctx.app.inject({ method: "POST", url: "/admin/exports", headers: admin, payload: payload as object });
    expect((await post({ report: "everything" })).statusCode).toBe(400);
    expect((await post({ report: "funnel", params: { windowHours: "soon" } })).json().details[0].field).toBe("params.windowHours");
    expect((await post({ report: "funnel", params: { steps: "product_view,teleport" } })).json().details[0].field).toBe("params.steps");
    expect((await post({ report: "overview", params: { colour: "red" } })).json().details[0].field).toBe("params.colour");
  });
});
