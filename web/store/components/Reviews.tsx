import { useEffect, useState } from "react";
import Button from "antd-mobile/es/components/button";
import Rate from "antd-mobile/es/components/rate";
import { shanghaiDate } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import type { Review, ReviewPage } from "./types";

/** A product's reviews (评价): the rating summary, newest first, photos (晒单) opening full screen. */
export function Reviews({ productId }: { productId: string }) {
  const { t } = useI18n();
  const [photosOnly, setPhotosOnly] = useState(false);
  const [page, setPage] = useState<ReviewPage | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (after?: string) => {
    setLoading(true);
    try {
      const next = await api.get<ReviewPage>(`/products/${productId}/reviews`, { limit: after ? 10 : 3, after, photosOnly: photosOnly || undefined });
      setPage((prev) => (after && prev ? { ...next, items: [...prev.items, ...next.items] } : next));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [productId, photosOnly]);
  if (!page) return null;
  const { summary } = page;

  return (
    <section className="store-card" data-testid="product-reviews">
      <div className="store-section-title">
        <span>{t("reviews.title", { n: summary.count })}</span>
        {summary.average != null && (
          <span style={{ display: "flex", alignItems: "center", gap: 6, fontSize: 13, fontWeight: 400 }}>
            <Rate readOnly allowHalf value={summary.average} style={{ "--star-size": "12px" }} />
            {summary.average.toFixed(1)}
          </span>
        )}
      </div>
      {summary.count > 0 && (
        <div style={{ display: "flex", gap: 8, marginBottom: 8 }}>
          {[false, true].map((only) => (
            <span
              key={String(only)}
              onClick={() => setPhotosOnly(only)}
              data-testid={only ? "reviews-photos-only" : "reviews-all"}
              style={{ fontSize: 12, padding: "3px 10px", borderRadius: 12, cursor: "pointer", background: photosOnly === only ? "#fdecea" : "#f5f5f5", color: photosOnly === only ? "var(--store-red)" : "#666" }}
            >
              {only ? t("reviews.withPhotos", { n: summary.withPhotos }) : t("reviews.all")}
            </span>
          ))}
        </div>
      )}
      {page.items.length === 0 ? (
        <div className="store-muted" style={{ padding: "8px 0" }}>
          {t(summary.count === 0 ? "reviews.none" : "reviews.noneWithPhotos")}
        </div>
      ) : (
        page.items.map((r) => <ReviewItem key={r.id} review={r} />)
      )}
      {page.nextCursor && (
        <Button block size="small" fill="none" loading={loading} onClick={() => void load(page.nextCursor!)} data-testid="reviews-more">
          {t("reviews.more")}
        </Button>
      )}
    </section>
  );
}

/** The full-screen viewer loads on the first tap on a photo. */
async function showPhotos(images: string[], defaultIndex: number) {
  const { default: ImageViewer } = await import("antd-mobile/es/components/image-viewer");
  ImageViewer.Multi.show({ images, defaultIndex });
}

function ReviewItem({ review }: { review: Review }) {
  const { t } = useI18n();
  return (
    <div style={{ padding: "10px 0", borderTop: "1px solid #f5f5f5" }} data-testid="review">
      <div style={{ display: "flex", alignItems: "center", gap: 8 }}>
        <div style={{ width: 28, height: 28, borderRadius: 14, background: "#ffd8bf", color: "#d4380d", display: "flex", alignItems: "center", justifyContent: "center", fontSize: 13 }}>{[...review.author][0]}</div>
        <span style={{ fontSize: 13 }}>{review.author}</span>
        <Rate readOnly value={review.rating} style={{ "--star-size": "11px" }} />
        <span className="store-muted" style={{ marginLeft: "auto" }}>
          {shanghaiDate(review.createdAt)}
        </span>
      </div>
      {review.text && <div style={{ fontSize: 14, margin: "6px 0", lineHeight: 1.5 }}>{review.text}</div>}
      {review.photos.length > 0 && (
        <div style={{ display: "flex", gap: 6, flexWrap: "wrap", marginTop: 6 }}>
          {review.photos.map((src, i) => (
            <img key={src} src={src} alt="" loading="lazy" onClick={() => void showPhotos(review.photos, i)} style={{ width: 72, height: 72, objectFit: "cover", borderRadius: 6, cursor: "zoom-in" }} data-testid="review-photo" />
          ))}
        </div>
      )}
      {review.reply && (
        <div style={{ background: "#f7f7f7", borderRadius: 6, padding: 8, fontSize: 13, color: "#666", marginTop: 6 }}>
          {t("reviews.reply")}: {review.reply}
        </div>
      )}
    </div>
  );
}
