import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, Image, Input, Popconfirm, Select, Space, Tag, TreeSelect, Typography } from "antd";
import { useState } from "react";
import { ApiError } from "../../../shared/api";
import { shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { useSession } from "../../session";
import { IMAGE_FALLBACK, StatusTag, StoreName } from "./labels";
import { useCategories, useMerchants } from "./lookups";
import ProductEditor, { categoryOptions } from "./ProductEditor";
import type { Product, ProductStatus } from "./types";

const STATUSES: ProductStatus[] = ["draft", "on_sale", "off_sale"];
const ROLE_COLORS = { basic: "blue", profit: "magenta", value_added: "purple" } as const;

/** Products of every store (operators) or of one's own store (merchant staff): search, edit, put on and off sale. */
export default function Products() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { staff, can } = useSession();
  const operator = staff?.kind === "operator";
  const merchants = useMerchants(operator && can("admin"));
  const { tree, names } = useCategories();
  const [query, setQuery] = useState<{ q?: string; status?: ProductStatus; categoryId?: string; merchantId?: string }>({});
  const [editing, setEditing] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const setStatus = async (p: Product, status: "on_sale" | "off_sale") => {
    try {
      await api.put(`/admin/products/${p.id}/status`, { status });
      message.success(t(status === "on_sale" ? "ops.product.listed" : "ops.product.delisted"));
      setReload((n) => n + 1);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <Card
      title={t("nav.products")}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="product-create">
          {t("ops.product.new")}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t("ops.product.searchHint")}
          style={{ width: 260 }}
          data-testid="product-search"
          onSearch={(v) => setQuery({ ...query, q: v.trim() || undefined })}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t("common.status")}
          data-testid="product-status-filter"
          options={STATUSES.map((s) => ({ value: s, label: t(`ops.product.status.${s}`) }))}
          onChange={(status?: ProductStatus) => setQuery({ ...query, status })}
        />
        <TreeSelect
          allowClear
          style={{ width: 200 }}
          placeholder={t("ops.product.category")}
          treeData={categoryOptions(tree)}
          treeDefaultExpandAll
          onChange={(categoryId?: string) => setQuery({ ...query, categoryId })}
        />
        {merchants.length > 0 && (
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t("ops.product.store")}
            options={merchants.map((m) => ({ value: m.id, label: m.storeName }))}
            onChange={(merchantId?: string) => setQuery({ ...query, merchantId })}
          />
        )}
      </Space>
      <ServerTable<Product>
        path="/admin/products"
        query={query}
        reloadKey={reload}
        testId="product-table"
        columns={[
          {
            title: t("ops.product.product"),
            render: (_, p) => (
              <Space>
                <Image width={48} height={48} src={p.images[0]} style={{ objectFit: "cover", borderRadius: 4 }} preview={false} fallback={IMAGE_FALLBACK} />
                <div>
                  <div data-testid="product-row-title">{p.title}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {p.subtitle || p.id}
                  </Typography.Text>
                </div>
              </Space>
            ),
          },
          { title: t("ops.product.store"), dataIndex: "merchantId", width: 130, render: (id: string) => <StoreName id={id} /> },
          { title: t("ops.product.category"), dataIndex: "categoryId", width: 100, render: (id: string) => names.get(id) ?? "—" },
          { title: t("ops.product.role"), dataIndex: "role", width: 90, render: (r: Product["role"]) => <Tag color={ROLE_COLORS[r]}>{t(`ops.product.role.${r}`)}</Tag> },
          { title: t("ops.product.priceFrom"), dataIndex: "priceFrom", width: 100, align: "right", render: (fen: number | null) => yuan(fen) },
          { title: "SKU", width: 60, align: "right", render: (_, p) => p.skus.filter((s) => s.status === "active").length },
          { title: t("common.status"), dataIndex: "status", width: 80, render: (s: ProductStatus) => <StatusTag kind="product" status={s} /> },
          { title: t("ops.common.updatedAt"), dataIndex: "updatedAt", width: 160, render: (at: string) => shanghaiTime(at) },
          {
            title: t("common.actions"),
            width: 130,
            render: (_, p) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(p.id)} data-testid={`product-edit-${p.id}`}>
                  {t("common.edit")}
                </Button>
                {p.status === "on_sale" ? (
                  <Popconfirm title={t("ops.product.delistConfirm")} onConfirm={() => setStatus(p, "off_sale")}>
                    <Button type="link" size="small" danger data-testid={`product-delist-${p.id}`}>
                      {t("ops.product.delist")}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button type="link" size="small" onClick={() => void setStatus(p, "on_sale")} data-testid={`product-list-${p.id}`}>
                    {t("ops.product.list")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <ProductEditor id={editing} onClose={() => setEditing(null)} onSaved={() => setReload((n) => n + 1)} />
    </Card>
  );
}
