import { useState } from "react";
import Button from "antd-mobile/es/components/button";
import Form from "antd-mobile/es/components/form";
import Input from "antd-mobile/es/components/input";
import Switch from "antd-mobile/es/components/switch";
import TextArea from "antd-mobile/es/components/text-area";
import Toast from "antd-mobile/es/components/toast";
import { ApiError } from "../../shared/api";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { useErrorText } from "./load";
import type { Address } from "./types";

export const addressLine = (a: Pick<Address, "province" | "city" | "district" | "detail">) => `${a.province}${a.city === a.province ? "" : a.city}${a.district} ${a.detail}`;

type Fields = Omit<Address, "id">;

/** Adds an address to the book, or changes one; the server's field errors show beside their fields. */
export function AddressForm({ address, onSaved }: { address?: Address; onSaved(a: Address): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [form] = Form.useForm<Fields>();
  const [saving, setSaving] = useState(false);
  const required = (name: string) => [{ required: true, message: t("addresses.required", { field: t(`addresses.${name}`) }) }];

  const save = async (v: Fields) => {
    setSaving(true);
    try {
      const body = { ...v, postalCode: v.postalCode || undefined, isDefault: Boolean(v.isDefault) };
      onSaved(address ? await api.put<Address>(`/me/addresses/${address.id}`, body) : await api.post<Address>("/me/addresses", body));
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length > 0) form.setFields(e.fieldErrors.map((f) => ({ name: f.field as keyof Fields, errors: [f.message] })));
      else Toast.show({ content: errorText(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form
      form={form}
      layout="horizontal"
      initialValues={address ?? { isDefault: false }}
      onFinish={(v) => void save(v)}
      footer={
        <Button block type="submit" color="danger" shape="rounded" loading={saving} data-testid="address-save">
          {t("addresses.save")}
        </Button>
      }
    >
      <Form.Item name="recipient" label={t("addresses.recipient")} rules={required("recipient")}>
        <Input placeholder={t("addresses.recipientHint")} maxLength={50} data-testid="address-recipient" />
      </Form.Item>
      <Form.Item name="phone" label={t("addresses.phone")} rules={[{ required: true, pattern: /^1\d{10}$/, message: t("auth.phoneInvalid") }]}>
        <Input type="tel" maxLength={11} placeholder={t("addresses.phoneHint")} data-testid="address-phone" />
      </Form.Item>
      <Form.Item name="province" label={t("addresses.province")} rules={required("province")}>
        <Input placeholder="浙江省" maxLength={50} data-testid="address-province" />
      </Form.Item>
      <Form.Item name="city" label={t("addresses.city")} rules={required("city")}>
        <Input placeholder="杭州市" maxLength={50} data-testid="address-city" />
      </Form.Item>
      <Form.Item name="district" label={t("addresses.district")} rules={required("district")}>
        <Input placeholder="西湖区" maxLength={50} data-testid="address-district" />
      </Form.Item>
      <Form.Item name="detail" label={t("addresses.detail")} rules={required("detail")}>
        <TextArea placeholder={t("addresses.detailHint")} maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="address-detail" />
      </Form.Item>
      <Form.Item name="postalCode" label={t("addresses.postalCode")} rules={[{ pattern: /^\d{6}$/, message: t("addresses.postalCodeInvalid") }]}>
        <Input type="tel" maxLength={6} placeholder={t("addresses.optional")} />
      </Form.Item>
      <Form.Item name="isDefault" label={t("addresses.isDefault")} childElementPosition="right" valuePropName="checked">
        <Switch />
      </Form.Item>
    </Form>
  );
}
