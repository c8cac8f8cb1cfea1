import { Alert, Card, DatePicker, Flex, Segmented, Space, Spin, Table, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { percent } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import type { ChartOption } from "../../components/charts/echarts";
import { EChart } from "../../components/charts/EChart";
import { AXIS, HEAT, heatColor } from "../../components/charts/palette";
import { useServerToday } from "./clock";
import { CsvButton } from "./controls";
import type { Cohort } from "./types";
import { useReport } from "./useReport";

type T = (key: string, vars?: Record<string, string | number>) => string;

/** Only the week of `to` can be unfinished, and it is each cohort's last cell. */
const isPartial = (c: Cohort, k: number) => c.partial && k === c.rates.length - 1;
/** An unfinished week would read as a drop (or a jump); drawn faded and starred, it reads as "so far". */
const PARTIAL_OPACITY = 0.45;
const PARTIAL_HATCH = "repeating-linear-gradient(135deg, rgba(255,255,255,0.6) 0 4px, transparent 4px 8px)";

/** Weekly retention cohorts (留存分析): who registered in a week, and how many came back each week after. */
export default function Cohorts() {
  const today = useServerToday();
  if (!today) return <Spin style={{ margin: 80 }} />;
  return <CohortReport today={today} />;
}

function CohortReport({ today }: { today: string }) {
  const { t } = useI18n();
  const [weeks, setWeeks] = useState(8);
  // The cohorts are the `weeks` registration weeks that end with the week of `to`.
  const [to, setTo] = useState(today);
  const query = { weeks, to };
  const report = useReport<{ cohorts: Cohort[] }>("/admin/analytics/cohorts", query);
  const cohorts = useMemo(() => (report.data?.cohorts ?? []).filter((c) => c.size > 0), [report.data]);
  const columns = Math.max(0, ...cohorts.map((c) => c.rates.length));
  // Week 0 is everyone (100%); the scale follows the later weeks so their differences stay visible.
  const scaleMax = Math.max(0.05, ...cohorts.flatMap((c) => c.rates.slice(1)));
  const option = useMemo(() => heatmapOption(cohorts, columns, scaleMax, t), [cohorts, columns, scaleMax, t]);

  return (
    <Flex vertical gap={16} data-testid="growth-cohorts">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("nav.cohorts")}
        </Typography.Title>
        <Space wrap>
          <Typography.Text type="secondary">{t("growth.cohort.until")}</Typography.Text>
          <DatePicker data-testid="cohort-until" allowClear={false} value={dayjs(to)} maxDate={dayjs(today)} onChange={(d) => d && setTo(d.format("YYYY-MM-DD"))} />
          <Segmented<number> data-testid="cohort-weeks" value={weeks} onChange={setWeeks} options={[4, 8, 12].map((n) => ({ value: n, label: t("growth.cohort.weeks", { n }) }))} />
          <CsvButton path="/admin/analytics/cohorts" query={query} name="cohorts" />
        </Space>
      </Flex>
      {report.error && <Alert type="error" showIcon title={report.error} />}
      <Card size="small" title={t("growth.cohort.heatmap")} extra={<Typography.Text type="secondary">{t("growth.cohort.hint")}</Typography.Text>}>
        <EChart testId="chart-cohorts" option={option} height={Math.max(260, 64 + cohorts.length * 36)} loading={report.loading} empty={cohorts.length === 0} emptyText={t("growth.empty.cohorts")} />
      </Card>
      <Card size="small" title={t("growth.cohort.table")}>
        <Table<Cohort>
          data-testid="cohort-table"
          size="small"
          rowKey="cohort"
          loading={report.loading}
          pagination={false}
          scroll={{ x: "max-content" }}
          dataSource={cohorts}
          locale={{ emptyText: t("growth.empty.cohorts") }}
          columns={[
            { title: t("growth.cohort.cohort"), dataIndex: "cohort", fixed: "left", render: (c: string) => t("growth.cohort.weekOf", { date: c }) },
            { title: t("growth.cohort.size"), dataIndex: "size", align: "right", render: (n: number) => n.toLocaleString() },
            ...Array.from({ length: columns }, (_, k) => ({
              key: `w${k}`,
              title: t("growth.cohort.week", { n: k }),
              align: "center" as const,
              width: 76,
              onCell: (c: Cohort) => ({
                style:
                  k >= c.rates.length
                    ? {}
                    : isPartial(c, k)
                      ? { background: `${PARTIAL_HATCH}, ${heatColor(c.rates[k] / scaleMax)}` }
                      : { background: heatColor(c.rates[k] / scaleMax), color: c.rates[k] / scaleMax > 0.6 ? "#fff" : undefined },
              }),
              render: (_: unknown, c: Cohort) =>
                k < c.rates.length ? (
                  <Tooltip title={[t("growth.cohort.retainedUsers", { n: c.retained[k] ?? 0 }), isPartial(c, k) ? t("growth.cohort.partial") : ""].filter(Boolean).join(" · ")}>
                    <span data-partial={isPartial(c, k) || undefined}>
                      {percent(c.rates[k])}
                      {isPartial(c, k) ? "*" : ""}
                    </span>
                  </Tooltip>
                ) : null,
            })),
          ]}
        />
      </Card>
    </Flex>
  );
}

