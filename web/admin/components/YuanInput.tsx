import { InputNumber } from "antd";
import type { CSSProperties } from "react";

/** "12.34" → 1234, by string arithmetic so no float ever rounds a price; null for anything else. */
export function yuanToFen(text: string | null | undefined): number | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d{0,2}))?\s*$/.exec(text ?? "");
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -fen : fen;
}

/** 1234 → "12.34" (no currency sign: the value of an input, not a label). */
export function fenToYuan(fen: number | null | undefined): string | null {
  if (fen === null || fen === undefined) return null;
  const abs = Math.abs(fen);
  return `${fen < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * A money field: staff type yuan, the form holds integer fen — the unit the API takes — so a form's
 * values go to the API as they are and the API's field errors land on this field.
 */
export function YuanInput(props: { value?: number | null; onChange?: (fen: number | null) => void; min?: number; max?: number; disabled?: boolean; style?: CSSProperties; placeholder?: string; "data-testid"?: string; id?: string }) {
  return (
    <InputNumber<string>
      id={props.id}
      stringMode
      precision={2}
      step="1"
      prefix="¥"
      min={fenToYuan(props.min ?? 0) ?? undefined}
      max={fenToYuan(props.max) ?? undefined}
      disabled={props.disabled}
      placeholder={props.placeholder}
      style={{ width: "100%", ...props.style }}
      data-testid={props["data-testid"]}
      value={fenToYuan(props.value)}
      onChange={(v) => props.onChange?.(yuanToFen(v))}
    />
  );
}
