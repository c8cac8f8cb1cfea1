import { Alert, Button, Card, Drawer, Input, Space, Spin, Table, Tabs, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../../../shared/api";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { useSession } from "../../session";
import { IdText, StatusTag, StoreName, specsText } from "./labels";
import { useWarehouses } from "./lookups";
import Movements from "./Movements";
import StockAdjust from "./StockAdjust";
import StockImport from "./StockImport";
import type { Product, ProductStatus, Sku, StockLevel } from "./types";

/** Stock per SKU per warehouse, found through its product; and (for operators) the whole ledger. */
export default function Stock() {
  const { t } = useI18n();
  const { staff } = useSession();
  const operator = staff?.kind === "operator";
  const [reload, setReload] = useState(0);
  return (
    <Card title={t("nav.stock")} extra={<StockImport onImported={() => setReload((n) => n + 1)} />}>
      <Tabs
        items={[
          { key: "levels", label: t("ops.stock.levels"), children: <Levels reloadKey={reload} /> },
          ...(operator ? [{ key: "ledger", label: <span data-testid="stock-ledger-tab">{t("ops.stock.ledger")}</span>, children: <Ledger /> }] : []),
        ]}
      />
    </Card>
  );
}

function Levels({ reloadKey }: { reloadKey: number }) {
  const { t } = useI18n();
  const [q, setQ] = useState<string>();
  return (
    <>
      <Input.Search allowClear placeholder={t("ops.product.searchHint")} style={{ width: 300, marginBottom: 16 }} onSearch={(v) => setQ(v.trim() || undefined)} data-testid="stock-search" />
      <ServerTable<Product>
        path="/admin/products"
        query={{ q }}
        reloadKey={reloadKey}
        testId="stock-products"
        expandable={{ expandedRowRender: (p) => <ProductStock product={p} />, expandRowByClick: true }}
        columns={[
          { title: t("ops.product.product"), dataIndex: "title" },
          { title: t("ops.product.store"), dataIndex: "merchantId", width: 180, render: (id: string) => <StoreName id={id} /> },
          { title: "SKU", width: 80, align: "right", render: (_, p) => p.skus.length },
          { title: t("common.status"), dataIndex: "status", width: 100, render: (s: ProductStatus) => <StatusTag kind="product" status={s} /> },
        ]}
      />
    </>
  );
}

/** One product's SKUs with their stock in each warehouse, adjustable in place. */
function ProductStock({ product }: { product: Product }) {
  const { t } = useI18n();
  const warehouses = useWarehouses();
  const [levels, setLevels] = useState<Map<string, StockLevel[]> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adjusting, setAdjusting] = useState<Sku | null>(null);
  const [ledger, setLedger] = useState<Sku | null>(null);

  const load = useCallback(async () => {
    try {
      const all = await Promise.all(product.skus.map((s) => api.get<{ levels: StockLevel[] }>("/admin/stock", { skuId: s.id }).then((r) => [s.id, r.levels] as const)));
      setLevels(new Map(all));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }, [product]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!levels) return <Spin />;
  const shown = warehouses.filter((w) => product.skus.some((s) => levels.get(s.id)?.some((l) => l.warehouseId === w.id)) || w.isDefault);
  const levelOf = (skuId: string, warehouseId: string) => levels.get(skuId)?.find((l) => l.warehouseId === warehouseId);

  return (
    <>
      <Table<Sku>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={product.skus}
        data-testid={`stock-skus-${product.id}`}
        columns={[
          {
            title: "SKU",
            render: (_, s) => (
              <>
                {s.code}
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  {specsText(s.specs)}
                </Typography.Text>
                <div>
                  <IdText id={s.id} />
                </div>
              </>
            ),
          },
          ...shown.map((w) => ({
            title: w.name,
            key: w.id,
            render: (_: unknown, s: Sku) => {
              const l = levelOf(s.id, w.id);
              if (!l) return <Typography.Text type="secondary">—</Typography.Text>;
              return (
                <span title={t("ops.stock.levelText", { onHand: l.onHand, reserved: l.reserved, available: l.available })}>
                  <b style={{ color: l.available <= 10 ? "#cf1322" : undefined }}>{l.available}</b>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {" "}
                    {t("ops.stock.cell", { onHand: l.onHand, reserved: l.reserved })}
                  </Typography.Text>
                </span>
              );
            },
          })),
          {
            title: t("common.actions"),
            width: 150,
            render: (_, s) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setAdjusting(s)} data-testid={`stock-adjust-${s.id}`}>
                  {t("ops.stock.adjust")}
                </Button>
                <Button type="link" size="small" onClick={() => setLedger(s)} data-testid={`stock-ledger-${s.id}`}>
                  {t("ops.stock.ledger")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <StockAdjust sku={adjusting} levels={adjusting ? (levels.get(adjusting.id) ?? []) : []} onClose={() => setAdjusting(null)} onSaved={(next) => setLevels(new Map(levels).set(adjusting!.id, next))} />
      <Drawer open={ledger !== null} onClose={() => setLedger(null)} size={900} title={ledger ? `${t("ops.stock.ledger")} · ${ledger.code} ${specsText(ledger.specs)}` : ""} destroyOnHidden>
        {ledger && <Movements skuId={ledger.id} />}
      </Drawer>
    </>
  );
}

function Ledger() {
  const { t } = useI18n();
  const [skuId, setSkuId] = useState<string>();
  const [documentRef, setDocumentRef] = useState<string>();
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search allowClear placeholder={t("ops.stock.skuId")} style={{ width: 300 }} onSearch={(v) => setSkuId(v.trim() || undefined)} />
        <Input.Search allowClear placeholder={t("ops.stock.refSearch")} style={{ width: 240 }} onSearch={(v) => setDocumentRef(v.trim() || undefined)} />
      </Space>
      <Movements skuId={skuId} documentRef={documentRef} showSku />
    </>
  );
}
