import { Alert, App, type ButtonProps, Form, Input, InputNumber, Modal, Select, Table } from "antd";
import { useEffect, useState } from "react";
import { ApiError, idempotencyKey } from "../../../shared/api";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { clearApiErrorsOnChange, showApiErrors } from "../../components/forms";
import { specsText } from "./labels";
import { useCarriers } from "./lookups";
import type { Order } from "./types";

interface Values {
  carrier?: string;
  trackingNo: string;
  items: { orderItemId: string; qty: number }[];
}

/**
 * Ships a parcel: by default everything not yet shipped; lowering a line's quantity (or setting it to
 * 0) makes it a partial shipment, and the rest waits for the next parcel.
 */
export default function ShipModal({ order, shipped, open, onClose, onShipped }: { order: Order; shipped: Map<string, number>; open: boolean; onClose(): void; onShipped(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const carriers = useCarriers();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [key, setKey] = useState(idempotencyKey);
  const remaining = (itemId: string) => {
    const item = order.items.find((i) => i.id === itemId)!;
    return item.qty - item.refundedQty - (shipped.get(itemId) ?? 0);
  };

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    setKey(idempotencyKey());
    form.setFieldsValue({ carrier: undefined, trackingNo: "", items: order.items.map((i) => ({ orderItemId: i.id, qty: remaining(i.id) })) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, order]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const lines = form.getFieldValue("items") as Values["items"];
    const sent = lines.map((l, i) => ({ ...l, row: i })).filter((l) => l.qty > 0);
    if (sent.length === 0) return setFormError(t("ops.ship.nothing"));
    const everything = sent.length === lines.filter((l) => remaining(l.orderItemId) > 0).length && sent.every((l) => l.qty === remaining(l.orderItemId));
    setSaving(true);
    setFormError(null);
    try {
      await api.post(
        `/admin/orders/${order.id}/shipments`,
        { carrier: values.carrier, trackingNo: values.trackingNo.trim(), ...(everything ? {} : { items: sent.map((l) => ({ orderItemId: l.orderItemId, qty: l.qty })) }) },
        { idempotencyKey: key },
      );
      message.success(t("ops.ship.done"));
      onShipped();
      onClose();
    } catch (err) {
      // The API numbers the lines it was sent; the form shows every line of the order.
      const mapped =
        err instanceof ApiError
          ? new ApiError(err.status, err.code, err.message, err.fieldErrors.map((f) => ({ ...f, field: f.field.replace(/^items\.(\d+)/, (_, n: string) => `items.${sent[Number(n)]?.row ?? n}`) })))
          : err;
      setFormError(showApiErrors(form, mapped));
      setKey(idempotencyKey());
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} title={t("ops.ship.title")} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okText={t("ops.ship.submit")} okButtonProps={{ "data-testid": "ship-submit" } as ButtonProps} width={720} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onValuesChange={clearApiErrorsOnChange(form)}>
        <Form.Item name="carrier" label={t("ops.ship.carrier")} rules={[{ required: true, message: t("ops.form.required") }]}>
          <Select data-testid="ship-carrier" options={carriers.map((c) => ({ value: c.code, label: c.name }))} placeholder={t("ops.ship.carrierPick")} />
        </Form.Item>
        <Form.Item name="trackingNo" label={t("ops.ship.trackingNo")} rules={[{ required: true, message: t("ops.form.required") }]}>
          <Input data-testid="ship-tracking" placeholder="SF1234567890" />
        </Form.Item>
        <Form.List name="items">
          {(fields) => (
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={fields}
              columns={[
                {
                  title: t("ops.order.item"),
                  render: (_, f) => {
                    const item = order.items[f.name];
                    return (
                      <>
                        {item.title}
                        <div style={{ color: "#888", fontSize: 12 }}>{specsText(item.specs)}</div>
                      </>
                    );
                  },
                },
                { title: t("ops.ship.left"), width: 90, align: "right", render: (_, f) => remaining(order.items[f.name].id) },
                {
                  title: t("ops.ship.qty"),
                  width: 130,
                  render: (_, f) => (
                    <Form.Item name={[f.name, "qty"]} style={{ margin: 0 }}>
                      <InputNumber min={0} max={Math.max(0, remaining(order.items[f.name].id))} precision={0} disabled={remaining(order.items[f.name].id) <= 0} data-testid={`ship-qty-${f.name}`} />
                    </Form.Item>
                  ),
                },
              ]}
            />
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
