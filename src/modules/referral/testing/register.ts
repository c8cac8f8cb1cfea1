import { bearer, testPhone, type TestContext } from "../../../testing/harness.js";

let seq = 0;

/**
 * Registers a new consumer through the real phone-code sign-in, as a client that came through a link
 * would: with the invite code or share token it carried and the device id it has. Delivers the events
 * the registration published before returning.
 */
export async function register(ctx: TestContext, from: { inviteCode?: string; shareToken?: string; deviceId?: string; displayName?: string } = {}) {
  seq += 1;
  const phone = testPhone();
  const remoteAddress = `10.77.${seq % 250}.${(seq * 13) % 250}`;
  const sent = await ctx.app.inject({ method: "POST", url: "/auth/sms-codes", payload: { phone }, remoteAddress });
  if (sent.statusCode !== 200) throw new Error(`sms code: ${sent.statusCode} ${sent.body}`);
  const { deviceId, ...body } = from;
  const res = await ctx.app.inject({
    method: "POST",
    url: "/auth/consumer/login",
    headers: deviceId ? { "x-device-id": deviceId } : {},
    payload: { phone, code: ctx.sms.lastCode(phone)!, ...body },
    remoteAddress,
  });
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
  await ctx.deps.events.drain();
  const { token, user } = res.json();
  return { userId: user.id as string, token: token as string, headers: bearer(token), phone };
}
