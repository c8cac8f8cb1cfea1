import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { api } from "./api";

/** The signed-in operator or merchant, as GET /me returns it. */
export interface Staff {
  id: string;
  kind: "operator" | "merchant" | "supplier" | "consumer";
  displayName: string | null;
  username: string | null;
  roles: string[];
  permissions: string[];
  merchantId: string | null;
}

interface Session {
  staff: Staff | null;
  loading: boolean;
  login(username: string, password: string): Promise<Staff>;
  logout(): Promise<void>;
  /** Whether the staff member may use a page that needs `permission` (admin implies all; merchants pass `merchant`). */
  can(permission: string | undefined, merchantAllowed?: boolean): boolean;
}

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [staff, setStaff] = useState<Staff | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    if (!api.token()) return setLoading(false);
    api
      .get<Staff>("/me")
      .then((me) => setStaff(me.kind === "operator" || me.kind === "merchant" ? me : null))
      .catch(() => api.setToken(null))
      .finally(() => setLoading(false));
  }, []);
  const login = useCallback(async (username: string, password: string) => {
    const res = await api.post<{ token: string; user: Staff }>("/auth/login", { username, password });
    if (res.user.kind !== "operator" && res.user.kind !== "merchant") throw new Error("console_forbidden");
    api.setToken(res.token);
    setStaff(res.user);
    return res.user;
  }, []);
  const logout = useCallback(async () => {
    await api.post("/auth/logout").catch(() => undefined);
    api.setToken(null);
    setStaff(null);
  }, []);
  const can = useCallback(
    (permission: string | undefined, merchantAllowed = false) => {
      if (!staff) return false;
      if (staff.kind === "merchant") return merchantAllowed;
      return !permission || staff.permissions.includes("admin") || staff.permissions.includes(permission);
    },
    [staff],
  );
  return <Ctx.Provider value={{ staff, loading, login, logout, can }}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error("useSession outside SessionProvider");
  return v;
}
