import type { ReactNode } from "react";
import { useNavigate } from "react-router";
import NavBar from "antd-mobile/es/components/nav-bar";

/**
 * An inner store page: a title bar with a back arrow (home when the page was opened directly, as from a
 * shared link), the body, and an optional action bar fixed to the bottom of the column.
 */
export function Page({ title, children, footer, right, testId }: { title: ReactNode; children: ReactNode; footer?: ReactNode; right?: ReactNode; testId?: string }) {
  const navigate = useNavigate();
  return (
    <div data-testid={testId} style={{ minHeight: "100%", paddingBottom: footer ? "calc(64px + env(safe-area-inset-bottom))" : 16 }}>
      <NavBar
        onBack={() => (window.history.state?.idx > 0 ? navigate(-1) : navigate("/"))}
        right={right}
        style={{ position: "sticky", top: 0, zIndex: 50, background: "#fff", borderBottom: "1px solid #f0f0f0" }}
      >
        {title}
      </NavBar>
      {children}
      {footer && <FooterBar>{footer}</FooterBar>}
    </div>
  );
}

/** The bar at the bottom of the column holding a page's main actions. */
export function FooterBar({ children }: { children: ReactNode }) {
  return (
    <div
      style={{
        position: "fixed",
        left: 0,
        right: 0,
        bottom: 0,
        zIndex: 60,
        display: "flex",
        alignItems: "center",
        gap: 8,
        background: "#fff",
        padding: "8px 12px calc(8px + env(safe-area-inset-bottom))",
        boxShadow: "0 -2px 8px rgba(0,0,0,.06)",
      }}
    >
      {children}
    </div>
  );
}
