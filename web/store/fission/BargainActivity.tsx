import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Toast from "antd-mobile/es/components/toast";
import { ApiError, idempotencyKey } from "../../shared/api";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { FooterBar, Page } from "../components/Page";
import { ProductImage } from "../components/ProductCard";
import { useSession } from "../session";
import type { BargainActivity as Activity, BargainView, OpenBargainActivity } from "./bargain";
import { deviceHeaders } from "./device";
import { Card, LoadState, PRICE_RED, useErrorText, useLoad, useRequireUser } from "./kit";
import { ShareSheet } from "./ShareSheet";

const LIVE = ["bargaining", "floor_reached", "ordered"];

/** A bargain activity (砍价): how low the price goes with how many friends' help; start one's own bargain. */
export default function BargainActivity() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { user } = useSession();
  const requireUser = useRequireUser();
  const errorText = useErrorText();
  const [starting, setStarting] = useState(false);
  const [sharing, setSharing] = useState(false);
  const { data, error } = useLoad(
    async () => {
      const [activity, open, mine] = await Promise.all([
        api.get<Activity>(`/bargain-activities/${id}`),
        api.get<{ items: OpenBargainActivity[] }>("/bargain-activities").catch(() => ({ items: [] as OpenBargainActivity[] })),
        user ? api.get<{ items: Array<{ id: string; activityId: string; status: string }> }>("/me/bargains", { limit: 50 }) : Promise.resolve({ items: [] }),
      ]);
      const listed = open.items.find((a) => a.id === id);
      return { activity, image: listed?.image ?? null, unitsLeft: listed?.unitsLeft ?? Math.max(0, activity.stock - activity.reserved - activity.sold), open: !!listed, mine: mine.items.find((b) => b.activityId === id && LIVE.includes(b.status)) ?? null };
    },
    [id, user?.id],
  );
  if (!data) return <Page title={t("bargain.title")}>{<LoadState error={error} />}</Page>;
  const { activity, mine } = data;

  const start = async () => {
    if (!requireUser()) return;
    setStarting(true);
    try {
      const b = await api.post<BargainView>(`/bargain-activities/${id}/bargains`, {}, { idempotencyKey: idempotencyKey(), headers: deviceHeaders() });
      navigate(`/bargains/${b.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === "already_bargaining" && mine) return navigate(`/bargains/${mine.id}`);
      Toast.show({ content: errorText(e) });
    } finally {
      setStarting(false);
    }
  };

  return (
    <Page title={t("bargain.title")} right={
        <span data-testid="bargain-activity-share" onClick={() => setSharing(true)} style={{ fontSize: 14, color: "var(--store-red)" }}>
          {t("share.action")}
        </span>
      }>
      <div style={{ background: "linear-gradient(180deg,#ff5b3a,#ff9a5a)", padding: "18px 16px 26px", color: "#fff" }}>
        <div style={{ display: "flex", gap: 12, background: "#fff", borderRadius: 12, padding: 12, color: "#222" }}>
          <ProductImage src={data.image} title={activity.title} size={110} />
          <div style={{ flex: 1, minWidth: 0 }}>
            <div style={{ fontWeight: 600, lineHeight: 1.4 }}>{activity.title}</div>
            <div style={{ color: "#999", fontSize: 12, marginTop: 6 }}>
              {t("bargain.original")} <span style={{ textDecoration: "line-through" }}>{yuan(activity.originalPrice)}</span>
            </div>
            <div style={{ marginTop: 4 }}>
              <span style={{ fontSize: 12, color: PRICE_RED }}>{t("bargain.lowest")} </span>
              <span data-testid="bargain-floor-price" style={{ color: PRICE_RED, fontSize: 24, fontWeight: 700 }}>{yuan(activity.floorPrice)}</span>
            </div>
            <div style={{ color: "#999", fontSize: 12, marginTop: 4 }}>{t("bargain.unitsLeft", { n: data.unitsLeft })}</div>
          </div>
        </div>
        <div style={{ textAlign: "center", fontSize: 18, fontWeight: 600, marginTop: 18 }}>{t("bargain.pitch", { k: activity.helpersNeeded, price: yuan(activity.floorPrice) })}</div>
      </div>

      <Card>
        <div style={{ fontWeight: 600, marginBottom: 8 }}>{t("bargain.howItWorks")}</div>
        <div style={{ color: "#666", fontSize: 13, lineHeight: 1.8 }}>
          <div>1. {t("bargain.rule1")}</div>
          <div>2. {t("bargain.rule2", { k: activity.helpersNeeded })}</div>
          <div>3. {t("bargain.rule3", { hours: Math.round((activity.timeLimitMinutes / 60) * 10) / 10 })}</div>
          <div>4. {activity.earlyPurchase ? t("bargain.rule4early") : t("bargain.rule4floor")}</div>
        </div>
      </Card>

      <FooterBar>
        {mine ? (
          <Button block color="danger" shape="rounded" data-testid="bargain-view-mine" onClick={() => navigate(`/bargains/${mine.id}`)}>
            {t("bargain.viewMine")}
          </Button>
        ) : (
          <Button block color="danger" shape="rounded" disabled={!data.open || data.unitsLeft === 0} loading={starting} data-testid="bargain-start" onClick={() => void start()}>
            {!data.open ? t("bargain.notOpen") : data.unitsLeft === 0 ? t("bargain.soldOut") : t("bargain.start")}
          </Button>
        )}
      </FooterBar>
      <ShareSheet visible={sharing} onClose={() => setSharing(false)} target={{ type: "campaign", id: activity.id, campaignId: activity.id }} title={activity.title} />
    </Page>
  );
}
