import { Button, Layout as AntLayout, Menu, Segmented, Space, Spin, Tag, Typography } from "antd";
import { Suspense } from "react";
import { Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { useI18n } from "../shared/i18n";
import { type NavPage, PAGES } from "./nav";
import { useSession } from "./session";

const GROUPS: NavPage["group"][] = ["overview", "growth", "operations", "campaigns", "system"];

/** The signed-in frame: the menu shows only the pages this operator's permissions (or a merchant) may use. */
export default function Layout() {
  const { t, locale, setLocale } = useI18n();
  const { staff, loading, logout, can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  if (loading) return <Spin style={{ margin: 80 }} />;
  if (!staff) return <Navigate to="/login" replace />;
  const pages = visiblePages(can);
  const items = GROUPS.map((g) => ({
    key: g,
    type: "group" as const,
    label: t(`nav.${g}`),
    children: pages.filter((p) => p.group === g).map((p) => ({ key: p.path, label: t(p.label) })),
  })).filter((g) => g.children.length > 0);
  return (
    <AntLayout style={{ minHeight: "100vh" }}>
      <AntLayout.Sider width={208} theme="light" breakpoint="lg" collapsedWidth={0}>
        <Typography.Title level={5} style={{ padding: "16px 20px", margin: 0, color: "#e02e24" }}>
          {t("app.title")}
        </Typography.Title>
        <Menu mode="inline" selectedKeys={[location.pathname]} items={items} onClick={(e) => navigate(e.key)} data-testid="nav" />
      </AntLayout.Sider>
      <AntLayout>
        <AntLayout.Header style={{ background: "#fff", display: "flex", justifyContent: "flex-end", alignItems: "center", paddingInline: 24 }}>
          <Space>
            <Tag color={staff.kind === "merchant" ? "orange" : "blue"}>{t(staff.kind === "merchant" ? "shell.merchant" : "shell.operator")}</Tag>
            <span>{staff.displayName ?? staff.username}</span>
            <Segmented size="small" value={locale} options={[{ label: "中文", value: "zh-CN" }, { label: "EN", value: "en" }]} onChange={(v) => setLocale(v as "zh-CN" | "en")} />
            <Button size="small" onClick={() => void logout().then(() => navigate("/login"))}>
              {t("shell.logout")}
            </Button>
          </Space>
        </AntLayout.Header>
        <AntLayout.Content style={{ margin: 24 }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </AntLayout.Content>
      </AntLayout>
    </AntLayout>
  );
}

export function visiblePages(can: (permission: string | undefined, merchantAllowed?: boolean) => boolean): NavPage[] {
  return PAGES.filter((p) => can(p.permission, p.merchant));
}
