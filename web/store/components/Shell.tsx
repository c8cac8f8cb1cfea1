import { Suspense, useEffect, useLayoutEffect, useRef } from "react";
import { Outlet, useLocation, useNavigate, useNavigationType, useSearchParams } from "react-router";
import DotLoading from "antd-mobile/es/components/dot-loading";
import TabBar from "antd-mobile/es/components/tab-bar";
import { AppOutline, AppstoreOutline, ShopbagOutline, UserOutline } from "antd-mobile-icons";
import { useI18n } from "../../shared/i18n";
import { ROUTES } from "../routes";
import { rememberArrival } from "../session";
import { useCartCount } from "./cartCount";
import { PageErrorBoundary } from "./PageErrorBoundary";
import { tracker } from "./tracker";

const TABS = [
  { path: "/", label: "tab.home", icon: <AppOutline /> },
  { path: "/categories", label: "tab.categories", icon: <AppstoreOutline /> },
  { path: "/cart", label: "tab.cart", icon: <ShopbagOutline /> },
  { path: "/me", label: "tab.me", icon: <UserOutline /> },
];
const TAB_PATHS = new Set(ROUTES.filter((r) => r.tab).map((r) => r.path));

/** Where each history entry was scrolled to, so "back" returns to the same spot of a long list. */
const scrollByEntry = new Map<string, number>();

/**
 * The frame of every store page: one phone-wide column (centred on a desktop), the bottom tab bar on the
 * four main pages, and the arrival mark: a shared link lands as `/#/products/…?share=<token>`, so the
 * token is read from the hash route's query wherever the visitor lands.
 */
export function Shell() {
  const { t } = useI18n();
  const location = useLocation();
  const navigationType = useNavigationType();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const scroller = useRef<HTMLDivElement>(null);
  const cartCount = useCartCount();
  const withTabs = TAB_PATHS.has(location.pathname);

  useEffect(() => rememberArrival(search), [search]);
  useEffect(() => tracker.pageView(), [location.pathname]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = navigationType === "POP" ? (scrollByEntry.get(location.key) ?? 0) : 0;
    const key = location.key;
    const onScroll = () => scrollByEntry.set(key, el.scrollTop);
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, [location.key, navigationType]);

  return (
    <div className="store-shell" data-testid="store-shell">
      <div ref={scroller} className={withTabs ? "store-scroll with-tabs" : "store-scroll"}>
        <Suspense
          fallback={
            <div style={{ textAlign: "center", paddingTop: 160 }}>
              <DotLoading color="primary" />
            </div>
          }
        >
          <PageErrorBoundary key={location.pathname}>
            <Outlet />
          </PageErrorBoundary>
        </Suspense>
      </div>
      {withTabs && (
        <div className="store-tabbar">
          <TabBar activeKey={location.pathname} onChange={(path) => navigate(path)} data-testid="tab-bar">
            {TABS.map((tab) => (
              <TabBar.Item
                key={tab.path}
                title={t(tab.label)}
                icon={tab.icon}
                badge={tab.path === "/cart" && cartCount > 0 ? cartCount : null}
                data-testid={`tab-${tab.path === "/" ? "home" : tab.path.slice(1)}`}
              />
            ))}
          </TabBar>
        </div>
      )}
    </div>
  );
}
