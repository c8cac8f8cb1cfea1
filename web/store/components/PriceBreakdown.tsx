import type { ReactNode } from "react";
import { useI18n } from "../../shared/i18n";
import { Price } from "./Price";
import type { Adjustment } from "./types";

/**
 * The price breakdown of a checkout or an order: goods, then every adjustment the server applied in its
 * order (shipping, campaign prices, promotions, coupons, member prices, points), then what is paid. The
 * server's own label is the most precise (it names the coupon or promotion); English gets the kind.
 */
export function PriceBreakdown({ itemsTotal, adjustments, payable, payableLabel, testId = "breakdown" }: { itemsTotal: number; adjustments: Adjustment[]; payable: number; payableLabel?: string; testId?: string }) {
  const { t, locale } = useI18n();
  const label = (a: Adjustment) => {
    if (locale !== "en") return a.label;
    const key = `adjustment.${a.type}`;
    const phrase = t(key);
    return phrase === key ? a.label : phrase;
  };
  const row = (name: string, value: ReactNode, rowId?: string) => (
    <div key={rowId ?? name} style={{ display: "flex", justifyContent: "space-between", gap: 12, fontSize: 14, padding: "5px 0" }} data-testid={rowId}>
      <span style={{ color: "#666" }}>{name}</span>
      <span>{value}</span>
    </div>
  );
  const signed = (fen: number) => <Price fen={fen} size="sm" color={fen < 0 ? "var(--store-red)" : "#333"} style={{ fontWeight: 400 }} />;
  return (
    <div data-testid={testId}>
      {row(t("breakdown.items"), signed(itemsTotal), `${testId}-items`)}
      {adjustments.map((a, i) => row(label(a), signed(a.amount), `${testId}-${a.type}-${i}`))}
      <div style={{ borderTop: "1px solid #f0f0f0", marginTop: 6, paddingTop: 6 }}>{row(payableLabel ?? t("breakdown.payable"), <Price fen={payable} size="md" testId={`${testId}-payable`} />)}</div>
    </div>
  );
}
