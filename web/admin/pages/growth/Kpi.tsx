import { ArrowDownOutlined, ArrowUpOutlined } from "@ant-design/icons";
import { Card, Skeleton, Typography } from "antd";
import type { ReactNode } from "react";
import { useI18n } from "../../../shared/i18n";

/**
 * One headline number with its change against the period before. `lowerIsBetter` colours a falling
 * cost green and a rising one red.
 */
export function Kpi(props: { id: string; title: string; value: string; current?: number; previous?: number; lowerIsBetter?: boolean; note?: ReactNode; loading?: boolean }) {
  const { t } = useI18n();
  return (
    <Card size="small" style={{ height: "100%" }} styles={{ body: { padding: "14px 16px" } }} data-testid={`kpi-${props.id}`}>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {props.title}
      </Typography.Text>
      {props.loading ? (
        <Skeleton active paragraph={false} title={{ width: "70%" }} />
      ) : (
        <>
          <div data-testid={`kpi-${props.id}-value`} style={{ fontSize: 24, fontWeight: 600, lineHeight: "34px", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>
            {props.value}
          </div>
          <div style={{ fontSize: 12, color: "#8c8c8c", minHeight: 20, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
            {props.note ?? <Change current={props.current} previous={props.previous} lowerIsBetter={props.lowerIsBetter} label={t("growth.kpi.vsPrevious")} />}
          </div>
        </>
      )}
    </Card>
  );
}

function Change({ current, previous, lowerIsBetter, label }: { current?: number; previous?: number; lowerIsBetter?: boolean; label: string }) {
  if (current === undefined || previous === undefined || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  if (previous === 0) return current === 0 ? <span>{label} —</span> : null;
  const change = (current - previous) / Math.abs(previous);
  const good = lowerIsBetter ? change < 0 : change > 0;
  const color = change === 0 ? "#8c8c8c" : good ? "#389e0d" : "#cf1322";
  return (
    <span>
      {label}{" "}
      <span style={{ color }}>
        {change > 0 ? <ArrowUpOutlined /> : change < 0 ? <ArrowDownOutlined /> : null} {Math.abs(change * 100).toFixed(1)}%
      </span>
    </span>
  );
}
