import { Empty, Spin } from "antd";
import { type CSSProperties, type ReactNode, useEffect, useRef } from "react";
import { type ChartOption, type ECElementEvent, type ECharts, init } from "./echarts";
import { FONT, PALETTE } from "./palette";

export interface EChartProps {
  option: ChartOption;
  height?: number | string;
  /** No data to draw: a friendly empty state replaces the chart. */
  empty?: boolean;
  emptyText?: ReactNode;
  loading?: boolean;
  onClick?: (event: ECElementEvent) => void;
  /** Options merge into the drawn chart instead of replacing it (keeps a tree's zoom and expanded nodes). */
  merge?: boolean;
  testId?: string;
  style?: CSSProperties;
}

/**
 * One ECharts instance in a div: created on mount, disposed on unmount, resized with the window and
 * with its container (the menu collapsing changes the width without a window resize).
 */
export function EChart(props: EChartProps) {
  const height = props.height ?? 320;
  if (props.empty && !props.loading) {
    return (
      <div data-testid={props.testId} data-empty="true" style={{ height, display: "flex", alignItems: "center", justifyContent: "center", ...props.style }}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.emptyText} />
      </div>
    );
  }
  return (
    <Spin spinning={!!props.loading} delay={200}>
      <Canvas {...props} height={height} />
    </Spin>
  );
}

function Canvas({ option, height, onClick, merge, testId, style }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const c = init(box.current!, undefined, { renderer: "canvas" });
    chart.current = c;
    c.on("click", (e) => click.current?.(e as ECElementEvent));
    const resize = () => c.resize();
    window.addEventListener("resize", resize);
    const observer = new ResizeObserver(resize);
    observer.observe(box.current!);
    return () => {
      window.removeEventListener("resize", resize);
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, textStyle: { fontFamily: FONT }, ...option }, { notMerge: !merge, lazyUpdate: true });
  }, [option, merge]);

  return <div ref={box} data-testid={testId} style={{ height, width: "100%", ...style }} />;
}
