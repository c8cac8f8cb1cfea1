import { Button, Card, Image, Input, Space, Tabs, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { ServerTable } from "../../components/ServerTable";
import { useSession } from "../../session";
import { IMAGE_FALLBACK, MONO, StatusTag, StoreName } from "./labels";
import OrderDrawer from "./OrderDrawer";
import type { OrderStatus, OrderSummary } from "./types";

export const ORDER_STATUSES: OrderStatus[] = ["pending_payment", "paid", "partially_shipped", "shipped", "delivered", "completed", "cancelled", "closed"];

/** Orders by state, searched by number, buyer phone, recipient or item; the open order lives in the URL (`?order=`). */
export default function Orders() {
  const { t } = useI18n();
  const { staff } = useSession();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<OrderStatus | "all">("all");
  const [q, setQ] = useState<string>();
  const [reload, setReload] = useState(0);
  const open = params.get("order");
  const openOrder = (id: string | null) => setParams(id ? { order: id } : {});

  return (
    <Card title={t("nav.orders")}>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Tabs
          activeKey={status}
          onChange={(k) => setStatus(k as OrderStatus | "all")}
          items={[{ key: "all", label: t("ops.common.all") }, ...ORDER_STATUSES.map((s) => ({ key: s, label: t(`ops.order.status.${s}`) }))]}
          data-testid="order-status-tabs"
        />
        <Input.Search allowClear placeholder={t("ops.order.searchHint")} style={{ width: 340 }} onSearch={(v) => setQ(v.trim() || undefined)} data-testid="order-search" />
      </Space>
      <ServerTable<OrderSummary>
        path="/admin/orders"
        query={{ status: status === "all" ? undefined : status, q }}
        reloadKey={reload}
        testId="order-table"
        onRow={(o) => ({ onDoubleClick: () => openOrder(o.id) })}
        columns={[
          { title: t("ops.order.number"), dataIndex: "id", width: 250, render: (id: string) => <Typography.Text style={MONO}>{id}</Typography.Text> },
          {
            title: t("ops.order.items"),
            render: (_, o) => (
              <Space>
                <Image width={40} height={40} src={o.items[0]?.image ?? undefined} preview={false} fallback={IMAGE_FALLBACK} style={{ objectFit: "cover", borderRadius: 4 }} />
                <div>
                  <div>{o.items[0]?.title ?? "—"}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("ops.order.pieces", { n: o.items.reduce((n, i) => n + i.qty, 0) })}
                    {o.items.length > 1 ? ` · ${t("ops.order.lines", { n: o.items.length })}` : ""}
                  </Typography.Text>
                </div>
              </Space>
            ),
          },
          { title: t("ops.order.recipient"), dataIndex: "recipient", width: 90 },
          ...(staff?.kind === "operator" ? [{ title: t("ops.product.store"), dataIndex: "merchantId", width: 130, render: (id: string) => <StoreName id={id} /> }] : []),
          { title: t("ops.order.payable"), dataIndex: "payable", width: 100, align: "right" as const, render: (fen: number) => yuan(fen) },
          { title: t("common.status"), dataIndex: "status", width: 90, render: (s: OrderStatus) => <StatusTag kind="order" status={s} /> },
          { title: t("common.createdAt"), dataIndex: "createdAt", width: 160, render: (at: string) => shanghaiTime(at) },
          {
            title: t("common.actions"),
            width: 70,
            render: (_, o) => (
              <Button type="link" size="small" onClick={() => openOrder(o.id)} data-testid={`order-open-${o.id}`}>
                {t("ops.common.detail")}
              </Button>
            ),
          },
        ]}
      />
      <OrderDrawer id={open} onClose={() => openOrder(null)} onChanged={() => setReload((n) => n + 1)} />
    </Card>
  );
}
