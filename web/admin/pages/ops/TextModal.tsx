import { Alert, type ButtonProps, Form, Input, Modal } from "antd";
import { useEffect, useState } from "react";
import { useI18n } from "../../../shared/i18n";
import { clearApiErrorsOnChange, showApiErrors } from "../../components/forms";

/**
 * Asks for one piece of text before an action — a cancel or reject reason, a reply, a note — and
 * sends it as the body field `field`; the API's error on that field shows under the box.
 */
export default function TextModal(props: {
  open: boolean;
  title: string;
  label: string;
  field: string;
  required?: boolean;
  initial?: string;
  maxLength: number;
  okText?: string;
  danger?: boolean;
  testId: string;
  onClose(): void;
  onSubmit(body: Record<string, string>): Promise<unknown>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Record<string, string>>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (!props.open) return;
    setFormError(null);
    form.setFieldsValue({ [props.field]: props.initial ?? "" });
  }, [props.open, props.field, props.initial, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const text = (values[props.field] ?? "").trim();
    setSaving(true);
    setFormError(null);
    try {
      await props.onSubmit(text ? { [props.field]: text } : {});
      props.onClose();
    } catch (err) {
      setFormError(showApiErrors(form, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => void submit()}
      confirmLoading={saving}
      okText={props.okText}
      okButtonProps={{ danger: props.danger, "data-testid": `${props.testId}-submit` } as ButtonProps}
      destroyOnHidden
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onValuesChange={clearApiErrorsOnChange(form)}>
        <Form.Item name={props.field} label={props.label} rules={props.required ? [{ required: true, whitespace: true, message: t("ops.form.required") }] : []}>
          <Input.TextArea rows={3} count={{ show: true, max: props.maxLength }} data-testid={`${props.testId}-text`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
