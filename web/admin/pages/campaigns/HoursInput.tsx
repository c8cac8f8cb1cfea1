import { InputNumber } from "antd";
import { useI18n } from "../../../shared/i18n";

/** A duration the API counts in minutes, typed in hours (0.5 = 30 minutes). */
export function HoursInput(props: { value?: number; onChange?: (minutes: number | null) => void; min?: number; max?: number; "data-testid"?: string }) {
  const { t } = useI18n();
  return (
    <InputNumber<number>
      data-testid={props["data-testid"]}
      value={props.value === undefined ? undefined : Math.round((props.value / 60) * 100) / 100}
      onChange={(hours) => props.onChange?.(hours === null ? null : Math.round(hours * 60))}
      min={props.min === undefined ? undefined : props.min / 60}
      max={props.max === undefined ? undefined : props.max / 60}
      step={1}
      suffix={t("campaigns.unit.hours")}
      style={{ width: "100%" }}
    />
  );
}
