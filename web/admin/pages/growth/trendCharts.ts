import { yuan } from "../../../shared/format";
import type { Locale } from "../../../shared/i18n";
import { compactNumber, compactYuan } from "../../components/charts/axis";
import type { ChartOption } from "../../components/charts/echarts";
import { AXIS, PALETTE } from "../../components/charts/palette";
import type { OverviewPoint } from "./types";

type T = (key: string, vars?: Record<string, string | number>) => string;

const axisStyle = { axisLine: { lineStyle: { color: AXIS.line } }, axisLabel: { color: AXIS.label }, splitLine: { lineStyle: { color: AXIS.split } } };

/** GMV (area, left axis in yuan) and orders (bars, right axis) per bucket. */
export function trendOption(series: OverviewPoint[], t: T, locale: Locale): ChartOption {
  const gmv = t("growth.kpi.gmv");
  const orders = t("growth.kpi.orders");
  return {
    legend: { top: 0, right: 0, icon: "roundRect", itemWidth: 12, itemHeight: 8 },
    grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (raw) => {
        const items = raw as unknown as { dataIndex: number; marker: string }[];
        const p = series[items[0].dataIndex];
        return `<b>${p.bucket}</b><br/>${items[0].marker}${gmv}: ${yuan(p.gmv)}<br/>${items[1]?.marker ?? ""}${orders}: ${p.orders.toLocaleString()}<br/>${t("growth.kpi.uv")}: ${p.uv.toLocaleString()} · ${t("growth.kpi.newUsers")}: ${p.newUsers.toLocaleString()}`;
      },
    },
    xAxis: { type: "category", data: series.map((p) => p.bucket.slice(5)), ...axisStyle, axisTick: { show: false } },
    yAxis: [
      { type: "value", ...axisStyle, axisLabel: { color: AXIS.label, formatter: (v: number) => compactYuan(v, locale) } },
      { type: "value", ...axisStyle, splitLine: { show: false }, minInterval: 1, axisLabel: { color: AXIS.label, formatter: (v: number) => compactNumber(v, locale) } },
    ],
    series: [
      {
        name: gmv,
        type: "line",
        // Monotone smoothing: a day without sales stays at zero instead of swinging below the axis.
        smooth: 0.4,
        smoothMonotone: "x",
        showSymbol: series.length <= 2,
        lineStyle: { width: 2.5 },
        areaStyle: { color: { type: "linear", x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: "rgba(224,46,36,0.28)" }, { offset: 1, color: "rgba(224,46,36,0.02)" }] } },
        data: series.map((p) => p.gmv),
        z: 3,
      },
      { name: orders, type: "bar", yAxisIndex: 1, barMaxWidth: 18, itemStyle: { color: "rgba(22,119,255,0.55)", borderRadius: [3, 3, 0, 0] }, data: series.map((p) => p.orders) },
    ],
  };
}

/** New users per acquisition source, largest first, as horizontal bars. */
export function sourcesOption(rows: { label: string; users: number }[], t: T): ChartOption {
  const sorted = [...rows].sort((a, b) => a.users - b.users);
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 4, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1, ...axisStyle },
    yAxis: { type: "category", data: sorted.map((r) => r.label), ...axisStyle, axisTick: { show: false } },
    series: [
      {
        name: t("growth.kpi.newUsers"),
        type: "bar",
        barMaxWidth: 20,
        data: sorted.map((r, i) => ({ value: r.users, itemStyle: { color: PALETTE[(sorted.length - 1 - i) % PALETTE.length], borderRadius: [0, 4, 4, 0] } })),
        label: { show: true, position: "right", color: "#595959" },
      },
    ],
  };
}
