import Button from "antd-mobile/es/components/button";
import ErrorBlock from "antd-mobile/es/components/error-block";
import InfiniteScroll from "antd-mobile/es/components/infinite-scroll";
import Toast from "antd-mobile/es/components/toast";
import { useState } from "react";
import { idempotencyKey } from "../../shared/api";
import { shanghaiTime, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { RequireLogin } from "../components/RequireLogin";
import { Card, LoadState, PRICE_RED, useErrorText, useLoad } from "./kit";
import type { Reward } from "./rewards";

interface Points {
  available: number;
  claimable: number;
  pending: number;
  pointsPerYuan: number;
  maxShareOfOrderBps: number;
}

interface Movement {
  id: string;
  amount: number;
  causeType: string;
  memo: string | null;
  at: string;
}

/** My points (积分): the balance, rewards waiting to be claimed into it, and every movement. */
export default function PointsPage() {
  const { t } = useI18n();
  return (
    <Page title={t("points.title")}>
      <RequireLogin>
        <PointsBody />
      </RequireLogin>
    </Page>
  );
}

function PointsBody() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { data, error, reload } = useLoad(async () => {
    const [points, rewards] = await Promise.all([api.get<Points>("/me/points"), api.get<{ items: Reward[] }>("/me/rewards", { status: "available", limit: 50 })]);
    return { points, toClaim: rewards.items.filter((r) => r.kind === "points") };
  }, []);
  const [history, setHistory] = useState<Movement[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const loadMore = async () => {
    const page = await api.get<{ items: Movement[]; nextCursor: string | null }>("/me/points/history", { limit: 20, after: cursor ?? undefined });
    setHistory((h) => [...h, ...page.items]);
    setCursor(page.nextCursor);
  };
  if (!data) return <LoadState error={error} />;
  const { points } = data;
  const claim = async (r: Reward) => {
    try {
      await api.post(`/me/rewards/${r.id}/claim`, {}, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: "success", content: t("points.claimed", { n: r.amount }) });
      setHistory([]);
      setCursor(undefined);
      await reload();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const label = (m: Movement) => (m.causeType === "order" ? t(m.amount < 0 ? "points.cause.redeemed" : "points.cause.returned") : t(`points.cause.${m.causeType}`) === `points.cause.${m.causeType}` ? t("points.cause.other") : t(`points.cause.${m.causeType}`));

  return (
    <>
      <div style={{ background: "linear-gradient(135deg,#ff8a3d,#e02e24)", color: "#fff", padding: "24px 20px 28px" }}>
        <div style={{ fontSize: 13, opacity: 0.9 }}>{t("points.available")}</div>
        <div data-testid="points-available" style={{ fontSize: 40, fontWeight: 700, margin: "4px 0" }}>{points.available}</div>
        <div style={{ fontSize: 12, opacity: 0.9 }}>{t("points.worth", { amount: yuan(Math.floor((points.available * 100) / points.pointsPerYuan)) })}</div>
        <div style={{ display: "flex", gap: 28, marginTop: 16, fontSize: 13 }}>
          <div>
            <div style={{ opacity: 0.85 }}>{t("points.claimable")}</div>
            <div data-testid="points-claimable" style={{ fontSize: 18, fontWeight: 600 }}>{points.claimable}</div>
          </div>
          <div>
            <div style={{ opacity: 0.85 }}>{t("points.pending")}</div>
            <div data-testid="points-pending" style={{ fontSize: 18, fontWeight: 600 }}>{points.pending}</div>
          </div>
        </div>
      </div>
      <Card>
        <div style={{ color: "#666", fontSize: 13, lineHeight: 1.7 }}>{t("points.rule", { n: points.pointsPerYuan, pct: points.maxShareOfOrderBps / 100 })}</div>
      </Card>
      {data.toClaim.length > 0 && (
        <Card testId="points-to-claim">
          <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("points.toClaim")}</div>
          {data.toClaim.map((r) => (
            <div key={r.id} style={{ display: "flex", alignItems: "center", justifyContent: "space-between", padding: "8px 0", borderTop: "1px solid #f5f5f5" }}>
              <div>
                <div style={{ color: PRICE_RED, fontWeight: 600 }}>+{r.amount}</div>
                {r.claimDeadline && <div style={{ color: "#aaa", fontSize: 11 }}>{t("points.claimBy", { time: shanghaiTime(r.claimDeadline) })}</div>}
              </div>
              <Button size="small" color="danger" shape="rounded" data-testid={`points-claim-${r.id}`} onClick={() => void claim(r)}>
                {t("points.claim")}
              </Button>
            </div>
          ))}
        </Card>
      )}
      <Card testId="points-history">
        <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("points.history")}</div>
        {history.length === 0 && cursor === null && <ErrorBlock status="empty" title={t("points.noHistory")} description="" style={{ padding: "12px 0" }} />}
        {history.map((m) => (
          <div key={m.id} style={{ display: "flex", justifyContent: "space-between", padding: "10px 0", borderTop: "1px solid #f5f5f5" }}>
            <div>
              <div style={{ fontSize: 14 }}>{label(m)}</div>
              <div style={{ color: "#aaa", fontSize: 11, marginTop: 2 }}>{shanghaiTime(m.at)}</div>
            </div>
            <div style={{ fontSize: 16, fontWeight: 600, color: m.amount > 0 ? PRICE_RED : "#333" }}>{m.amount > 0 ? `+${m.amount}` : m.amount}</div>
          </div>
        ))}
        <InfiniteScroll loadMore={loadMore} hasMore={cursor !== null}>
          {cursor === null ? (history.length > 0 ? <span style={{ color: "#ccc", fontSize: 12 }}>{t("common.noMore")}</span> : null) : undefined}
        </InfiniteScroll>
      </Card>
    </>
  );
}