function heatmapOption(cohorts: Cohort[], columns: number, scaleMax: number, t: T): ChartOption {
  const data = cohorts.flatMap((c, y) =>
    c.rates.map((rate, x) =>
      isPartial(c, x)
        ? { value: [x, y, rate], itemStyle: { opacity: PARTIAL_OPACITY }, label: { color: "#262626" } }
        : { value: [x, y, rate], label: { color: rate / scaleMax > 0.6 ? "#fff" : "#262626" } },
    ),
  );
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      position: "top",
      formatter: (p) => {
        const [x, y, rate] = (p as unknown as { value: [number, number, number] }).value;
        const c = cohorts[y];
        const partial = isPartial(c, x) ? `<br/>${t("growth.cohort.partial")}` : "";
        return `<b>${t("growth.cohort.weekOf", { date: c.cohort })}</b><br/>${t("growth.cohort.week", { n: x })}: ${percent(rate)}<br/>${t("growth.cohort.retainedUsers", { n: c.retained[x] ?? 0 })} / ${c.size}${partial}`;
      },
    },
    xAxis: { type: "category", data: Array.from({ length: columns }, (_, k) => t("growth.cohort.week", { n: k })), splitArea: { show: true }, axisLine: { lineStyle: { color: AXIS.line } }, axisLabel: { color: AXIS.label }, axisTick: { show: false } },
    yAxis: {
      type: "category",
      inverse: true,
      data: cohorts.map((c) => `${c.cohort.slice(5)}  ·  ${c.size}`),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { color: "#595959" },
    },
    visualMap: {
      type: "continuous",
      min: 0,
      max: scaleMax,
      calculable: false,
      text: [percent(scaleMax, 0), "0%"],
      orient: "horizontal",
      left: "center",
      bottom: 4,
      itemHeight: 160,
      itemWidth: 10,
      inRange: { color: HEAT },
      textStyle: { color: AXIS.label },
    },
    series: [
      {
        type: "heatmap",
        data,
        label: {
          show: true,
          formatter: (p) => {
            const [x, y, rate] = (p as { value: number[] }).value;
            return `${percent(rate, 0)}${isPartial(cohorts[y], x) ? "*" : ""}`;
          },
          fontSize: 12,
        },
        itemStyle: { borderColor: "#fff", borderWidth: 2, borderRadius: 3 },
        emphasis: { itemStyle: { shadowBlur: 8, shadowColor: "rgba(0,0,0,0.25)" } },
      },
    ],
  };
}
