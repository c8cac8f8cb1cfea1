import { useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Checkbox from "antd-mobile/es/components/checkbox";
import Popup from "antd-mobile/es/components/popup";
import Switch from "antd-mobile/es/components/switch";
import TextArea from "antd-mobile/es/components/text-area";
import Toast from "antd-mobile/es/components/toast";
import { LocationFill, RightOutline } from "antd-mobile-icons";
import { ApiError, idempotencyKey } from "../../shared/api";
import { shanghaiDate, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { AddressForm, addressLine } from "../components/AddressForm";
import { reportCart } from "../components/cartCount";
import { Page } from "../components/Page";
import { PaySheet } from "../components/PaySheet";
import { Price } from "../components/Price";
import { PriceBreakdown } from "../components/PriceBreakdown";
import { ProductImage } from "../components/ProductCard";
import { RequireLogin } from "../components/RequireLogin";
import type { Address, Cart, CheckoutPreview, Coupon, Order, Paged } from "../components/types";
import { LoadState, useErrorText } from "../components/load";

export default function Checkout() {
  return (
    <RequireLogin>
      <CheckoutPage />
    </RequireLogin>
  );
}

/** 确认订单: where it goes, which coupons and points pay part of it, the price breakdown, then pay. */
function CheckoutPage() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const lines = useMemo(() => {
    const sku = params.get("sku");
    return sku ? { items: [{ skuId: sku, qty: Math.max(1, Number(params.get("qty")) || 1) }] } : { fromCart: true };
  }, [params]);
  const [addresses, setAddresses] = useState<Address[] | null>(null);
  const [address, setAddress] = useState<Address | null>(null);
  const [coupons, setCoupons] = useState<Coupon[]>([]);
  const [couponIds, setCouponIds] = useState<string[]>([]);
  const [pointsAvailable, setPointsAvailable] = useState(0);
  const [usePoints, setUsePoints] = useState(false);
  const [note, setNote] = useState("");
  const [preview, setPreview] = useState<CheckoutPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [placing, setPlacing] = useState(false);
  const [placed, setPlaced] = useState<Order[] | null>(null);
  const [sheet, setSheet] = useState<"address" | "coupons" | null>(null);

  useEffect(() => {
    api.get<{ items: Address[] }>("/me/addresses").then((r) => {
      setAddresses(r.items);
      setAddress(r.items.find((a) => a.isDefault) ?? r.items[0] ?? null);
    }, setError);
    void api.get<Paged<Coupon>>("/me/coupons", { state: "usable", limit: 50 }).then((r) => setCoupons(r.items), () => undefined);
    void api.get<{ available: number }>("/me/points").then((r) => setPointsAvailable(r.available), () => undefined);
  }, []);

  const options = { ...lines, couponIds: couponIds.length > 0 ? couponIds : undefined, points: usePoints && pointsAvailable > 0 ? pointsAvailable : undefined };
  const optionsKey = JSON.stringify(options);
  useEffect(() => {
    let live = true;
    api.post<CheckoutPreview>("/checkout/preview", options).then(
      (p) => live && (setPreview(p), setError(null)),
      (e) => {
        if (!live) return;
        // A coupon that does not fit this order is dropped again, with the reason.
        if (e instanceof ApiError && e.status === 422 && couponIds.length > 0 && e.code.startsWith("coupon")) {
          Toast.show({ content: errorText(e) });
          setCouponIds(couponIds.slice(0, -1));
        } else if (e instanceof ApiError && e.code === "insufficient_points") setUsePoints(false);
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [optionsKey]);

  // One key per order body: a double tap or a retried request places the orders once.
  const key = useRef<{ body: string; key: string } | null>(null);
  const place = async () => {
    if (!address || !preview) return;
    const body = { ...options, addressId: address.id, note: note.trim() || undefined };
    const text = JSON.stringify(body);
    if (key.current?.body !== text) key.current = { body: text, key: idempotencyKey() };
    setPlacing(true);
    try {
      const res = await api.post<{ orders: Order[] }>("/orders", body, { idempotencyKey: key.current.key });
      setPlaced(res.orders);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setPlacing(false);
    }
  };
  const leave = () => {
    void api.get<Cart>("/cart").then(reportCart, () => undefined);
    const orders = placed ?? [];
    navigate(orders.length === 1 ? `/orders/${orders[0].id}` : "/orders", { replace: true });
  };

  if (!preview || !addresses) return <Page title={t("checkout.title")}>{<LoadState error={error} />}</Page>;
  const savedPoints = preview.parts.flatMap((p) => p.adjustments).filter((a) => a.type === "points");

  return (
    <Page
      title={t("checkout.title")}
      testId="checkout-page"
      footer={
        <>
          <span style={{ flex: 1, textAlign: "right", fontSize: 14 }}>
            {t("checkout.toPay")} <Price fen={preview.payable} size="lg" testId="checkout-payable" />
          </span>
          <Button color="danger" shape="rounded" disabled={!address || Boolean(placed)} loading={placing} onClick={() => void place()} data-testid="checkout-submit">
            {t("checkout.submit")}
          </Button>
        </>
      }
    >
      {addresses.length === 0 ? (
        <section className="store-card" style={{ padding: "12px 0 0" }} data-testid="checkout-new-address">
          <div style={{ padding: "0 12px", fontWeight: 600 }}>{t("checkout.addAddress")}</div>
          <AddressForm
            onSaved={(a) => {
              setAddresses([a]);
              setAddress(a);
            }}
          />
        </section>
      ) : (
        <section className="store-card" onClick={() => setSheet("address")} style={{ display: "flex", alignItems: "center", gap: 10, cursor: "pointer" }} data-testid="checkout-address">
          <LocationFill fontSize={22} color="var(--store-red)" />
          {address ? (
            <div style={{ flex: 1 }}>
              <div style={{ fontWeight: 600 }}>
                {address.recipient} <span style={{ fontWeight: 400, color: "#666" }}>{address.phone}</span>
              </div>
              <div style={{ fontSize: 13, color: "#666", marginTop: 2 }}>{addressLine(address)}</div>
            </div>
          ) : (
            <div style={{ flex: 1 }}>{t("checkout.chooseAddress")}</div>
          )}
          <RightOutline color="#bbb" />
        </section>
      )}

      {preview.parts.map((part) => (
        <section key={part.merchantId} className="store-card" data-testid="checkout-part">
          {part.lines.map((line) => (
            <div key={line.skuId} style={{ display: "flex", gap: 10, marginBottom: 10 }}>
              <ProductImage src={line.image} title={line.title} size={72} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <div className="store-clamp-2" style={{ fontSize: 14 }}>
                  {line.title}
                </div>
                {Object.keys(line.specs).length > 0 && <div className="store-muted">{Object.values(line.specs).join(" / ")}</div>}
                <div style={{ display: "flex", justifyContent: "space-between", marginTop: 4 }}>
                  <Price fen={line.unitPrice} was={line.listPrice} size="sm" />
                  <span style={{ color: "#666" }}>×{line.qty}</span>
                </div>
              </div>
            </div>
          ))}
          {preview.parts.length > 1 && <PriceBreakdown itemsTotal={part.itemsTotal} adjustments={part.adjustments} payable={part.payable} payableLabel={t("checkout.subtotal")} testId={`part-breakdown-${part.merchantId}`} />}
        </section>
      ))}

      <section className="store-card" style={{ padding: "4px 12px" }}>
        <div onClick={() => setSheet("coupons")} style={{ display: "flex", alignItems: "center", padding: "10px 0", cursor: "pointer", borderBottom: "1px solid #f5f5f5" }} data-testid="checkout-coupons">
          <span style={{ flex: 1 }}>{t("checkout.coupons")}</span>
          <span style={{ color: couponIds.length ? "var(--store-red)" : "#999", fontSize: 13 }}>
            {couponIds.length > 0 ? t("checkout.couponsChosen", { n: couponIds.length }) : coupons.length > 0 ? t("checkout.couponsAvailable", { n: coupons.length }) : t("checkout.noCoupons")}
          </span>
          <RightOutline color="#bbb" />
        </div>
        <div style={{ display: "flex", alignItems: "center", padding: "10px 0", borderBottom: "1px solid #f5f5f5" }}>
          <span style={{ flex: 1 }}>
            {t("checkout.points")}
            <div className="store-muted">
              {pointsAvailable > 0 ? (savedPoints.length > 0 ? savedPoints.map((a) => a.label).join("，") : t("checkout.pointsAvailable", { n: pointsAvailable })) : t("checkout.noPoints")}
            </div>
          </span>
          <Switch checked={usePoints} disabled={pointsAvailable === 0} onChange={setUsePoints} data-testid="checkout-points" />
        </div>
        <div style={{ padding: "10px 0" }}>
          <TextArea value={note} onChange={setNote} placeholder={t("checkout.notePlaceholder")} maxLength={200} autoSize={{ minRows: 1, maxRows: 3 }} data-testid="checkout-note" />
        </div>
      </section>

      <section className="store-card">
        {preview.parts.length > 1 ? (
          // Each store's own adjustments are listed under its goods; here are the checkout's totals.
          <PriceBreakdown
            itemsTotal={preview.itemsTotal}
            adjustments={[
              { type: "shipping", label: t("breakdown.shipping"), amount: preview.shippingFee },
              { type: "discounts", label: t("breakdown.discounts"), amount: -preview.discountTotal },
            ]}
            payable={preview.payable}
          />
        ) : (
          <PriceBreakdown itemsTotal={preview.itemsTotal} adjustments={preview.parts[0].adjustments} payable={preview.payable} />
        )}
      </section>

      <Popup visible={sheet === "address"} onMaskClick={() => setSheet(null)} onClose={() => setSheet(null)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: "80vh", overflowY: "auto" }}>
        <AddressSheet
          addresses={addresses}
          current={address}
          onChoose={(a, list) => {
            setAddresses(list);
            setAddress(a);
            setSheet(null);
          }}
        />
      </Popup>
      <Popup visible={sheet === "coupons"} onMaskClick={() => setSheet(null)} onClose={() => setSheet(null)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: "70vh", overflowY: "auto" }}>
        <div style={{ padding: 16 }} data-testid="coupon-sheet">
          <div style={{ fontWeight: 600, fontSize: 16, marginBottom: 12 }}>{t("checkout.coupons")}</div>
          {coupons.length === 0 && <div className="store-muted">{t("checkout.noCoupons")}</div>}
          {coupons.map((c) => (
            <label key={c.id} style={{ display: "flex", alignItems: "center", gap: 12, padding: 12, marginBottom: 8, borderRadius: 10, background: "#fff5f4", border: "1px solid #ffd6d2" }} data-testid="coupon-option">
              <div style={{ color: "var(--store-red)", fontWeight: 700, fontSize: 18, minWidth: 72 }}>{couponValue(c, t)}</div>
              <div style={{ flex: 1 }}>
                <div style={{ fontWeight: 600 }}>{c.name}</div>
                <div className="store-muted">
                  {c.threshold > 0 ? t("cpn.threshold", { amount: yuan(c.threshold) }) : t("cpn.noThreshold")} · {t("cpn.until", { date: shanghaiDate(c.validUntil) })}
                </div>
              </div>
              <Checkbox checked={couponIds.includes(c.id)} onChange={(on) => setCouponIds(on ? [...couponIds, c.id] : couponIds.filter((x) => x !== c.id))} />
            </label>
          ))}
          <Button block color="danger" shape="rounded" onClick={() => setSheet(null)}>
            {t("checkout.done")}
          </Button>
        </div>
      </Popup>
      <PaySheet orderIds={placed?.map((o) => o.id) ?? []} visible={Boolean(placed)} onClose={leave} onPaid={leave} />
    </Page>
  );
}

/** What a coupon takes off: "¥20", "8.5折", "包邮". */
export function couponValue(c: Coupon, t: (key: string, vars?: Record<string, string | number>) => string): string {
  if (c.kind === "free_shipping") return t("cpn.freeShipping");
  if (c.kind === "percent" && c.percentOff != null) return t("cpn.percent", { n: (100 - c.percentOff) / 10, off: c.percentOff });
  return yuan(c.amount ?? 0);
}

function AddressSheet({ addresses, current, onChoose }: { addresses: Address[]; current: Address | null; onChoose(a: Address, list: Address[]): void }) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  if (adding) return <AddressForm onSaved={(a) => onChoose(a, [a, ...addresses])} />;
  return (
    <div style={{ padding: 16 }} data-testid="address-sheet">
      <div style={{ fontWeight: 600, fontSize: 16, marginBottom: 12 }}>{t("checkout.chooseAddress")}</div>
      {addresses.map((a) => (
        <div key={a.id} onClick={() => onChoose(a, addresses)} style={{ padding: 12, marginBottom: 8, borderRadius: 10, cursor: "pointer", border: current?.id === a.id ? "1.5px solid var(--store-red)" : "1px solid #eee" }} data-testid="address-option">
          <div style={{ fontWeight: 600 }}>
            {a.recipient} <span style={{ fontWeight: 400, color: "#666" }}>{a.phone}</span>
            {a.isDefault && <span style={{ marginLeft: 6, fontSize: 11, color: "var(--store-red)", border: "1px solid var(--store-red)", borderRadius: 3, padding: "0 3px" }}>{t("addresses.default")}</span>}
          </div>
          <div style={{ fontSize: 13, color: "#666", marginTop: 2 }}>{addressLine(a)}</div>
        </div>
      ))}
      <Button block fill="outline" color="danger" shape="rounded" onClick={() => setAdding(true)} data-testid="address-add">
        {t("addresses.add")}
      </Button>
    </div>
  );
}
