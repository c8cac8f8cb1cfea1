import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { api } from "./api";

export interface Shopper {
  id: string;
  displayName: string | null;
  phone: string | null;
  roles: string[];
}

interface Session {
  user: Shopper | null;
  loading: boolean;
  /** Asks the server to text a code; in development the server hands the code back to show on the page. */
  sendCode(phone: string): Promise<{ devCode?: string }>;
  /** Signs in (registering on first sign-in), crediting the share link or invite code that brought this visitor. */
  login(phone: string, code: string, displayName?: string): Promise<Shopper>;
  logout(): Promise<void>;
}

const Ctx = createContext<Session | null>(null);
const SHARE_KEY = "liebian.store.share";
const INVITE_KEY = "liebian.store.invite";

/**
 * Remembers where this visitor came from: a shared link lands as `/#/products/…?share=<token>`, an invite
 * link as `/?inviteCode=<code>`. The first such mark is sent along when the visitor signs up.
 */
export function rememberArrival(search: URLSearchParams): void {
  const share = search.get("share");
  if (share && !sessionStorage.getItem(SHARE_KEY)) sessionStorage.setItem(SHARE_KEY, share);
  const invite = search.get("inviteCode");
  if (invite && !sessionStorage.getItem(INVITE_KEY)) sessionStorage.setItem(INVITE_KEY, invite);
}

/** The share token the visitor arrived with, if any (pages pass it on, e.g. when joining a team). */
export const arrivalShareToken = () => sessionStorage.getItem(SHARE_KEY) ?? undefined;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Shopper | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    rememberArrival(new URLSearchParams(location.search));
    if (!api.token()) return setLoading(false);
    api
      .get<Shopper & { kind: string }>("/me")
      .then((me) => (me.kind === "consumer" ? setUser(me) : api.setToken(null)))
      .catch(() => api.setToken(null))
      .finally(() => setLoading(false));
  }, []);
  const sendCode = useCallback((phone: string) => api.post<{ devCode?: string }>("/auth/sms-codes", { phone }), []);
  const login = useCallback(async (phone: string, code: string, displayName?: string) => {
    const res = await api.post<{ token: string; user: Shopper }>("/auth/consumer/login", {
      phone,
      code,
      displayName: displayName || undefined,
      shareToken: arrivalShareToken(),
      inviteCode: sessionStorage.getItem(INVITE_KEY) ?? undefined,
    });
    api.setToken(res.token);
    // Visits this browser made before signing in count for the new account.
    await api.post("/me/devices").catch(() => undefined);
    setUser(res.user);
    return res.user;
  }, []);
  const logout = useCallback(async () => {
    await api.post("/auth/logout").catch(() => undefined);
    api.setToken(null);
    setUser(null);
  }, []);
  return <Ctx.Provider value={{ user, loading, sendCode, login, logout }}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error("useSession outside SessionProvider");
  return v;
}
