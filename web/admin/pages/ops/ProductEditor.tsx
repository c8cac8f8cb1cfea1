import { Alert, App, Button, Card, Col, Drawer, Form, Input, Radio, Row, Select, Space, Spin, Switch, TreeSelect } from "antd";
import { useEffect, useState } from "react";
import { ApiError } from "../../../shared/api";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { clearApiErrorsOnChange, showApiErrors } from "../../components/forms";
import { useSession } from "../../session";
import { forget, useCategories, useMerchants } from "./lookups";
import ProductImages from "./ProductImages";
import { type SkuRow, type SpecDimension, dimensionsOf, regrid } from "./sku-grid";
import SkuTable from "./SkuTable";
import type { CategoryNode, Product, ProductRole, Sku } from "./types";

interface Values {
  merchantId?: string;
  categoryId?: string;
  title: string;
  subtitle: string;
  description: string;
  role: ProductRole;
  afterSaleExempt: boolean;
  tags: string[];
  images: string[];
  skus: SkuRow[];
}

const PRODUCT_FIELDS = ["categoryId", "title", "subtitle", "description", "images", "role", "afterSaleExempt", "tags"] as const;
const ROLES: ProductRole[] = ["basic", "profit", "value_added"];

interface CategoryOption {
  title: string;
  value: string;
  children: CategoryOption[];
}

export const categoryOptions = (nodes: CategoryNode[]): CategoryOption[] => nodes.map((n) => ({ title: n.name, value: n.id, children: categoryOptions(n.children) }));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Creates a product with its SKUs, or edits one: the product's fields in one PATCH, then each changed
 * SKU by its own PATCH and each new spec combination by a POST. An error lands on the field it names,
 * in the row of the SKU it is about.
 */
