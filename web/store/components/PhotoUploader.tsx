import ImageUploader, { type ImageUploadItem } from "antd-mobile/es/components/image-uploader";
import Toast from "antd-mobile/es/components/toast";
import { ApiError } from "../../shared/api";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";

/** Sends one image to `POST /uploads` (multipart, field `file`); the URL it answers is what reviews and after-sales take. */
async function uploadImage(file: File): Promise<ImageUploadItem> {
  const body = new FormData();
  body.append("file", file);
  const token = api.token();
  const res = await fetch("/uploads", { method: "POST", body, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.code ?? "http_error", data.message ?? res.statusText, data.details);
  return { url: data.url };
}

/** Up to `max` photos (晒图), uploaded as they are picked; the value is their URLs. */
export function PhotoUploader({ value, onChange, max = 9, testId }: { value: string[]; onChange(urls: string[]): void; max?: number; testId?: string }) {
  const { t } = useI18n();
  return (
    <div data-testid={testId}>
      <ImageUploader
        value={value.map((url) => ({ url }))}
        onChange={(items) => onChange(items.map((i) => i.url))}
        upload={(file) =>
          uploadImage(file).catch((e) => {
            Toast.show({ content: e instanceof ApiError ? e.message : t("photos.failed") });
            throw e;
          })
        }
        maxCount={max}
        accept="image/jpeg,image/png,image/webp"
        beforeUpload={(file) => {
          if (file.size > 5 * 1024 * 1024) {
            Toast.show({ content: t("photos.tooLarge") });
            return null;
          }
          return file;
        }}
      />
      <div className="store-muted" style={{ marginTop: 4 }}>
        {t("photos.hint", { max })}
      </div>
    </div>
  );
}
