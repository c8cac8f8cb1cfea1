import { percent } from "../../../shared/format";
import type { ChartOption } from "../../components/charts/echarts";
import { PALETTE } from "../../components/charts/palette";
import type { FunnelStep } from "./types";

/**
 * A funnel drawn in step order (never re-sorted: a later step can outgrow an earlier one when users
 * skip it). Each band says its users and the share of the step before.
 */
export function funnelOption(steps: FunnelStep[], label: (step: string) => string, t: (key: string, vars?: Record<string, string | number>) => string): ChartOption {
  const max = Math.max(1, ...steps.map((s) => s.users));
  return {
    tooltip: {
      trigger: "item",
      formatter: (p) => {
        const s = steps[(p as { dataIndex: number }).dataIndex];
        return `<b>${label(s.step)}</b><br/>${t("growth.funnel.users")}: ${s.users.toLocaleString()}<br/>${t("growth.funnel.fromPrevious")}: ${percent(s.fromPrevious)}<br/>${t("growth.funnel.fromFirst")}: ${percent(s.fromFirst)}`;
      },
    },
    series: [
      {
        type: "funnel",
        sort: "none",
        // Bands on the left, words on the right: a step of 1% of the first is too thin to write in.
        left: "2%",
        width: "56%",
        top: 12,
        bottom: 12,
        min: 0,
        max,
        minSize: "8%",
        gap: 3,
        label: {
          position: "right",
          formatter: (p) => {
            const i = (p as { dataIndex: number }).dataIndex;
            const s = steps[i];
            return `{name|${label(s.step)}}\n{users|${s.users.toLocaleString()}}${i === 0 ? "" : `  {rate|${percent(s.fromPrevious)}}`}`;
          },
          rich: {
            name: { color: "#8c8c8c", fontSize: 12, lineHeight: 18 },
            users: { color: "#262626", fontSize: 16, fontWeight: 600, lineHeight: 22 },
            rate: { color: "#e02e24", fontSize: 12 },
          },
        },
        labelLine: { length: 16, lineStyle: { color: "#d9d9d9" } },
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
        data: steps.map((s, i) => ({ name: label(s.step), value: s.users, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      },
    ],
  };
}
