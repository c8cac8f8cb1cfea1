import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import DotLoading from "antd-mobile/es/components/dot-loading";
import { useSession } from "../session";

/** The path of the sign-in page that comes back to `back` afterwards. */
export const loginPath = (back: string) => `/login?redirect=${encodeURIComponent(back)}`;

/** Pages of one's own (cart, orders, addresses) send a visitor to sign in first, then back here. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading)
    return (
      <div style={{ textAlign: "center", paddingTop: 160 }}>
        <DotLoading color="primary" />
      </div>
    );
  if (!user) return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  return <>{children}</>;
}
