import { Alert, App, Form, Input, Modal, Select } from "antd";
import { useEffect, useState } from "react";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { clearApiErrorsOnChange, showApiErrors } from "../../components/forms";

export const TRACKING_STATUSES = ["collected", "in_transit", "out_for_delivery", "delivered", "exception"] as const;

/** Adds a tracking event by hand, for carriers that send no pushes; `delivered` delivers the parcel. */
export default function TrackingModal({ shipmentId, onClose, onAdded }: { shipmentId: string | null; onClose(): void; onAdded(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ status: string; location?: string; description: string }>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (!shipmentId) return;
    form.resetFields();
    setFormError(null);
  }, [shipmentId, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      await api.post(`/admin/shipments/${shipmentId}/events`, { status: v.status, description: v.description, ...(v.location ? { location: v.location } : {}) });
      message.success(t("common.saved"));
      onAdded();
      onClose();
    } catch (err) {
      setFormError(showApiErrors(form, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={shipmentId !== null} title={t("ops.tracking.title")} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onValuesChange={clearApiErrorsOnChange(form)} initialValues={{ status: "in_transit" }}>
        <Form.Item name="status" label={t("common.status")} rules={[{ required: true }]}>
          <Select options={TRACKING_STATUSES.map((s) => ({ value: s, label: t(`ops.tracking.status.${s}`) }))} />
        </Form.Item>
        <Form.Item name="location" label={t("ops.tracking.location")}>
          <Input placeholder={t("ops.tracking.locationHint")} />
        </Form.Item>
        <Form.Item name="description" label={t("ops.tracking.description")} rules={[{ required: true, message: t("ops.form.required") }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
