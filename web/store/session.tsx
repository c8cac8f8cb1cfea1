import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { ApiError } from "../shared/api";
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
const PROMOTER_KEY = "liebian.store.promoter";

/**
 * Remembers where this visitor came from: a shared link lands as `/#/products/…?share=<token>`, an invite
 * link as `/?inviteCode=<code>`. The first such mark is sent along when the visitor signs up.
 */
export function rememberArrival(search: URLSearchParams): void {
  const share = search.get("share");
  if (share && !sessionStorage.getItem(SHARE_KEY)) sessionStorage.setItem(SHARE_KEY, share);
  const invite = search.get("inviteCode");
  if (invite && !sessionStorage.getItem(INVITE_KEY)) sessionStorage.setItem(INVITE_KEY, invite);
  const promoter = search.get("promoter");
  if (promoter) sessionStorage.setItem(PROMOTER_KEY, promoter);
}

/** A promoter's link (`/?promoter=<id>`) binds the shopper to that promoter once they are signed in (锁客). */
async function bindToPromoter(): Promise<void> {
  const promoterId = sessionStorage.getItem(PROMOTER_KEY);
  if (!promoterId) return;
  sessionStorage.removeItem(PROMOTER_KEY);
  await api.post("/distribution/bindings", { promoterId }).catch(() => undefined);
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
      .then((me) => {
        if (me.kind !== "consumer") return api.setToken(null);
        setUser(me);
        void bindToPromoter();
      })
      // Only a refused token is forgotten; a network hiccup must not sign the shopper out.
      .catch((e) => e instanceof ApiError && e.status === 401 && api.setToken(null))
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
    await bindToPromoter();
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
