import { App, type ButtonProps, Form, type FormInstance, Modal } from "antd";
import { type ReactNode, useState } from "react";
import { useI18n } from "../../../shared/i18n";
import { showApiErrors } from "../../components/forms";

/**
 * A form in a dialog that saves through the API: the fields' own rules run first, then the server's
 * answer — its field errors land next to the fields they name, anything else shows as a message.
 */
export function FormModal<V extends object>(props: {
  open: boolean;
  title: string;
  form: FormInstance<V>;
  onClose(): void;
  onSubmit(values: V): Promise<unknown>;
  children: ReactNode;
  initialValues?: Partial<V>;
  width?: number;
  testId: string;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    const values = await props.form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    try {
      await props.onSubmit(values);
      message.success(t("common.saved"));
      props.onClose();
    } catch (err) {
      const unplaced = showApiErrors(props.form, err);
      if (unplaced) message.error(unplaced);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      width={props.width ?? 640}
      onCancel={props.onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ "data-testid": `${props.testId}-submit` } as ButtonProps}
      destroyOnHidden
    >
      <Form form={props.form} layout="vertical" initialValues={props.initialValues} preserve={false}>
        {props.children}
      </Form>
    </Modal>
  );
}

/** Runs an action button's API call and reports the outcome as a message; resolves to whether it worked. */
export function useAction() {
  const { message } = App.useApp();
  const { t } = useI18n();
  return async (run: () => Promise<unknown>, done = t("common.saved")): Promise<boolean> => {
    try {
      await run();
      message.success(done);
      return true;
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
      return false;
    }
  };
}
