import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Dialog from "antd-mobile/es/components/dialog";
import Steps from "antd-mobile/es/components/steps";
import Toast from "antd-mobile/es/components/toast";
import { LocationFill, TruckOutline } from "antd-mobile-icons";
import { idempotencyKey } from "../../shared/api";
import { shanghaiTime } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { addressLine } from "../components/AddressForm";
import { LiveCountdown } from "../components/serverClock";
import { Page } from "../components/Page";
import { PaySheet } from "../components/PaySheet";
import { Price } from "../components/Price";
import { PriceBreakdown } from "../components/PriceBreakdown";
import { ProductImage } from "../components/ProductCard";
import { RequireLogin } from "../components/RequireLogin";
import type { Order, Shipment } from "../components/types";
import { LoadState, useErrorText, useLoad } from "../components/load";
import { confirmReceipt } from "./Orders";

export default function OrderDetail() {
  return (
    <RequireLogin>
      <OrderDetailPage />
    </RequireLogin>
  );
}

/** Statuses after payment and before a full refund: the goods can still be asked about (售后). */
const AFTERSALE_OPEN = new Set(["paid", "partially_shipped", "shipped", "delivered", "completed"]);

/** 订单详情: status, address, parcels with tracking, items, the price breakdown and the order's timeline. */
function OrderDetailPage() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { data: order, error, setData } = useLoad(() => api.get<Order>(`/orders/${id}`), [id]);
  const { data: shipments } = useLoad(() => api.get<Shipment[]>(`/orders/${id}/shipments`), [id, order?.status]);
  const [paying, setPaying] = useState(false);
  if (!order) return <Page title={t("orderDetail.title")}>{<LoadState error={error} />}</Page>;

  const act = async (run: () => Promise<Order | null>) => {
    try {
      const next = await run();
      if (next) setData(next);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const cancel = async () => {
    if (!(await Dialog.confirm({ content: t("orderDetail.cancelAsk"), confirmText: t("orderDetail.cancel"), cancelText: t("orders.notYet") }))) return null;
    return api.post<Order>(`/orders/${order.id}/cancel`, {}, { idempotencyKey: idempotencyKey() });
  };
  // A held order (a group buy still forming) takes no request: a failed team is refunded automatically.
  const canAfterSale = AFTERSALE_OPEN.has(order.status) && !order.fulfilmentHold && order.items.some((i) => i.refundedQty < i.qty);
  const actions = [
    order.status === "pending_payment" && (
      <Button key="cancel" shape="rounded" onClick={() => void act(cancel)} data-testid="order-cancel">
        {t("orderDetail.cancel")}
      </Button>
    ),
    canAfterSale && (
      <Button key="aftersale" shape="rounded" onClick={() => navigate(`/orders/${order.id}/aftersales`)} data-testid="order-aftersale">
        {t("orderDetail.aftersale")}
      </Button>
    ),
    order.status === "completed" && (
      <Button key="review" shape="rounded" color="danger" fill="outline" onClick={() => navigate(`/orders/${order.id}/review`)} data-testid="order-review">
        {t("orders.review")}
      </Button>
    ),
    (order.status === "shipped" || order.status === "delivered") && (
      <Button key="receive" shape="rounded" color="danger" onClick={() => void act(() => confirmReceipt(order.id, t))} data-testid="order-confirm-receipt">
        {t("orders.confirmReceipt")}
      </Button>
    ),
    order.status === "pending_payment" && (
      <Button key="pay" shape="rounded" color="danger" onClick={() => setPaying(true)} data-testid="order-pay">
        {t("orders.pay")}
      </Button>
    ),
  ].filter(Boolean);

  return (
    <Page title={t("orderDetail.title")} testId="order-detail" footer={actions.length > 0 ? <div style={{ flex: 1, display: "flex", justifyContent: "flex-end", gap: 8 }}>{actions}</div> : undefined}>
      <section style={{ background: "linear-gradient(120deg,#e02e24,#ff6a3d)", color: "#fff", padding: "18px 16px 22px" }} data-testid="order-status-banner">
        <div style={{ fontSize: 20, fontWeight: 700 }} data-testid="order-status">
          {t(`orderStatus.${order.status}`)}
        </div>
        <div style={{ fontSize: 13, marginTop: 6, opacity: 0.92 }}>
          {order.status === "pending_payment" && order.expiresAt ? (
            <>
              {t("orderDetail.payWithin")} <LiveCountdown until={order.expiresAt} style={{ fontWeight: 600 }} />
            </>
          ) : order.status === "paid" && order.fulfilmentHold ? (
            t("orderDetail.onHold")
          ) : (
            t(`orderDetail.hint.${order.status}`)
          )}
        </div>
      </section>

      {(shipments ?? []).map((s) => (
        <section key={s.id} className="store-card" data-testid="order-shipment">
          <div style={{ display: "flex", alignItems: "center", gap: 8, fontWeight: 600 }}>
            <TruckOutline fontSize={20} color="var(--store-red)" />
            {s.carrier.name} <span style={{ fontWeight: 400, color: "#666", fontSize: 13 }}>{s.trackingNo}</span>
          </div>
          {s.events.length > 0 ? (
            <Steps direction="vertical" current={0} style={{ "--title-font-size": "13px", "--description-font-size": "12px", marginTop: 6 }}>
              {[...s.events].reverse().map((e, i) => (
                <Steps.Step key={i} title={e.description} description={`${shanghaiTime(e.at)}${e.location ? ` · ${e.location}` : ""}`} status={i === 0 ? "process" : "wait"} />
              ))}
            </Steps>
          ) : (
            <div className="store-muted" style={{ marginTop: 6 }}>
              {t("orderDetail.shippedAt", { time: shanghaiTime(s.createdAt) })}
            </div>
          )}
        </section>
      ))}

      <section className="store-card" style={{ display: "flex", gap: 10 }}>
        <LocationFill fontSize={20} color="var(--store-red)" />
        <div>
          <div style={{ fontWeight: 600 }}>
            {order.address.recipient} <span style={{ fontWeight: 400, color: "#666" }}>{order.address.phone}</span>
          </div>
          <div style={{ fontSize: 13, color: "#666", marginTop: 2 }}>{addressLine(order.address)}</div>
        </div>
      </section>

      <section className="store-card">
        {order.items.map((item) => (
          <div key={item.id} style={{ display: "flex", gap: 10, marginBottom: 10 }} data-testid="order-item">
            <Link to={`/products/${item.productId}`}>
              <ProductImage src={item.image} title={item.title} size={72} />
            </Link>
            <div style={{ flex: 1, minWidth: 0 }}>
              <div className="store-clamp-2" style={{ fontSize: 14 }}>
                {item.title}
              </div>
              {Object.keys(item.specs).length > 0 && <div className="store-muted">{Object.values(item.specs).join(" / ")}</div>}
              <div style={{ display: "flex", justifyContent: "space-between", marginTop: 4 }}>
                <Price fen={item.unitPrice} size="sm" />
                <span style={{ color: "#666" }}>×{item.qty}</span>
              </div>
              {item.refundedQty > 0 && <div style={{ fontSize: 12, color: "var(--store-orange)" }}>{t("orderDetail.refundedQty", { n: item.refundedQty })}</div>}
            </div>
          </div>
        ))}
        <PriceBreakdown itemsTotal={order.itemsTotal} adjustments={order.adjustments} payable={order.payable} payableLabel={t(order.paidAt ? "orderDetail.paid" : "breakdown.payable")} />
        {order.refundedAmount > 0 && (
          <div style={{ display: "flex", justifyContent: "space-between", fontSize: 14, paddingTop: 6 }}>
            <span style={{ color: "#666" }}>{t("orderDetail.refunded")}</span>
            <Price fen={order.refundedAmount} size="sm" color="var(--store-orange)" />
          </div>
        )}
      </section>

      <section className="store-card" style={{ fontSize: 13, color: "#666", lineHeight: 2 }}>
        <div>
          {t("orderDetail.number")}: <span data-testid="order-id">{order.id}</span>
        </div>
        <div>
          {t("orderDetail.createdAt")}: {shanghaiTime(order.createdAt)}
        </div>
        {order.paidAt && (
          <div>
            {t("orderDetail.paidAt")}: {shanghaiTime(order.paidAt)}
          </div>
        )}
        {order.note && (
          <div>
            {t("orderDetail.note")}: {order.note}
          </div>
        )}
      </section>

      <section className="store-card" data-testid="order-timeline">
        <div className="store-section-title">{t("orderDetail.timeline")}</div>
        <Steps direction="vertical" current={order.timeline.length - 1} style={{ "--title-font-size": "14px", "--description-font-size": "12px" }}>
          {order.timeline.map((e, i) => (
            <Steps.Step key={i} title={t(`orderEvent.${e.event}`)} description={`${shanghaiTime(e.at)}${e.note ? ` · ${e.note}` : ""}`} status="finish" />
          ))}
        </Steps>
      </section>

      <PaySheet
        orderIds={[order.id]}
        visible={paying}
        onClose={() => setPaying(false)}
        onPaid={() => {
          setPaying(false);
          void api.get<Order>(`/orders/${order.id}`).then(setData);
        }}
      />
    </Page>
  );
}
