import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Dialog from "antd-mobile/es/components/dialog";
import ErrorBlock from "antd-mobile/es/components/error-block";
import InfiniteScroll from "antd-mobile/es/components/infinite-scroll";
import Tabs from "antd-mobile/es/components/tabs";
import Toast from "antd-mobile/es/components/toast";
import { idempotencyKey } from "../../shared/api";
import { shanghaiTime } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { PaySheet } from "../components/PaySheet";
import { Price } from "../components/Price";
import { ProductImage } from "../components/ProductCard";
import { RequireLogin } from "../components/RequireLogin";
import type { Order, OrderSummary, Paged } from "../components/types";
import { useErrorText } from "../components/load";

/** The tabs of 我的订单 and the order status each one lists. */
export const ORDER_TABS = ["all", "pending_payment", "paid", "shipped", "completed"] as const;

export default function Orders() {
  return (
    <RequireLogin>
      <OrdersPage />
    </RequireLogin>
  );
}

function OrdersPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = (ORDER_TABS as readonly string[]).includes(params.get("status") ?? "") ? params.get("status")! : "all";
  return (
    <Page title={t("orders.title")} testId="orders-page">
      <div style={{ position: "sticky", top: 45, zIndex: 40, background: "#fff" }}>
        <Tabs activeKey={tab} onChange={(k) => setParams(k === "all" ? {} : { status: k }, { replace: true })} style={{ "--title-font-size": "14px" }}>
          {ORDER_TABS.map((s) => (
            <Tabs.Tab key={s} title={t(`orders.tab.${s}`)} />
          ))}
        </Tabs>
      </div>
      <OrderList key={tab} status={tab === "all" ? undefined : tab} />
    </Page>
  );
}

function OrderList({ status }: { status?: string }) {
  const { t } = useI18n();
  const [orders, setOrders] = useState<OrderSummary[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const loadMore = async () => {
    const page = await api.get<Paged<OrderSummary>>("/orders", { status, limit: 10, after: cursor ?? undefined });
    setOrders((prev) => [...prev, ...page.items]);
    setCursor(page.nextCursor);
  };
  const replace = (o: OrderSummary) => setOrders((prev) => prev.map((x) => (x.id === o.id ? o : x)));
  return (
    <div>
      {cursor === null && orders.length === 0 && <ErrorBlock status="empty" title={t("orders.empty")} description={<Link to="/">{t("cart.goShopping")}</Link>} style={{ padding: "60px 0" }} />}
      {orders.map((o) => (
        <OrderCard key={o.id} order={o} onChange={replace} />
      ))}
      <InfiniteScroll loadMore={loadMore} hasMore={cursor !== null}>
        {(hasMore) => (hasMore ? <span className="store-muted">{t("feed.loading")}</span> : orders.length > 0 ? <span className="store-muted">{t("feed.end")}</span> : null)}
      </InfiniteScroll>
    </div>
  );
}

/** Confirms receipt (确认收货) after asking, since it starts the after-sales clock. */
export async function confirmReceipt(orderId: string, t: (k: string) => string): Promise<Order | null> {
  const ok = await Dialog.confirm({ content: t("orders.confirmReceiptAsk"), confirmText: t("orders.confirmReceipt"), cancelText: t("orders.notYet") });
  if (!ok) return null;
  const order = await api.post<Order>(`/orders/${orderId}/confirm-receipt`, {}, { idempotencyKey: idempotencyKey() });
  Toast.show({ icon: "success", content: t("orders.received") });
  return order;
}

function OrderCard({ order, onChange }: { order: OrderSummary; onChange(o: OrderSummary): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [paying, setPaying] = useState(false);
  const count = order.items.reduce((n, i) => n + i.qty, 0);
  const first = order.items[0];
  const refresh = async () => onChange(await api.get<Order>(`/orders/${order.id}`));
  return (
    <section className="store-card" data-testid="order-card" data-status={order.status}>
      <div style={{ display: "flex", justifyContent: "space-between", fontSize: 13, marginBottom: 8 }}>
        <span className="store-muted">{shanghaiTime(order.createdAt)}</span>
        <span style={{ color: order.status === "pending_payment" ? "var(--store-red)" : "#333" }} data-testid="order-status">
          {t(`orderStatus.${order.status}`)}
        </span>
      </div>
      <Link to={`/orders/${order.id}`} style={{ display: "flex", gap: 10, color: "inherit", textDecoration: "none" }}>
        {order.items.length > 1 ? (
          <div style={{ display: "flex", gap: 6, flex: 1, overflow: "hidden" }}>
            {order.items.slice(0, 4).map((i, n) => (
              <ProductImage key={n} src={i.image} title={i.title} size={72} />
            ))}
          </div>
        ) : (
          <>
            <ProductImage src={first.image} title={first.title} size={72} />
            <div style={{ flex: 1, minWidth: 0 }}>
              <div className="store-clamp-2" style={{ fontSize: 14 }}>
                {first.title}
              </div>
              <div className="store-muted" style={{ marginTop: 4 }}>
                ×{first.qty}
              </div>
            </div>
          </>
        )}
      </Link>
      <div style={{ textAlign: "right", fontSize: 13, marginTop: 8 }}>
        {t("orders.summary", { n: count })} <Price fen={order.payable} size="sm" />
      </div>
      <div style={{ display: "flex", justifyContent: "flex-end", gap: 8, marginTop: 10 }}>
        <Button size="small" shape="rounded" onClick={() => navigate(`/orders/${order.id}`)}>
          {t("orders.details")}
        </Button>
        {order.status === "pending_payment" && (
          <Button size="small" shape="rounded" color="danger" onClick={() => setPaying(true)} data-testid="order-pay">
            {t("orders.pay")}
          </Button>
        )}
        {(order.status === "shipped" || order.status === "delivered") && (
          <Button
            size="small"
            shape="rounded"
            color="danger"
            fill="outline"
            data-testid="order-confirm-receipt"
            onClick={() =>
              void confirmReceipt(order.id, t).then(
                (o) => o && onChange(o),
                (e) => Toast.show({ content: errorText(e) }),
              )
            }
          >
            {t("orders.confirmReceipt")}
          </Button>
        )}
        {order.status === "completed" && (
          <Button size="small" shape="rounded" color="danger" fill="outline" onClick={() => navigate(`/orders/${order.id}/review`)} data-testid="order-review">
            {t("orders.review")}
          </Button>
        )}
      </div>
      <PaySheet
        orderIds={[order.id]}
        visible={paying}
        onClose={() => setPaying(false)}
        onPaid={() => {
          setPaying(false);
          void refresh();
        }}
      />
    </section>
  );
}
