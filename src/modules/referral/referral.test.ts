import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInStaff, bearer, type TestContext } from "../../testing/harness.js";
import { bindRegistration, inviterOf, uplineOf } from "./referral.service.js";
import { register } from "./testing/register.js";

let ctx: TestContext;
let adminH: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  adminH = bearer((await signInStaff(ctx, "operator", { permissions: ["users"] })).token);
});
afterAll(async () => ctx?.close());

const get = async (url: string, headers: Record<string, string>) => {
  const res = await ctx.app.inject({ method: "GET", url, headers });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
};
const boundEvents = async () =>
  (await ctx.deps.db.selectFrom("outbox_events").select(["payload"]).where("type", "=", "referral.bound").orderBy("id").execute()).map((e) => e.payload);

describe("invite codes and binding", () => {
  let alice: Awaited<ReturnType<typeof register>>;
  let code: string;

  it("gives every consumer one invite code and link", async () => {
    alice = await register(ctx, { displayName: "Alice" });
    const invite = await get("/me/invite", alice.headers);
    code = invite.code;
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(invite).toEqual({ code, link: `${ctx.deps.config.publicUrl}/i/${code}`, inviter: null, depth: 0, invitees: 0, descendants: 0, linkVisits: 0 });
    expect((await get("/me/invite", alice.headers)).code).toBe(code);
  });

  it("binds a new user to the owner of the code they registered with, once, and publishes referral.bound", async () => {
    const bob = await register(ctx, { inviteCode: code.toLowerCase(), displayName: "Bob" });
    expect(await inviterOf(ctx.deps.db, bob.userId)).toBe(alice.userId);
    const mine = await get("/me/invite", bob.headers);
    expect([mine.inviter, mine.depth]).toEqual([{ userId: alice.userId, displayName: "Alice" }, 1]);
    expect(await boundEvents()).toEqual([{ inviterId: alice.userId, inviteeId: bob.userId, via: "invite_code" }]);

    const carol = await register(ctx);
    const carolCode = (await get("/me/invite", carol.headers)).code;
    expect(await ctx.deps.db.transaction().execute((trx) => bindRegistration(trx, { userId: bob.userId, inviteCode: carolCode }, ctx.clock.now()))).toBe(false);
    expect(await inviterOf(ctx.deps.db, bob.userId)).toBe(alice.userId);
    expect(await boundEvents()).toHaveLength(1);
  });

  it("ignores a self-invite and an unknown code", async () => {
    expect(await ctx.deps.db.transaction().execute((trx) => bindRegistration(trx, { userId: alice.userId, inviteCode: code }, ctx.clock.now()))).toBe(false);
    expect(await inviterOf(ctx.deps.db, alice.userId)).toBe(null);
    const dave = await register(ctx, { inviteCode: "ZZZZ9999" });
    expect(await inviterOf(ctx.deps.db, dave.userId)).toBe(null);
    expect((await get("/me/invite", dave.headers)).inviter).toBe(null);
  });

  it("records invite-link clicks, redirects with the code, and binds the device that registers without it", async () => {
    const open = await ctx.app.inject({ method: "GET", url: `/i/${code}`, headers: { "x-device-id": "phone-of-erin-1" } });
    expect([open.statusCode, open.headers.location]).toEqual([302, `/?inviteCode=${code}`]);
    const unknown = await ctx.app.inject({ method: "GET", url: "/i/NOPE1234" });
    expect([unknown.statusCode, unknown.headers.location]).toEqual([302, "/"]);
    expect(String(unknown.headers["set-cookie"])).toMatch(/^lb_vid=vid_[\w-]+; Path=\/; Max-Age=31536000; SameSite=Lax$/);

    const erin = await register(ctx, { deviceId: "phone-of-erin-1" });
    expect(await inviterOf(ctx.deps.db, erin.userId)).toBe(alice.userId);
    expect(await get("/me/invite", alice.headers)).toMatchObject({ invitees: 2, descendants: 2, linkVisits: 1 });
  });

  it("pages my direct invitees, newest first", async () => {
    const first = await get("/me/invitees?limit=1", alice.headers);
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ via: "invite_code", invitees: 0 });
    const second = await get(`/me/invitees?limit=1&after=${first.nextCursor}`, alice.headers);
    expect(second.items[0].displayName).toBe("Bob");
    expect(second.nextCursor).toBe(null);
  });
});

describe("the invite tree", () => {
  it("answers invitees to a depth, descendants per level and the path to the root on a 4-level chain", async () => {
    const root = await register(ctx, { displayName: "R" });
    const rootCode = (await get("/me/invite", root.headers)).code;
    const l1 = await register(ctx, { inviteCode: rootCode, displayName: "L1" });
    const l1b = await register(ctx, { inviteCode: rootCode, displayName: "L1b" });
    const l2 = await register(ctx, { inviteCode: (await get("/me/invite", l1.headers)).code, displayName: "L2" });
    const l3 = await register(ctx, { inviteCode: (await get("/me/invite", l2.headers)).code, displayName: "L3" });

    const top = await get(`/admin/users/${root.userId}/invite-tree?depth=2`, adminH);
    expect({ ...top, tree: undefined }).toEqual({
      userId: root.userId,
      displayName: "R",
      code: rootCode,
      depth: 0,
      pathToRoot: [],
      invitees: 2,
      descendants: 4,
      byLevel: [{ level: 1, count: 2 }, { level: 2, count: 1 }, { level: 3, count: 1 }],
      tree: undefined,
      truncated: false,
    });
    const names = (nodes: { displayName: string; invitees: unknown[] }[]): unknown => nodes.map((n) => [n.displayName, names(n.invitees as never)]);
    expect(names(top.tree)).toEqual([["L1", [["L2", []]]], ["L1b", []]]);

    const leaf = await get(`/admin/users/${l3.userId}/invite-tree`, adminH);
    expect([leaf.depth, leaf.descendants, leaf.tree, leaf.pathToRoot.map((p: { displayName: string }) => p.displayName)]).toEqual([3, 0, [], ["L2", "L1", "R"]]);
    const middle = await get(`/admin/users/${l1.userId}/invite-tree?depth=1`, adminH);
    expect([middle.depth, middle.descendants, names(middle.tree), middle.byLevel]).toEqual([1, 2, [["L2", []]], [{ level: 1, count: 1 }, { level: 2, count: 1 }]]);

    expect(await uplineOf(ctx.deps.db, l3.userId, 2)).toEqual([l2.userId, l1.userId]);
    expect(await uplineOf(ctx.deps.db, l3.userId, 5)).toEqual([l2.userId, l1.userId, root.userId]);
    expect(await uplineOf(ctx.deps.db, l1b.userId, 2)).toEqual([root.userId]);
    const missing = await ctx.app.inject({ method: "GET", url: `/admin/users/usr_${"0".repeat(26)}/invite-tree`, headers: adminH });
    expect(missing.statusCode).toBe(404);
  });
});
