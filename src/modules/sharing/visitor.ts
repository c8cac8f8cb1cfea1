import crypto from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** The cookie that identifies a browser that sends no X-Device-Id (H5 pages opened from a share). */
export const VISITOR_COOKIE = "lb_vid";
const DEVICE_ID = /^[A-Za-z0-9_.:-]{6,128}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** The caller's device: the X-Device-Id header (apps, mini programs), else the lb_vid cookie. */
export function deviceIdOf(request: FastifyRequest): string | null {
  const header = request.headers["x-device-id"];
  const given = typeof header === "string" ? header : cookie(request, VISITOR_COOKIE);
  return given && DEVICE_ID.test(given) ? given : null;
}

/**
 * The caller's device, issuing a lb_vid cookie to a browser that has none. The cookie is readable by
 * the page on purpose: the store sends it as X-Device-Id when the visitor signs in.
 */
export function ensureDeviceId(request: FastifyRequest, reply: FastifyReply): string {
  const known = deviceIdOf(request);
  if (known) return known;
  const id = `vid_${crypto.randomBytes(12).toString("base64url")}`;
  void reply.header("set-cookie", `${VISITOR_COOKIE}=${id}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`);
  return id;
}
