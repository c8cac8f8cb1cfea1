import { Alert, App, Button, Card, Descriptions, Drawer, Empty, Image, Space, Spin, Table, Timeline, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { ApiError, idempotencyKey } from "../../../shared/api";
import { shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { useSession } from "../../session";
import { IdText, IMAGE_FALLBACK, StatusTag, StoreName, specsText, usePhraseOr } from "./labels";
import ShipModal from "./ShipModal";
import TextModal from "./TextModal";
import TrackingModal from "./TrackingModal";
import type { Order, OrderItem, Payment, Refund, Shipment } from "./types";

interface Detail {
  order: Order;
  shipments: Shipment[];
  payment: Payment | null;
  refunds: Refund[];
}

/** Everything about one order: lines, the price breakdown, payment, parcels and every step it went through. */
export default function OrderDrawer({ id, onClose, onChanged }: { id: string | null; onClose(): void; onChanged(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { staff, can } = useSession();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shipping, setShipping] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [tracking, setTracking] = useState<string | null>(null);
  const finance = staff?.kind === "operator" && can("finance");
  const phraseOr = usePhraseOr();

  const load = useCallback(async () => {
    if (!id) return;
    setError(null);
    try {
      const [order, shipments] = await Promise.all([api.get<Order>(`/admin/orders/${id}`), api.get<Shipment[]>(`/admin/orders/${id}/shipments`)]);
      const [payment, refunds] = finance
        ? await Promise.all([
            order.paymentId ? api.get<Payment>(`/admin/payments/${order.paymentId}`) : Promise.resolve(null),
            api.get<{ items: Refund[] }>("/admin/refunds", { orderId: id, limit: 50 }).then((r) => r.items),
          ])
        : [null, []];
      setDetail({ order, shipments, payment, refunds });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }, [id, finance]);

  useEffect(() => {
    setDetail(null);
    void load();
  }, [load]);

  const changed = () => {
    void load();
    onChanged();
  };

  const order = detail?.order;
  const shipped = new Map<string, number>();
  for (const s of detail?.shipments ?? []) for (const i of s.items) shipped.set(i.orderItemId, (shipped.get(i.orderItemId) ?? 0) + i.qty);
  const canShip = order && (order.status === "paid" || order.status === "partially_shipped") && !order.fulfilmentHold;
  const canCancel = order?.status === "pending_payment" && staff?.kind === "operator";

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={960}
      title={
        <Space>
          {t("ops.order.detail")}
          {order && (
            <span data-testid="order-drawer-status">
              <StatusTag kind="order" status={order.status} />
            </span>
          )}
        </Space>
      }
      extra={
        order && (
          <Space>
            {canCancel && (
              <Button danger onClick={() => setCancelling(true)} data-testid="order-cancel">
                {t("ops.order.cancel")}
              </Button>
            )}
            {canShip && (
              <Button type="primary" onClick={() => setShipping(true)} data-testid="order-ship">
                {t("ops.order.ship")}
              </Button>
            )}
          </Space>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!order && !error && <Spin style={{ display: "block", margin: 48 }} />}
      {order && detail && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }} data-testid="order-detail">
          {order.fulfilmentHold && <Alert type="warning" showIcon title={t("ops.order.held", { reason: order.fulfilmentHold })} />}
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t("ops.order.number")}>
              <IdText id={order.id} />
            </Descriptions.Item>
            <Descriptions.Item label={t("ops.product.store")}>
              <StoreName id={order.merchantId} />
            </Descriptions.Item>
            <Descriptions.Item label={t("ops.order.buyer")}>
              <IdText id={order.userId} />
            </Descriptions.Item>
            <Descriptions.Item label={t("ops.order.channel")}>
              {order.channel}
              {order.campaign && ` · ${t(`ops.order.campaign.${order.campaign.type}`)}`}
            </Descriptions.Item>
            <Descriptions.Item label={t("common.createdAt")}>{shanghaiTime(order.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t("ops.order.paidAt")}>{order.status === "pending_payment" ? t("ops.order.payBy", { at: shanghaiTime(order.expiresAt) }) : shanghaiTime(order.paidAt)}</Descriptions.Item>
            <Descriptions.Item label={t("ops.order.recipient")}>
              {order.address.recipient} {order.address.phone}
            </Descriptions.Item>
            <Descriptions.Item label={t("ops.order.address")}>
              {order.address.province}
              {order.address.city}
              {order.address.district} {order.address.detail}
            </Descriptions.Item>
            {order.note && (
              <Descriptions.Item label={t("ops.order.note")} span={2}>
                {order.note}
              </Descriptions.Item>
            )}
          </Descriptions>

          <Card size="small" title={t("ops.order.items")}>
            <ItemsTable items={order.items} shipped={shipped} />
            <PriceBreakdown order={order} />
          </Card>

          <Card size="small" title={t("ops.order.payment")}>
            <PaymentPart order={order} payment={detail.payment} refunds={detail.refunds} finance={finance} />
          </Card>

          <Card size="small" title={t("ops.order.shipments")}>
            {detail.shipments.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("ops.order.noShipments")} />
            ) : (
              detail.shipments.map((s) => <ShipmentPart key={s.id} shipment={s} items={order.items} onTrack={() => setTracking(s.id)} />)
            )}
          </Card>

          <Card size="small" title={t("ops.order.timeline")}>
            <Timeline
              data-testid="order-timeline"
              items={order.timeline.map((e) => ({
                color: e.to === "cancelled" || e.to === "closed" ? "gray" : "blue",
                title: shanghaiTime(e.at),
                content: (
                  <>
                    <b>{t(`ops.order.event.${e.event}`)}</b> → {t(`ops.order.status.${e.to}`)}
                    <div style={{ color: "#888", fontSize: 12 }}>
                      {phraseOr(`ops.actor.${e.actorKind}`, e.actorKind)}
                      {e.note ? ` · ${e.note}` : ""}
                    </div>
                  </>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
      {order && <ShipModal order={order} shipped={shipped} open={shipping} onClose={() => setShipping(false)} onShipped={changed} />}
      <TrackingModal shipmentId={tracking} onClose={() => setTracking(null)} onAdded={changed} />
      <TextModal
        open={cancelling}
        title={t("ops.order.cancel")}
        label={t("ops.order.cancelReason")}
        field="reason"
        required
        maxLength={200}
        danger
        testId="order-cancel"
        onClose={() => setCancelling(false)}
        onSubmit={async (body) => {
          await api.post(`/admin/orders/${order!.id}/cancel`, body, { idempotencyKey: idempotencyKey() });
          message.success(t("ops.order.cancelled"));
          changed();
        }}
      />
    </Drawer>
  );
}

function ItemsTable({ items, shipped }: { items: OrderItem[]; shipped: Map<string, number> }) {
  const { t } = useI18n();
  return (
    <Table<OrderItem>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={items}
      columns={[
        {
          title: t("ops.order.item"),
          render: (_, i) => (
            <Space>
              <Image width={40} height={40} src={i.image ?? undefined} fallback={IMAGE_FALLBACK} style={{ objectFit: "cover", borderRadius: 4 }} />
              <div>
                {i.title}
                <div style={{ color: "#888", fontSize: 12 }}>{specsText(i.specs)}</div>
              </div>
            </Space>
          ),
        },
        {
          title: t("ops.order.unitPrice"),
          width: 120,
          align: "right",
          render: (_, i) => (
            <>
              {yuan(i.unitPrice)}
              {i.listPrice !== i.unitPrice && <div style={{ color: "#aaa", textDecoration: "line-through", fontSize: 12 }}>{yuan(i.listPrice)}</div>}
            </>
          ),
        },
        { title: t("ops.order.qty"), dataIndex: "qty", width: 60, align: "right" },
        { title: t("ops.order.shippedQty"), width: 70, align: "right", render: (_, i) => shipped.get(i.id) ?? 0 },
        { title: t("ops.order.refundedQty"), dataIndex: "refundedQty", width: 70, align: "right" },
        { title: t("ops.order.lineTotal"), dataIndex: "lineTotal", width: 110, align: "right", render: (fen: number) => yuan(fen) },
      ]}
    />
  );
}

/** Items total, then each adjustment in the order checkout applied it, then what the buyer pays. */
function PriceBreakdown({ order }: { order: Order }) {
  const { t } = useI18n();
  const row = (label: string, amount: string, strong = false, testId?: string) => (
    <div style={{ display: "flex", justifyContent: "flex-end", gap: 24, padding: "2px 0", fontWeight: strong ? 600 : undefined }} data-testid={testId}>
      <span style={{ color: strong ? undefined : "#666" }}>{label}</span>
      <span style={{ width: 110, textAlign: "right" }}>{amount}</span>
    </div>
  );
  return (
    <div style={{ marginTop: 12 }} data-testid="order-price-breakdown">
      {row(t("ops.order.itemsTotal"), yuan(order.itemsTotal))}
      {order.adjustments.map((a, i) => (
        <div key={i}>{row(a.label, `${a.amount > 0 ? "+" : ""}${yuan(a.amount)}`)}</div>
      ))}
      {row(t("ops.order.payable"), yuan(order.payable), true, "order-payable")}
      {order.refundedAmount > 0 && row(t("ops.order.refunded"), `-${yuan(order.refundedAmount)}`)}
    </div>
  );
}

function PaymentPart({ order, payment, refunds, finance }: { order: Order; payment: Payment | null; refunds: Refund[]; finance: boolean }) {
  const { t } = useI18n();
  if (!order.paymentId) return <Typography.Text type="secondary">{t("ops.order.unpaid")}</Typography.Text>;
  if (!finance || !payment) {
    return (
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t("ops.order.paymentNo")}>
          <IdText id={order.paymentId} />
        </Descriptions.Item>
        <Descriptions.Item label={t("ops.order.paidAt")}>{shanghaiTime(order.paidAt)}</Descriptions.Item>
      </Descriptions>
    );
  }
  return (
    <>
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t("ops.order.paymentNo")}>
          <IdText id={payment.id} />
        </Descriptions.Item>
        <Descriptions.Item label={t("common.status")}>
          <StatusTag kind="payment" status={payment.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t("ops.order.provider")}>{t(`ops.payment.provider.${payment.provider}`)}</Descriptions.Item>
        <Descriptions.Item label={t("ops.order.paymentAmount")}>{yuan(payment.amount)}</Descriptions.Item>
        <Descriptions.Item label={t("ops.order.paidAt")}>{shanghaiTime(payment.paidAt)}</Descriptions.Item>
      </Descriptions>
      {refunds.length > 0 && (
        <Table<Refund>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={refunds}
          style={{ marginTop: 8 }}
          columns={[
            { title: t("ops.order.refundNo"), dataIndex: "id", render: (v: string) => <IdText id={v} /> },
            { title: t("ops.order.refundAmount"), dataIndex: "amount", align: "right", render: (fen: number) => yuan(fen) },
            { title: t("common.status"), dataIndex: "status", render: (s: string) => <StatusTag kind="refund" status={s} /> },
            { title: t("common.createdAt"), dataIndex: "createdAt", render: (at: string) => shanghaiTime(at) },
          ]}
        />
      )}
    </>
  );
}

function ShipmentPart({ shipment, items, onTrack }: { shipment: Shipment; items: OrderItem[]; onTrack(): void }) {
  const { t } = useI18n();
  return (
    <div style={{ borderBottom: "1px solid #f0f0f0", paddingBottom: 12, marginBottom: 12 }} data-testid="shipment">
      <Space style={{ width: "100%", justifyContent: "space-between" }}>
        <Space>
          <b>{shipment.carrier.name}</b>
          <IdText id={shipment.trackingNo} />
          <StatusTag kind="shipment" status={shipment.status} />
          <Typography.Text type="secondary">{shanghaiTime(shipment.createdAt)}</Typography.Text>
        </Space>
        {shipment.status !== "delivered" && (
          <Button size="small" onClick={onTrack} data-testid={`shipment-track-${shipment.id}`}>
            {t("ops.tracking.add")}
          </Button>
        )}
      </Space>
      <div style={{ margin: "6px 0", color: "#555" }}>
        {shipment.items.map((i) => `${items.find((x) => x.id === i.orderItemId)?.title ?? i.skuId} ×${i.qty}`).join("；")}
      </div>
      {shipment.events.length > 0 && (
        <Timeline
          style={{ marginTop: 8 }}
          items={[...shipment.events].reverse().map((e) => ({
            title: shanghaiTime(e.at),
            content: `${t(`ops.tracking.status.${e.status}`)} · ${e.location ? `${e.location} · ` : ""}${e.description}`,
          }))}
        />
      )}
    </div>
  );
}
