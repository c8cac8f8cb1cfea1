import { App, Button, Card, Image, Rate, Select, Space, Typography } from "antd";
import { useState } from "react";
import { shanghaiTime } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { ProductTitle, StatusTag } from "./labels";
import TextModal from "./TextModal";
import type { Review } from "./types";

/** Review moderation: hide what breaks the rules (saying why), show it again, answer publicly. */
export default function Reviews() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Review["status"]>();
  const [rating, setRating] = useState<number>();
  const [reload, setReload] = useState(0);
  const [hiding, setHiding] = useState<Review | null>(null);
  const [replying, setReplying] = useState<Review | null>(null);

  const done = (key: string) => {
    message.success(t(key));
    setReload((n) => n + 1);
  };

  return (
    <Card title={t("nav.reviews")}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t("ops.common.allStatuses")}
          data-testid="review-status-filter"
          options={(["visible", "hidden"] as const).map((s) => ({ value: s, label: t(`ops.review.status.${s}`) }))}
          onChange={(s?: Review["status"]) => setStatus(s)}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t("ops.review.allRatings")}
          data-testid="review-rating-filter"
          options={[5, 4, 3, 2, 1].map((n) => ({ value: n, label: t("ops.review.stars", { n }) }))}
          onChange={(n?: number) => setRating(n)}
        />
      </Space>
      <ServerTable<Review>
        path="/admin/reviews"
        query={{ status, rating }}
        reloadKey={reload}
        testId="review-table"
        columns={[
          { title: t("ops.review.product"), dataIndex: "productId", width: 200, render: (id: string) => <ProductTitle id={id} /> },
          { title: t("ops.review.rating"), dataIndex: "rating", width: 150, render: (n: number) => <Rate disabled value={n} style={{ fontSize: 14 }} /> },
          {
            title: t("ops.review.content"),
            render: (_, r) => (
              <>
                <div>{r.text || <Typography.Text type="secondary">{t("ops.review.noText")}</Typography.Text>}</div>
                {r.photos.length > 0 && (
                  <Image.PreviewGroup>
                    <Space size={4} style={{ marginTop: 6 }}>
                      {r.photos.map((p) => (
                        <Image key={p} src={p} width={40} height={40} style={{ objectFit: "cover", borderRadius: 4 }} />
                      ))}
                    </Space>
                  </Image.PreviewGroup>
                )}
                {r.reply && (
                  <div style={{ marginTop: 6, padding: "4px 8px", background: "#fafafa", borderRadius: 4, fontSize: 12 }}>
                    {t("ops.review.replyPrefix")}
                    {r.reply}
                  </div>
                )}
                {r.hiddenReason && (
                  <Typography.Text type="danger" style={{ fontSize: 12 }}>
                    {t("ops.review.hiddenBecause", { reason: r.hiddenReason })}
                  </Typography.Text>
                )}
              </>
            ),
          },
          { title: t("ops.review.author"), dataIndex: "author", width: 110 },
          { title: t("common.status"), dataIndex: "status", width: 80, render: (s: Review["status"]) => <StatusTag kind="review" status={s} /> },
          { title: t("common.createdAt"), dataIndex: "createdAt", width: 170, render: (at: string) => shanghaiTime(at) },
          {
            title: t("common.actions"),
            width: 140,
            render: (_, r) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setReplying(r)} data-testid={`review-reply-${r.id}`}>
                  {t(r.reply ? "ops.review.editReply" : "ops.review.reply")}
                </Button>
                {r.status === "visible" ? (
                  <Button type="link" size="small" danger onClick={() => setHiding(r)} data-testid={`review-hide-${r.id}`}>
                    {t("ops.review.hide")}
                  </Button>
                ) : (
                  <Button
                    type="link"
                    size="small"
                    data-testid={`review-show-${r.id}`}
                    onClick={() =>
                      void api.post(`/admin/reviews/${r.id}/show`).then(
                        () => done("ops.review.shown"),
                        (err: Error) => message.error(err.message),
                      )
                    }
                  >
                    {t("ops.review.show")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <TextModal
        open={hiding !== null}
        title={t("ops.review.hide")}
        label={t("ops.review.hideReason")}
        field="reason"
        required
        danger
        maxLength={500}
        testId="review-hide"
        onClose={() => setHiding(null)}
        onSubmit={async (body) => {
          await api.post(`/admin/reviews/${hiding!.id}/hide`, body);
          done("ops.review.hidden");
        }}
      />
      <TextModal
        open={replying !== null}
        title={t("ops.review.reply")}
        label={t("ops.review.replyText")}
        field="text"
        required
        initial={replying?.reply ?? ""}
        maxLength={1000}
        testId="review-reply"
        onClose={() => setReplying(null)}
        onSubmit={async (body) => {
          await api.post(`/admin/reviews/${replying!.id}/reply`, body);
          done("ops.review.replied");
        }}
      />
    </Card>
  );
}
