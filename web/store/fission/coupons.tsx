import type { ReactNode } from "react";
import { shanghaiDate, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";

/** A coupon's terms as both the templates (领券中心) and my coupons carry them. */
export interface CouponTerms {
  /** The store a store coupon works in; null for the platform's coupons. */
  merchantId: string | null;
  name: string;
  kind: "fixed" | "threshold" | "percent" | "free_shipping";
  amount: number;
  percentOff: number | null;
  maxOff: number | null;
  threshold: number;
  scope: "all" | "merchant" | "products" | "categories";
}

export interface CouponTemplate extends CouponTerms {
  id: string;
  perUserLimit: number | null;
  stock: number | null;
  issued: number;
  validFrom: string | null;
  validUntil: string | null;
  validDays: number | null;
  claimable: boolean;
  fissionShares: number | null;
}

export interface MyCoupon extends CouponTerms {
  id: string;
  templateId: string;
  state: "usable" | "locked" | "used" | "expired";
  validFrom: string;
  validUntil: string;
  fission: { required: number; opened: number } | null;
}

/** "¥10" / "8.5折" / "包邮": what the coupon takes off, in big type. */
function Face({ c }: { c: CouponTerms }) {
  const { t } = useI18n();
  if (c.kind === "percent") return <>{t("coupon.discount", { n: (100 - (c.percentOff ?? 0)) / 10 })}</>;
  if (c.kind === "free_shipping") return <>{t("coupon.freeShipping")}</>;
  return <>{yuan(c.amount).replace(".00", "")}</>;
}

/** "满¥99可用" / "无门槛" / "最多减¥20". */
export function useCouponCondition() {
  const { t } = useI18n();
  return (c: CouponTerms) => {
    const parts = [c.threshold > 0 ? t("coupon.minSpend", { amount: yuan(c.threshold) }) : t("coupon.noMinimum")];
    if (c.kind === "percent" && c.maxOff) parts.push(t("coupon.maxOff", { amount: yuan(c.maxOff) }));
    parts.push(t(`coupon.scope.${c.scope === "all" && c.merchantId ? "merchant" : c.scope}`));
    return parts.join(" · ");
  };
}

/** "2026-06-30 前有效" or "领取后 7 天内有效". */
export function useValidity() {
  const { t } = useI18n();
  return (c: { validUntil: string | null; validDays?: number | null }) =>
    c.validUntil ? t("coupon.validUntil", { date: shanghaiDate(c.validUntil) }) : c.validDays ? t("coupon.validDays", { n: c.validDays }) : t("coupon.noExpiry");
}

/** A coupon ticket: the value on the left, terms in the middle, the action on the right. */
export function CouponTicket({ c, sub, action, faded, testId, children }: { c: CouponTerms; sub: string; action?: ReactNode; faded?: boolean; testId?: string; children?: ReactNode }) {
  const condition = useCouponCondition();
  return (
    <div data-testid={testId} style={{ display: "flex", color: "#222", background: "#fff", borderRadius: 10, margin: "10px 12px 0", overflow: "hidden", opacity: faded ? 0.55 : 1 }}>
      <div style={{ width: 96, flex: "none", background: faded ? "#bbb" : "linear-gradient(135deg,#ff6034,#e02e24)", color: "#fff", display: "flex", flexDirection: "column", alignItems: "center", justifyContent: "center", padding: "14px 4px" }}>
        <div style={{ fontSize: 24, fontWeight: 700, whiteSpace: "nowrap" }}>
          <Face c={c} />
        </div>
      </div>
      <div style={{ flex: 1, minWidth: 0, padding: "10px 12px", borderLeft: "1px dashed #f0c8c0" }}>
        <div style={{ fontWeight: 600, fontSize: 15 }}>{c.name}</div>
        <div style={{ color: "#888", fontSize: 12, marginTop: 4 }}>{condition(c)}</div>
        <div style={{ color: "#aaa", fontSize: 11, marginTop: 4 }}>{sub}</div>
        {children}
      </div>
      {action && <div style={{ display: "flex", alignItems: "center", paddingRight: 12 }}>{action}</div>}
    </div>
  );
}
