import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Checkbox from "antd-mobile/es/components/checkbox";
import Rate from "antd-mobile/es/components/rate";
import Result from "antd-mobile/es/components/result";
import TextArea from "antd-mobile/es/components/text-area";
import Toast from "antd-mobile/es/components/toast";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { PhotoUploader } from "../components/PhotoUploader";
import { ProductImage } from "../components/ProductCard";
import { RequireLogin } from "../components/RequireLogin";
import type { Order } from "../components/types";
import { LoadState, useErrorText, useLoad } from "../components/load";

export default function WriteReview() {
  return (
    <RequireLogin>
      <ReviewPage />
    </RequireLogin>
  );
}

interface Draft {
  rating: number;
  text: string;
  photos: string[];
  anonymous: boolean;
}

/** 评价晒单: stars, words and photos for each item of a completed order not reviewed yet. */
function ReviewPage() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { data, error } = useLoad(() => Promise.all([api.get<Order>(`/orders/${id}`), api.get<{ orderItemId: string }[]>(`/orders/${id}/reviews`)]), [id]);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [sending, setSending] = useState(false);
  if (!data) return <Page title={t("review.title")}>{<LoadState error={error} />}</Page>;
  const [order, done] = data;
  const reviewed = new Set(done.map((r) => r.orderItemId));
  const todo = order.items.filter((i) => !reviewed.has(i.id));
  const draftOf = (itemId: string): Draft => drafts[itemId] ?? { rating: 5, text: "", photos: [], anonymous: false };
  const edit = (itemId: string, patch: Partial<Draft>) => setDrafts({ ...drafts, [itemId]: { ...draftOf(itemId), ...patch } });

  const submit = async () => {
    setSending(true);
    try {
      await api.post(`/orders/${order.id}/reviews`, { reviews: todo.map((i) => ({ orderItemId: i.id, ...draftOf(i.id), text: draftOf(i.id).text.trim() })) });
      Toast.show({ icon: "success", content: t("review.thanks") });
      navigate(`/products/${todo[0].productId}`, { replace: true });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setSending(false);
    }
  };

  if (order.status !== "completed" || todo.length === 0)
    return (
      <Page title={t("review.title")}>
        <Result status={todo.length === 0 ? "success" : "info"} title={t(todo.length === 0 ? "review.allDone" : "review.notYet")} description={t(todo.length === 0 ? "review.allDoneHint" : "review.notYetHint")} />
      </Page>
    );

  return (
    <Page
      title={t("review.title")}
      testId="write-review"
      footer={
        <Button block color="danger" shape="rounded" loading={sending} onClick={() => void submit()} data-testid="review-submit">
          {t("review.submit")}
        </Button>
      }
    >
      {todo.map((item) => {
        const d = draftOf(item.id);
        return (
          <section key={item.id} className="store-card" data-testid="review-item">
            <div style={{ display: "flex", gap: 10, alignItems: "center" }}>
              <ProductImage src={item.image} title={item.title} size={56} />
              <div className="store-clamp-2" style={{ flex: 1, fontSize: 14 }}>
                {item.title}
              </div>
            </div>
            <div style={{ display: "flex", alignItems: "center", gap: 12, margin: "12px 0" }}>
              <span>{t("review.rating")}</span>
              <Rate value={d.rating} onChange={(v) => edit(item.id, { rating: Math.max(1, v) })} data-testid="review-rating" />
              <span className="store-muted">{t(`review.stars.${d.rating}`)}</span>
            </div>
            <TextArea value={d.text} onChange={(text) => edit(item.id, { text })} placeholder={t("review.placeholder")} maxLength={1000} showCount autoSize={{ minRows: 3, maxRows: 8 }} data-testid="review-text" />
            <div style={{ marginTop: 10 }}>
              <PhotoUploader value={d.photos} onChange={(photos) => edit(item.id, { photos })} testId="review-photos" />
            </div>
            <Checkbox checked={d.anonymous} onChange={(anonymous) => edit(item.id, { anonymous })} style={{ marginTop: 10, "--icon-size": "18px", "--font-size": "13px" }}>
              {t("review.anonymous")}
            </Checkbox>
          </section>
        );
      })}
    </Page>
  );
}
