import { Alert, Card, Col, Flex, Row, Segmented, Space, Spin, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import type { ChartOption } from "../../components/charts/echarts";
import { EChart } from "../../components/charts/EChart";
import { AXIS } from "../../components/charts/palette";
import { lastDays, useServerToday } from "./clock";
import { CsvButton, type DayRange, DateRangeFilter } from "./controls";
import type { LeaderRow } from "./types";
import { useReport } from "./useReport";

type Board = "sharer" | "promoter";
type Metric = "gmv" | "registrations" | "orders";
const MEDALS = ["#faad14", "#bfbfbf", "#d48806"];
const shown = (metric: Metric, n: number) => (metric === "gmv" ? yuan(n) : n.toLocaleString());
const name = (r: LeaderRow) => r.displayName ?? r.userId;

/** Who brings the most (排行榜): top sharers and promoters by the GMV, registrations or orders they brought. */
export default function Leaderboards() {
  const today = useServerToday();
  if (!today) return <Spin style={{ margin: 80 }} />;
  return <Boards today={today} />;
}

function Boards({ today }: { today: string }) {
  const { t } = useI18n();
  const [by, setBy] = useState<Board>("sharer");
  const [metric, setMetric] = useState<Metric>("gmv");
  const [range, setRange] = useState<DayRange>(() => lastDays(today, 30));
  const query = { by, metric, limit: 20, from: range[0], to: range[1] };
  const report = useReport<{ rows: LeaderRow[] }>("/admin/analytics/leaderboard", query);
  const rows = useMemo(() => (report.data?.rows ?? []).filter((r) => r.value > 0), [report.data]);
  const show = (n: number) => shown(metric, n);
  const option = useMemo(() => topOption(rows.slice(0, 10), metric), [rows, metric]);

  return (
    <Flex vertical gap={16} data-testid="growth-leaderboards">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("nav.leaderboards")}
        </Typography.Title>
        <Space wrap>
          <Segmented<Board> data-testid="leaderboard-by" value={by} onChange={setBy} options={(["sharer", "promoter"] as const).map((v) => ({ value: v, label: t(`growth.board.${v}`) }))} />
          <Segmented<Metric> data-testid="leaderboard-metric" value={metric} onChange={setMetric} options={(["gmv", "registrations", "orders"] as const).map((v) => ({ value: v, label: t(`growth.board.metric.${v}`) }))} />
          <DateRangeFilter value={range} today={today} onChange={setRange} />
          <CsvButton path="/admin/analytics/leaderboard" query={query} name={`leaderboard-${by}-${metric}`} />
        </Space>
      </Flex>
      {report.error && <Alert type="error" showIcon title={report.error} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t("growth.board.top10", { metric: t(`growth.board.metric.${metric}`) })}>
            <EChart testId="chart-leaderboard" option={option} height={420} loading={report.loading} empty={rows.length === 0} emptyText={t("growth.empty.leaderboard")} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t(`growth.board.${by}`)}>
            <Table<LeaderRow & { rank: number }>
              data-testid="leaderboard-table"
              size="small"
              rowKey="userId"
              loading={report.loading}
              pagination={false}
              dataSource={rows.map((r, i) => ({ ...r, rank: i + 1 }))}
              locale={{ emptyText: t("growth.empty.leaderboard") }}
              columns={[
                {
                  title: t("growth.board.rank"),
                  dataIndex: "rank",
                  width: 64,
                  align: "center",
                  render: (n: number) => (n <= 3 ? <span style={{ display: "inline-block", width: 22, height: 22, lineHeight: "22px", borderRadius: 11, background: MEDALS[n - 1], color: "#fff", fontWeight: 600 }}>{n}</span> : n),
                },
                { title: t("growth.board.user"), dataIndex: "displayName", render: (_: unknown, r) => <Link to={`/growth/invite-tree?user=${r.userId}`}>{name(r)}</Link> },
                { title: t(`growth.board.metric.${metric}`), dataIndex: "value", align: "right", render: (n: number) => <b>{show(n)}</b> },
                ...(["gmv", "orders", "registrations"] as const)
                  .filter((m) => m !== metric)
                  .map((m) => ({ title: t(`growth.board.metric.${m}`), dataIndex: m, align: "right" as const, render: (n: number) => shown(m, n) })),
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}

function topOption(rows: LeaderRow[], metric: Metric): ChartOption {
  const ordered = [...rows].reverse();
  const show = (n: number) => shown(metric, n);
  return {
    grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (p) => {
        const r = ordered[(p as unknown as { dataIndex: number }[])[0].dataIndex];
        return `${name(r)}: ${show(r.value)}`;
      },
    },
    xAxis: { type: "value", show: false, minInterval: metric === "gmv" ? undefined : 1 },
    yAxis: { type: "category", data: ordered.map(name), axisLine: { show: false }, axisTick: { show: false }, axisLabel: { color: AXIS.label, width: 96, overflow: "truncate" } },
    series: [
      {
        type: "bar",
        barMaxWidth: 22,
        data: ordered.map((r) => r.value),
        itemStyle: { borderRadius: [0, 4, 4, 0], color: { type: "linear", x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: "#ff9c6e" }, { offset: 1, color: "#e02e24" }] } },
        label: { show: true, position: "right", color: "#595959", formatter: (p) => show(Number((p as { value: number }).value)) },
      },
    ],
  };
}
