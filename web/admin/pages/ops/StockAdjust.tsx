import { Alert, App, type ButtonProps, Descriptions, Form, Input, InputNumber, Modal, Radio, Select } from "antd";
import { useEffect, useState } from "react";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { clearApiErrorsOnChange, showApiErrors } from "../../components/forms";
import { specsText } from "./labels";
import { useWarehouses } from "./lookups";
import type { Sku, StockLevel } from "./types";

interface Values {
  warehouseId: string;
  onHand: number;
  kind: "receipt" | "adjustment";
  note?: string;
  ref?: string;
}

/**
 * Sets a SKU's on-hand count in one warehouse — the API takes the new count, not a difference, so a
 * sale landing meanwhile is never undone by arithmetic here. Goods received are a receipt (入库);
 * a stock-take correction is an adjustment (盘点) with its reason.
 */
export default function StockAdjust({ sku, levels, onClose, onSaved }: { sku: Sku | null; levels: StockLevel[]; onClose(): void; onSaved(levels: StockLevel[]): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const warehouses = useWarehouses();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const warehouseId = Form.useWatch("warehouseId", form);
  const kind = Form.useWatch("kind", form);
  const level = levels.find((l) => l.warehouseId === warehouseId);

  useEffect(() => {
    if (!sku) return;
    setFormError(null);
    const start = warehouses.find((w) => w.isDefault)?.id ?? warehouses[0]?.id;
    form.setFieldsValue({ warehouseId: start, onHand: levels.find((l) => l.warehouseId === start)?.onHand ?? 0, kind: "adjustment", note: "", ref: "" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sku, warehouses]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !sku) return;
    setSaving(true);
    setFormError(null);
    try {
      const reason = v.kind === "receipt" ? "receipt" : v.note?.trim() || "adjustment";
      const res = await api.put<{ levels: StockLevel[] }>("/admin/stock", { skuId: sku.id, warehouseId: v.warehouseId, onHand: v.onHand, reason, ...(v.ref?.trim() ? { ref: v.ref.trim() } : {}) });
      message.success(t("common.saved"));
      onSaved(res.levels);
      onClose();
    } catch (err) {
      setFormError(showApiErrors(form, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={sku !== null} title={t("ops.stock.adjust")} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okButtonProps={{ "data-testid": "stock-adjust-submit" } as ButtonProps} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      {sku && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="SKU">
            {sku.code} {specsText(sku.specs)}
          </Descriptions.Item>
          <Descriptions.Item label={t("ops.stock.now")}>{level ? t("ops.stock.levelText", { onHand: level.onHand, reserved: level.reserved, available: level.available }) : t("ops.stock.none")}</Descriptions.Item>
        </Descriptions>
      )}
      <Form form={form} layout="vertical" onValuesChange={clearApiErrorsOnChange(form)}>
        <Form.Item name="warehouseId" label={t("ops.stock.warehouse")} rules={[{ required: true }]}>
          <Select
            options={warehouses.map((w) => ({ value: w.id, label: w.isDefault ? `${w.name}（${t("ops.stock.default")}）` : w.name }))}
            onChange={(id: string) => form.setFieldValue("onHand", levels.find((l) => l.warehouseId === id)?.onHand ?? 0)}
          />
        </Form.Item>
        <Form.Item name="kind" label={t("ops.stock.kind")}>
          <Radio.Group optionType="button" options={[{ value: "adjustment", label: t("ops.stock.reason.adjustment") }, { value: "receipt", label: t("ops.stock.reason.receipt") }]} />
        </Form.Item>
        <Form.Item name="onHand" label={t("ops.stock.newOnHand")} extra={level && level.reserved > 0 ? t("ops.stock.reservedFloor", { n: level.reserved }) : undefined} rules={[{ required: true, message: t("ops.form.required") }]}>
          <InputNumber min={0} precision={0} style={{ width: 200 }} data-testid="stock-on-hand" />
        </Form.Item>
        {kind === "adjustment" && (
          <Form.Item name="note" label={t("ops.stock.why")}>
            <Input maxLength={100} placeholder={t("ops.stock.whyHint")} data-testid="stock-note" />
          </Form.Item>
        )}
        <Form.Item name="ref" label={t("ops.stock.ref")}>
          <Input maxLength={64} placeholder={t("ops.stock.refHint")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
