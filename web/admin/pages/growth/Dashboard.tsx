import { ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Flex, Row, Segmented, Space, Spin, Statistic, Typography } from "antd";
import { useMemo, useState } from "react";
import { percent, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { EChart } from "../../components/charts/EChart";
import { addDays, clockTime, lastDays, useServerToday } from "./clock";
import { funnelOption } from "./funnelChart";
import { Kpi } from "./Kpi";
import { named, sourceName } from "./labels";
import { sourcesOption, trendOption } from "./trendCharts";
import type { Funnel, KFactor, Overview } from "./types";
import { useReport } from "./useReport";

type Period = "today" | "7d" | "30d";
const DAYS: Record<Period, number> = { today: 1, "7d": 7, "30d": 30 };
/** The purchase funnel the dashboard always shows: view → cart → order → pay. */
const PURCHASE_STEPS = "product_view,add_to_cart,order,payment";
const REFRESH_MS = 30_000;

/** The growth dashboard (数据看板): today's, this week's or this month's numbers, refreshed every 30 seconds. */
export default function Dashboard() {
  const today = useServerToday();
  if (!today) return <Spin style={{ margin: 80 }} />;
  return <DashboardFor today={today} />;
}

function DashboardFor({ today }: { today: string }) {
  const { t, locale } = useI18n();
  const [period, setPeriod] = useState<Period>("7d");
  const [from, to] = lastDays(today, DAYS[period]);
  const range = { from, to };
  const poll = { pollMs: REFRESH_MS };
  const overview = useReport<Overview>("/admin/analytics/overview", { ...range, grain: "day" }, poll);
  // One day is no trend: today's numbers are drawn against the six days before.
  const week = useReport<Overview>(period === "today" ? "/admin/analytics/overview" : null, { from: addDays(today, -6), to: today, grain: "day" }, poll);
  const previous = useReport<Overview>("/admin/analytics/overview", { from: addDays(from, -DAYS[period]), to: addDays(from, -1), grain: "day" });
  const funnel = useReport<Funnel>("/admin/analytics/funnel", { ...range, steps: PURCHASE_STEPS, windowHours: 24 }, poll);
  const kfactor = useReport<KFactor>("/admin/analytics/kfactor", range, poll);
  const reload = () => [overview, week, funnel, kfactor].forEach((r) => r.reload());

  const now = overview.data?.totals;
  const before = previous.data?.totals;
  const series = (period === "today" ? week.data?.series : overview.data?.series) ?? [];
  const hasTrend = series.some((p) => p.gmv > 0 || p.orders > 0);
  const sources = useMemo(() => (overview.data?.newUsersBySource ?? []).filter((s) => s.users > 0).map((s) => ({ label: sourceName(t, s.source), users: s.users })), [overview.data, t]);
  const steps = funnel.data?.steps ?? [];
  const trend = useMemo(() => trendOption(series, t, locale), [series, t, locale]);
  const sourceChart = useMemo(() => sourcesOption(sources, t), [sources, t]);
  const funnelChart = useMemo(() => funnelOption(steps, (s) => named(t, "event", s), t), [steps, t]);
  const loading = overview.loading && !overview.data;
  const trendLoading = period === "today" ? week.loading && !week.data : loading;

  const kpis = now && [
    { id: "gmv", title: t("growth.kpi.gmv"), value: yuan(now.gmv), current: now.gmv, previous: before?.gmv },
    { id: "orders", title: t("growth.kpi.orders"), value: now.orders.toLocaleString(), current: now.orders, previous: before?.orders },
    { id: "uv", title: t("growth.kpi.uv"), value: now.uv.toLocaleString(), current: now.uv, previous: before?.uv },
    { id: "conversion", title: t("growth.kpi.conversion"), value: percent(now.conversion), current: now.conversion, previous: before?.conversion },
    { id: "newUsers", title: t("growth.kpi.newUsers"), value: now.newUsers.toLocaleString(), current: now.newUsers, previous: before?.newUsers },
    { id: "kFactor", title: t("growth.kpi.kFactor"), value: now.kFactor.toFixed(2), current: now.kFactor, previous: before?.kFactor },
    {
      id: "cost",
      title: t("growth.kpi.cost"),
      value: yuan(now.rewardCost + now.commissionCost),
      note: t("growth.kpi.costSplit", { reward: yuan(now.rewardCost), commission: yuan(now.commissionCost) }),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="growth-dashboard">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("nav.dashboard")}
        </Typography.Title>
        <Space size={12} wrap>
          <Typography.Text type="secondary" data-testid="updated-at">
            {overview.updatedAt ? t("growth.dashboard.updatedAt", { time: clockTime(overview.updatedAt) }) : t("growth.loading")}
          </Typography.Text>
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.refresh")} data-testid="dashboard-refresh" />
          <Segmented<Period>
            data-testid="dashboard-period"
            value={period}
            onChange={setPeriod}
            options={[
              { value: "today", label: t("growth.period.today") },
              { value: "7d", label: t("growth.period.7d") },
              { value: "30d", label: t("growth.period.30d") },
            ]}
          />
        </Space>
      </Flex>
      {overview.error && <Alert type="error" showIcon title={overview.error} />}

      <Row gutter={[12, 12]}>
        {(kpis || Array.from({ length: 7 }, (_, i) => ({ id: String(i), title: "", value: "" }))).map((k) => (
          <Col key={k.id} flex="1 1 150px">
            <Kpi {...k} loading={loading} />
          </Col>
        ))}
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t("growth.dashboard.trend")} size="small">
            <EChart testId="chart-trend" option={trend} height={320} loading={trendLoading} empty={!hasTrend} emptyText={t("growth.empty.period")} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t("growth.dashboard.funnel")} size="small">
            <EChart testId="chart-funnel" option={funnelChart} height={320} loading={funnel.loading && !funnel.data} empty={!steps[0]?.users} emptyText={t("growth.empty.funnel")} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t("growth.dashboard.sources")} size="small">
            <EChart testId="chart-sources" option={sourceChart} height={260} loading={loading} empty={sources.length === 0} emptyText={t("growth.empty.sources")} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t("growth.dashboard.virality")} size="small" style={{ height: "100%" }}>
            <Row gutter={[16, 24]} style={{ padding: "8px 4px" }}>
              <Col span={8}>
                <Statistic title={t("growth.k.invitationsSent")} value={kfactor.data?.invitationsSent ?? "—"} loading={kfactor.loading && !kfactor.data} />
              </Col>
              <Col span={8}>
                <Statistic title={t("growth.k.invitesPerUser")} value={kfactor.data ? kfactor.data.invitesPerUser.toFixed(2) : "—"} loading={kfactor.loading && !kfactor.data} />
              </Col>
              <Col span={8}>
                <Statistic title={t("growth.k.invitationConversion")} value={percent(kfactor.data?.invitationConversion)} loading={kfactor.loading && !kfactor.data} />
              </Col>
              <Col span={8}>
                <Statistic title={t("growth.k.viralCycle")} value={kfactor.data?.viralCycleHours == null ? "—" : t("growth.k.hours", { n: kfactor.data.viralCycleHours.toFixed(1) })} loading={kfactor.loading && !kfactor.data} />
              </Col>
              <Col span={8}>
                <Statistic title={t("growth.kpi.aov")} value={yuan(now?.aov)} loading={loading} />
              </Col>
              <Col span={8}>
                <Statistic title={t("growth.kpi.repurchaseRate")} value={percent(now?.repurchaseRate)} loading={loading} />
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