export default function ProductEditor({ id, onClose, onSaved }: { id: string | "new" | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { staff, can } = useSession();
  const [form] = Form.useForm<Values>();
  const { tree } = useCategories();
  const operator = staff?.kind === "operator";
  const merchants = useMerchants(operator && can("admin"));
  const [original, setOriginal] = useState<Product | null>(null);
  const [dims, setDims] = useState<SpecDimension[]>([]);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const creating = id === "new";
  const bundle = original?.kind === "bundle";

  useEffect(() => {
    if (id === null) return;
    form.resetFields();
    setFormError(null);
    setOriginal(null);
    if (id === "new") {
      setDims([]);
      form.setFieldsValue({ title: "", subtitle: "", description: "", role: "basic", afterSaleExempt: false, tags: [], images: [], skus: regrid([], []) });
      return;
    }
    setLoading(true);
    api
      .get<Product>(`/admin/products/${id}`)
      .then((p) => {
        setOriginal(p);
        setDims(dimensionsOf(p.skus));
        form.setFieldsValue({ ...p, skus: p.skus.map((s) => ({ id: s.id, specs: s.specs, code: s.code, price: s.price, weightGrams: s.weightGrams, status: s.status })) });
      })
      .catch((e) => setFormError(e instanceof ApiError ? e.message : String(e)))
      .finally(() => setLoading(false));
  }, [id, form]);

  const changeDims = (next: SpecDimension[]) => {
    setDims(next);
    form.setFieldValue("skus", regrid(form.getFieldValue("skus") ?? [], next));
  };

  const save = async () => {
    setFormError(null);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    // Rows carry more than their inputs (a SKU's id and specs), so the whole store is read.
    const values = form.getFieldsValue(true) as Values;
    setSaving(true);
    try {
      if (creating) await create(values);
      else await update(values);
      message.success(t("common.saved"));
      onSaved();
      onClose();
    } catch (err) {
      setFormError(err instanceof RowError ? showApiErrors(form, onCode(err.error), { prefix: ["skus", err.row] }) : showApiErrors(form, onCode(err)));
    } finally {
      setSaving(false);
    }
  };

  const create = async (v: Values) => {
    await api.post("/admin/products", {
      ...(operator ? { merchantId: v.merchantId } : {}),
      categoryId: v.categoryId,
      title: v.title,
      subtitle: v.subtitle,
      description: v.description,
      images: v.images.filter(Boolean),
      role: v.role,
      afterSaleExempt: v.afterSaleExempt,
      tags: v.tags,
      skus: v.skus.map((s) => ({ code: s.code, specs: s.specs, price: s.price, weightGrams: s.weightGrams })),
    });
  };

  /** What the API holds is tracked as each request lands, so a save retried after an error sends only what is left. */
  const update = async (v: Values) => {
    let saved: Product = original!;
    try {
      const patch: Record<string, unknown> = {};
      for (const f of PRODUCT_FIELDS) {
        const value = f === "images" ? v.images.filter(Boolean) : v[f];
        if (!same(value, saved[f])) patch[f] = value;
      }
      if (Object.keys(patch).length > 0) {
        saved = { ...(await api.patch<Product>(`/admin/products/${saved.id}`, patch)), skus: saved.skus };
        forget(`product:${saved.id}`);
      }
      for (const [i, row] of v.skus.entries()) {
        const was = saved.skus.find((s) => s.id === row.id);
        try {
          if (!was) {
            const added = await api.post<Sku>(`/admin/products/${saved.id}/skus`, { code: row.code, specs: row.specs, price: row.price, weightGrams: row.weightGrams });
            form.setFieldValue(["skus", i, "id"], added.id);
            saved = { ...saved, skus: [...saved.skus, added] };
            continue;
          }
          const change: Record<string, unknown> = {};
          for (const f of ["code", "price", "weightGrams", "status"] as const) if (row[f] !== was[f]) change[f] = row[f];
          if (Object.keys(change).length === 0) continue;
          const after = await api.patch<Sku>(`/admin/products/${saved.id}/skus/${was.id}`, change);
          saved = { ...saved, skus: saved.skus.map((s) => (s.id === after.id ? after : s)) };
        } catch (err) {
          throw new RowError(i, err);
        }
      }
    } finally {
      setOriginal(saved);
    }
  };


  const fixedDims = new Set((original?.skus ?? []).flatMap((s) => Object.keys(s.specs)));

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={980}
      destroyOnHidden
      title={creating ? t("ops.product.new") : t("ops.product.edit")}
      extra={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="product-save" disabled={loading}>
            {t("common.save")}
          </Button>
        </Space>
      }
    >
      <Spin spinning={loading}>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="product-form-error" />}
        <Form form={form} layout="vertical" scrollToFirstError requiredMark onValuesChange={clearApiErrorsOnChange(form)}>
          <Card size="small" title={t("ops.product.basics")} style={{ marginBottom: 16 }}>
            {operator && creating && (
              <Form.Item name="merchantId" label={t("ops.product.store")} rules={[{ required: true, message: t("ops.form.required") }]}>
                {merchants.length > 0 ? (
                  <Select data-testid="product-merchant" showSearch={{ optionFilterProp: "label" }} options={merchants.map((m) => ({ value: m.id, label: m.storeName }))} placeholder={t("ops.product.storePick")} />
                ) : (
                  <Input placeholder="mch_…" />
                )}
              </Form.Item>
            )}
            <Row gutter={16}>
              <Col span={16}>
                <Form.Item name="title" label={t("ops.product.title")} rules={[{ required: true, message: t("ops.form.required") }]}>
                  <Input data-testid="product-title" count={{ show: true, max: 100 }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="categoryId" label={t("ops.product.category")} rules={[{ required: true, message: t("ops.form.required") }]}>
                  <TreeSelect data-testid="product-category" treeData={categoryOptions(tree)} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: "title" }} placeholder={t("ops.product.categoryPick")} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="subtitle" label={t("ops.product.subtitle")}>
              <Input data-testid="product-subtitle" count={{ show: true, max: 200 }} />
            </Form.Item>
            <Form.Item name="description" label={t("ops.product.description")}>
              <Input.TextArea rows={3} data-testid="product-description" />
            </Form.Item>
            <Space align="start" size={32} wrap>
              <Form.Item name="role" label={t("ops.product.role")} tooltip={t("ops.product.roleHelp")} rules={[{ required: true }]}>
                <Radio.Group data-testid="product-role" optionType="button" options={ROLES.map((r) => ({ value: r, label: t(`ops.product.role.${r}`) }))} />
              </Form.Item>
              <Form.Item name="afterSaleExempt" label={t("ops.product.exempt")} tooltip={t("ops.product.exemptHelp")} valuePropName="checked">
                <Switch data-testid="product-exempt" />
              </Form.Item>
              <Form.Item name="tags" label={t("ops.product.tags")} style={{ minWidth: 280 }}>
                <Select mode="tags" data-testid="product-tags" placeholder={t("ops.product.tagsHelp")} open={false} suffixIcon={null} />
              </Form.Item>
            </Space>
          </Card>

          <ProductImages />

          <SkuTable dims={bundle ? null : dims} fixedDims={fixedDims} creating={creating} onDimsChange={changeDims} />
        </Form>
      </Spin>
    </Drawer>
  );
}

/** A clash of SKU codes (or specs) names the whole SKU — `skus.1`, or the body of a one-SKU request — so it is shown on the code. */
function onCode(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.code !== "sku_exists") return err;
  return new ApiError(err.status, err.code, err.message, err.fieldErrors.map((f) => ({ field: f.field === "body" ? "code" : /^skus\.\d+$/.test(f.field) ? `${f.field}.code` : f.field, message: f.message })));
}

/** An error from the request about one SKU row. */
class RowError extends Error {
  constructor(
    readonly row: number,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}
