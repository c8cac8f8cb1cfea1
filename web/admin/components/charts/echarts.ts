import { BarChart, type BarSeriesOption, FunnelChart, type FunnelSeriesOption, HeatmapChart, type HeatmapSeriesOption, LineChart, type LineSeriesOption, TreeChart, type TreeSeriesOption } from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapContinuousComponent,
  type VisualMapComponentOption,
} from "echarts/components";
import { type ComposeOption, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

/**
 * Only the charts the console draws are registered, so the console's chart chunk carries these and
 * nothing else of ECharts.
 */
use([LineChart, BarChart, FunnelChart, HeatmapChart, TreeChart, GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | FunnelSeriesOption
  | HeatmapSeriesOption
  | TreeSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export { init, type ECharts, type ECElementEvent } from "echarts/core";
