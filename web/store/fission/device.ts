/**
 * This browser's device id. It is the `lb_vid` cookie the share links set (so a visitor's anonymous
 * visits and their later help or purchase are one device), created here when the visitor came in
 * another way. Bargain help and flash attempts send it as `X-Device-Id`: one help, and a bounded number
 * of attempts, per device.
 */
const COOKIE = "lb_vid";
const FORMAT = /^[A-Za-z0-9_-]{8,64}$/;

export function deviceId(): string {
  const existing = document.cookie
    .split(";")
    .map((c) => c.trim().split("="))
    .find(([k]) => k === COOKIE)?.[1];
  if (existing && FORMAT.test(decodeURIComponent(existing))) return decodeURIComponent(existing);
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = `vid_${btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
  document.cookie = `${COOKIE}=${id}; Path=/; Max-Age=${365 * 24 * 3600}; SameSite=Lax`;
  return id;
}

export const deviceHeaders = () => ({ "x-device-id": deviceId() });
