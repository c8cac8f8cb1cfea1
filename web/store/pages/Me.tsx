import { type ReactNode, useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import Badge from "antd-mobile/es/components/badge";
import Button from "antd-mobile/es/components/button";
import Dialog from "antd-mobile/es/components/dialog";
import List from "antd-mobile/es/components/list";
import Selector from "antd-mobile/es/components/selector";
import { BillOutline, CouponOutline, GiftOutline, GlobalOutline, LocationOutline, PayCircleOutline, ReceiptOutline, StarOutline, TeamOutline, TruckOutline, UserAddOutline, CheckCircleOutline, UndoOutline, FireFill } from "antd-mobile-icons";
import { yuan } from "../../shared/format";
import { type Locale, useI18n } from "../../shared/i18n";
import { api } from "../api";
import { loginPath } from "../components/RequireLogin";
import type { Paged } from "../components/types";
import { useSession } from "../session";

interface Assets {
  points: number;
  cash: number;
  /** Cash rewards released and waiting to be claimed (on the invite page). */
  cashToClaim: number;
  coupons: number;
  level: string | null;
  /** Orders waiting on the shopper or the store, per status (at most 20 counted). */
  waiting: Record<string, number>;
}

const maskPhone = (phone: string | null) => (phone && phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : (phone ?? ""));

async function loadAssets(): Promise<Assets> {
  const count = (status: string) => api.get<Paged<unknown>>("/orders", { status, limit: 20 }).then((p) => p.items.length, () => 0);
  const [points, wallet, coupons, level, pending, paid, shipped] = await Promise.all([
    api.get<{ available: number }>("/me/points").then((p) => p.available, () => 0),
    api.get<{ available: number; claimable: number }>("/me/wallet").then((w) => w, () => ({ available: 0, claimable: 0 })),
    api.get<Paged<unknown>>("/me/coupons", { state: "usable", limit: 50 }).then((c) => c.items.length, () => 0),
    api.get<{ level: { name: string } }>("/me/level").then((l) => l.level.name, () => null),
    count("pending_payment"),
    count("paid"),
    count("shipped"),
  ]);
  return { points, cash: wallet.available, cashToClaim: wallet.claimable, coupons, level, waiting: { pending_payment: pending, paid, shipped } };
}

/** 我的: who I am, my orders at a glance, what I have earned, the growth pages, settings. */
export default function Me() {
  const { t, locale, setLocale } = useI18n();
  const { user, loading, logout } = useSession();
  const navigate = useNavigate();
  const [assets, setAssets] = useState<Assets | null>(null);
  const [lottery, setLottery] = useState<string | null>(null);
  useEffect(() => {
    setAssets(null);
    if (user) void loadAssets().then(setAssets);
  }, [user]);
  useEffect(() => {
    void api.get<{ items: { id: string }[] }>("/lottery").then((r) => setLottery(r.items[0]?.id ?? null), () => undefined);
  }, []);
  const guard = (to: string) => (user ? to : loginPath(to));

  return (
    <div data-testid="me-page">
      <header style={{ background: "linear-gradient(160deg,#e02e24,#ff7a45)", color: "#fff", padding: "28px 16px 56px" }}>
        {user ? (
          <div style={{ display: "flex", alignItems: "center", gap: 14 }}>
            <div style={{ width: 60, height: 60, borderRadius: 30, background: "rgba(255,255,255,.25)", border: "2px solid rgba(255,255,255,.6)", display: "flex", alignItems: "center", justifyContent: "center", fontSize: 26, fontWeight: 600 }}>
              {[...(user.displayName ?? "")][0] ?? "·"}
            </div>
            <div style={{ flex: 1 }}>
              <div style={{ fontSize: 19, fontWeight: 600 }} data-testid="me-name">
                {user.displayName}
              </div>
              <div style={{ fontSize: 13, opacity: 0.85, marginTop: 2 }}>{maskPhone(user.phone)}</div>
            </div>
            {assets?.level && (
              <Link to="/level" style={{ color: "#7a4b00", background: "linear-gradient(90deg,#ffe7ba,#ffd591)", borderRadius: 12, padding: "3px 10px", fontSize: 12, textDecoration: "none" }} data-testid="me-level">
                {assets.level}
              </Link>
            )}
          </div>
        ) : (
          <div style={{ display: "flex", alignItems: "center", gap: 14 }}>
            <div style={{ width: 60, height: 60, borderRadius: 30, background: "rgba(255,255,255,.25)" }} />
            <div style={{ flex: 1, fontSize: 17 }}>{t("me.welcome")}</div>
            {!loading && (
              <Button size="small" shape="rounded" onClick={() => navigate(loginPath("/me"))} data-testid="me-login">
                {t("me.login")}
              </Button>
            )}
          </div>
        )}
      </header>

      <section className="store-card" style={{ marginTop: -40, display: "grid", gridTemplateColumns: "repeat(3, 1fr)", textAlign: "center" }}>
        <Asset to={guard("/points")} value={assets ? String(assets.points) : "—"} label={t("me.points")} testId="me-points" />
        <Asset to={guard("/invite")} value={assets ? yuan(assets.cash) : "—"} label={t("me.cash")} note={assets?.cashToClaim ? t("me.toClaim", { amount: yuan(assets.cashToClaim) }) : undefined} testId="me-cash" />
        <Asset to={guard("/coupons")} value={assets ? String(assets.coupons) : "—"} label={t("me.coupons")} testId="me-coupons" />
      </section>

      <section className="store-card">
        <div className="store-section-title">
          {t("me.orders")}
          <Link to={guard("/orders")} style={{ fontSize: 12, color: "#999", fontWeight: 400, textDecoration: "none" }} data-testid="me-all-orders">
            {t("me.allOrders")} ›
          </Link>
        </div>
        <div style={{ display: "grid", gridTemplateColumns: "repeat(5, 1fr)", textAlign: "center" }}>
          <Shortcut to={guard("/orders?status=pending_payment")} icon={<PayCircleOutline />} label={t("orders.tab.pending_payment")} count={assets?.waiting.pending_payment} testId="me-orders-pending" />
          <Shortcut to={guard("/orders?status=paid")} icon={<ReceiptOutline />} label={t("orders.tab.paid")} count={assets?.waiting.paid} />
          <Shortcut to={guard("/orders?status=shipped")} icon={<TruckOutline />} label={t("orders.tab.shipped")} count={assets?.waiting.shipped} />
          <Shortcut to={guard("/orders?status=completed")} icon={<CheckCircleOutline />} label={t("orders.tab.completed")} />
          <Shortcut to={guard("/aftersales")} icon={<UndoOutline />} label={t("me.aftersales")} />
        </div>
      </section>

      <section className="store-card">
        <div className="store-section-title">{t("me.growth")}</div>
        <div style={{ display: "grid", gridTemplateColumns: "repeat(4, 1fr)", rowGap: 14, textAlign: "center" }}>
          <Shortcut to="/invite" icon={<UserAddOutline />} label={t("me.invite")} color="#ff6a00" testId="me-invite" />
          <Shortcut to="/coupons" icon={<CouponOutline />} label={t("me.couponCentre")} color="#e02e24" />
          <Shortcut to="/points" icon={<PayCircleOutline />} label={t("me.pointsPage")} color="#fa8c16" />
          <Shortcut to="/level" icon={<StarOutline />} label={t("me.level")} color="#d4b106" />
          <Shortcut to="/flash" icon={<FireFill />} label={t("me.flash")} color="#f5222d" />
          <Shortcut to="/promoter" icon={<TeamOutline />} label={t("me.promoter")} color="#2f54eb" testId="me-promoter" />
          {lottery && <Shortcut to={`/lottery/${lottery}`} icon={<GiftOutline />} label={t("me.lottery")} color="#eb2f96" testId="me-lottery" />}
          <Shortcut to={guard("/orders")} icon={<BillOutline />} label={t("me.orders")} color="#13c2c2" />
        </div>
      </section>

      <List style={{ margin: "10px 10px 0", borderRadius: 12, overflow: "hidden", "--border-top": "none", "--border-bottom": "none" }}>
        <List.Item prefix={<LocationOutline />} onClick={() => navigate(guard("/addresses"))} data-testid="me-addresses">
          {t("me.addresses")}
        </List.Item>
        <List.Item prefix={<GlobalOutline />} extra={<LanguageSwitch locale={locale} onChange={setLocale} />}>
          {t("me.language")}
        </List.Item>
      </List>

      {user && (
        <div style={{ padding: "16px 10px 24px" }}>
          <Button
            block
            shape="rounded"
            data-testid="me-logout"
            onClick={() =>
              void Dialog.confirm({ content: t("me.logoutAsk"), confirmText: t("me.logout"), cancelText: t("orders.notYet") }).then((ok) => {
                if (ok) void logout();
              })
            }
          >
            {t("me.logout")}
          </Button>
        </div>
      )}
    </div>
  );
}

function LanguageSwitch({ locale, onChange }: { locale: Locale; onChange(l: Locale): void }) {
  return (
    <Selector
      value={[locale]}
      onChange={(v) => v[0] && onChange(v[0])}
      showCheckMark={false}
      options={[
        { label: "中文", value: "zh-CN" as Locale },
        { label: "English", value: "en" as Locale },
      ]}
      style={{ "--padding": "4px 10px", "--border-radius": "14px" }}
      data-testid="me-language"
    />
  );
}

function Asset({ to, value, label, note, testId }: { to: string; value: string; label: string; note?: string; testId?: string }) {
  return (
    <Link to={to} style={{ color: "inherit", textDecoration: "none", padding: "4px 0" }} data-testid={testId}>
      <div style={{ fontSize: 18, fontWeight: 600 }}>{value}</div>
      <div className="store-muted" style={{ marginTop: 2 }}>
        {label}
      </div>
      {note && <div style={{ fontSize: 11, color: "var(--store-red)", marginTop: 2 }}>{note}</div>}
    </Link>
  );
}

function Shortcut({ to, icon, label, count, color = "#333", testId }: { to: string; icon: ReactNode; label: string; count?: number; color?: string; testId?: string }) {
  return (
    <Link to={to} style={{ color: "#333", textDecoration: "none", fontSize: 12 }} data-testid={testId}>
      <Badge content={count ? (count >= 20 ? "20+" : count) : null}>
        <div style={{ fontSize: 26, color, lineHeight: 1 }}>{icon}</div>
      </Badge>
      <div style={{ marginTop: 6 }}>{label}</div>
    </Link>
  );
}
