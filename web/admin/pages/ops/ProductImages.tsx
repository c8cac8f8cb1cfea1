import { DeleteOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Image, Input, Space, Upload } from "antd";
import { useState } from "react";
import { ApiError } from "../../../shared/api";
import { useI18n } from "../../../shared/i18n";
import { IMAGE_FALLBACK } from "./labels";
import { uploadImage } from "./upload";

/** A product form's `images`: URLs typed in or uploaded, each with its preview; the first is the cover. */
export default function ProductImages() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const form = Form.useFormInstance();
  const [uploading, setUploading] = useState(false);

  const addImage = async (file: File) => {
    setUploading(true);
    try {
      const url = await uploadImage(file);
      form.setFieldValue("images", [...(form.getFieldValue("images") ?? []), url]);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Card
      size="small"
      title={t("ops.product.images")}
      style={{ marginBottom: 16 }}
      extra={
        <Upload accept="image/jpeg,image/png,image/webp" showUploadList={false} beforeUpload={(file) => (void addImage(file), false)}>
          <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="product-image-upload">
            {t("ops.product.upload")}
          </Button>
        </Upload>
      }
    >
      <Form.List name="images">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <Space key={field.key} align="start" style={{ display: "flex", marginBottom: 8 }}>
                <Form.Item noStyle shouldUpdate>
                  {() => <Image width={48} height={48} style={{ objectFit: "cover", borderRadius: 4 }} src={form.getFieldValue(["images", field.name])} fallback={IMAGE_FALLBACK} />}
                </Form.Item>
                <Form.Item name={field.name} style={{ width: 640, marginBottom: 0 }}>
                  <Input placeholder="https://… /uploads/…" data-testid={`product-image-${field.name}`} />
                </Form.Item>
                <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t("ops.common.remove")} />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add("")} data-testid="product-image-add">
              {t("ops.product.imageUrl")}
            </Button>
          </>
        )}
      </Form.List>
    </Card>
  );
}
