import { InputNumber, type InputNumberProps } from "antd";

/** Amounts are typed in yuan and travel as integer fen: 29.9 → 2990 (rounded, so 0.1 + 0.2 never leaks). */
export const toFen = (yuan: number) => Math.round(yuan * 100);
export const toYuan = (fen: number) => fen / 100;

/** Basis points typed as a percentage with two decimals: 12.5 (%) → 1250. */
export const toBp = (percent: number) => Math.round(percent * 100);
export const bpToPercent = (bp: number) => bp / 100;

/**
 * A price rule the API also holds (a campaign never sells above the SKU's own price), checked as the
 * operator types so the message comes in their language.
 */
export function withinListPrice(listPrice: number | undefined, message: string) {
  return {
    validator: (_: unknown, value: number | null | undefined) =>
      value === null || value === undefined || listPrice === undefined || toFen(value) <= listPrice ? Promise.resolve() : Promise.reject(new Error(message)),
  };
}

export function YuanInput(props: Omit<InputNumberProps<number>, "precision" | "prefix">) {
  return <InputNumber<number> min={0} step={1} precision={2} prefix="¥" style={{ width: "100%" }} {...props} />;
}

export function PercentInput(props: Omit<InputNumberProps<number>, "precision" | "suffix">) {
  return <InputNumber<number> min={0} max={100} precision={2} suffix="%" style={{ width: "100%" }} {...props} />;
}
