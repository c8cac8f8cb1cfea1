import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import NoticeBar from "antd-mobile/es/components/notice-bar";
import Tag from "antd-mobile/es/components/tag";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { FooterBar, Page } from "../components/Page";
import { ProductImage } from "../components/ProductCard";
import type { GroupbuyActivity as Activity, TeamView } from "./groupbuy";
import { Avatar, Card, Countdown, LoadState, PRICE_RED, useLoad, useRequireUser, useServerClock } from "./kit";
import { OrderSheet } from "./purchase";
import { ShareSheet } from "./ShareSheet";

/** A group-buy activity (拼团): the prices, the teams one can join now, and opening a team of one's own. */
export default function GroupbuyActivity() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const now = useServerClock();
  const requireUser = useRequireUser();
  const { data: activity, error } = useLoad(() => api.get<Activity>(`/groupbuy/activities/${id}`), [id], 10_000);
  const [skuId, setSkuId] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [sharing, setSharing] = useState(false);

  if (!activity) return <Page title={t("groupbuy.title")}>{<LoadState error={error} />}</Page>;
  const sku = activity.skus.find((s) => s.skuId === skuId) ?? activity.skus[0];
  const active = activity.phase === "active" && sku.stockLeft > 0;

  return (
    <Page title={t("groupbuy.title")} right={
        <span data-testid="groupbuy-share" onClick={() => setSharing(true)} style={{ fontSize: 14, color: "var(--store-red)" }}>
          {t("share.action")}
        </span>
      }>
      <div style={{ background: "#fff" }}>
        <div style={{ display: "flex", justifyContent: "center", padding: 16, background: "linear-gradient(180deg,#fff1e8,#fff)" }}>
          <ProductImage src={sku.image} title={sku.title} size={220} />
        </div>
        <div style={{ background: "linear-gradient(90deg,#ff4d4f,#ff7a45)", color: "#fff", padding: "10px 14px", display: "flex", alignItems: "flex-end", justifyContent: "space-between" }}>
          <div>
            <Tag color="#fff" fill="outline" style={{ "--border-color": "#fff", "--text-color": "#fff" } as never}>
              {t("groupbuy.teamSize", { n: activity.teamSize })}
            </Tag>
            <div style={{ marginTop: 4 }}>
              <span style={{ fontSize: 13 }}>{t("groupbuy.groupPrice")} </span>
              <span data-testid="groupbuy-group-price" style={{ fontSize: 28, fontWeight: 700 }}>{yuan(sku.groupPrice)}</span>
              <span style={{ textDecoration: "line-through", opacity: 0.8, marginLeft: 8, fontSize: 13 }}>{yuan(sku.listPrice)}</span>
            </div>
          </div>
          <div style={{ textAlign: "right", fontSize: 12 }}>
            <div>{t("groupbuy.leaderPrice")}</div>
            <div data-testid="groupbuy-leader-price" style={{ fontSize: 18, fontWeight: 600 }}>{yuan(sku.leaderPrice)}</div>
          </div>
        </div>
        <div style={{ padding: "12px 14px" }}>
          <div style={{ fontSize: 17, fontWeight: 600 }}>{activity.title}</div>
          <div style={{ color: "#888", fontSize: 13, marginTop: 4 }}>{sku.title}</div>
          <div style={{ color: "#888", fontSize: 12, marginTop: 6 }}>
            {t("groupbuy.stockLeft", { n: sku.stockLeft })} · {t("groupbuy.perUserLimit", { n: activity.perUserLimit })}
          </div>
        </div>
      </div>

      {activity.skus.length > 1 && (
        <Card>
          <div style={{ fontWeight: 600, marginBottom: 8 }}>{t("groupbuy.chooseSku")}</div>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
            {activity.skus.map((s) => (
              <Button key={s.skuId} size="small" color={s.skuId === sku.skuId ? "danger" : "default"} fill={s.skuId === sku.skuId ? "outline" : "solid"} data-testid={`groupbuy-sku-${s.skuId}`} onClick={() => setSkuId(s.skuId)}>
                {Object.values(s.specs).join(" / ") || s.title}
              </Button>
            ))}
          </div>
        </Card>
      )}

      {activity.platformFill.enabled && (
        <NoticeBar style={{ margin: "12px 12px 0", borderRadius: 8 }} color="info" wrap content={t("groupbuy.platformFillNotice")} />
      )}

      <Card testId="groupbuy-open-teams">
        <div style={{ fontWeight: 600, marginBottom: 4 }}>{t("groupbuy.openTeams")}</div>
        {(activity.openTeams ?? []).length === 0 && <div style={{ color: "#999", fontSize: 13, padding: "12px 0" }}>{t("groupbuy.noOpenTeams")}</div>}
        {(activity.openTeams ?? []).map((team: TeamView) => {
          const leader = team.members.find((m) => m.kind === "leader");
          return (
            <div key={team.id} style={{ display: "flex", alignItems: "center", gap: 10, padding: "10px 0", borderTop: "1px solid #f2f2f2" }}>
              <Avatar name={leader?.displayName} size={40} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <div style={{ fontSize: 14 }}>{leader?.displayName}</div>
                <div style={{ fontSize: 12, color: "#888" }}>
                  {t("groupbuy.seatsShort", { n: team.seatsLeft })} · {t("groupbuy.endsIn")} <Countdown until={team.deadlineAt} now={now} style={{ color: PRICE_RED }} />
                </div>
              </div>
              <Button size="small" color="danger" shape="rounded" data-testid={`groupbuy-join-${team.id}`} onClick={() => navigate(`/teams/${team.id}`)}>
                {t("groupbuy.goJoin")}
              </Button>
            </div>
          );
        })}
      </Card>

      <Card>
        <div style={{ fontWeight: 600, marginBottom: 8 }}>{t("groupbuy.howItWorks")}</div>
        <div style={{ display: "flex", justifyContent: "space-between", textAlign: "center", fontSize: 12, color: "#666" }}>
          {["step1", "step2", "step3", "step4"].map((s, i) => (
            <div key={s} style={{ flex: 1 }}>
              <div style={{ width: 24, height: 24, borderRadius: 12, background: "#fff1e8", color: "#ff6a00", margin: "0 auto 4px", lineHeight: "24px" }}>{i + 1}</div>
              {t(`groupbuy.${s}`, { n: activity.teamSize })}
            </div>
          ))}
        </div>
        <div style={{ color: "#999", fontSize: 12, marginTop: 10 }}>{t("groupbuy.rules", { hours: Math.round(activity.fillMinutes / 60), minutes: activity.paymentMinutes })}</div>
      </Card>

      <FooterBar>
        <Button style={{ flex: 1 }} shape="rounded" data-testid="groupbuy-buy-alone" onClick={() => navigate(`/products/${sku.productId}`)}>
          <div style={{ fontSize: 12 }}>{t("groupbuy.buyAlone")}</div>
          <div>{yuan(sku.listPrice)}</div>
        </Button>
        <Button style={{ flex: 1.4 }} color="danger" shape="rounded" disabled={!active} data-testid="groupbuy-open-team" onClick={() => void (requireUser() && setOpening(true))}>
          <div style={{ fontSize: 12 }}>{activity.phase === "ended" ? t("groupbuy.ended") : sku.stockLeft === 0 ? t("groupbuy.soldOut") : t("groupbuy.openTeam")}</div>
          <div>{yuan(sku.leaderPrice)}</div>
        </Button>
      </FooterBar>
      <ShareSheet visible={sharing} onClose={() => setSharing(false)} target={{ type: "campaign", id: activity.id, campaignId: activity.id }} title={activity.title} />

      <OrderSheet
        visible={opening}
        onClose={() => setOpening(false)}
        title={t("groupbuy.openTeam")}
        unitPrice={sku.leaderPrice}
        maxQty={Math.min(activity.perUserLimit, sku.stockLeft)}
        summary={<div style={{ color: "#666", fontSize: 13 }}>{t("groupbuy.openHint", { n: activity.teamSize, hours: Math.round(activity.fillMinutes / 60) })}</div>}
        confirmText={t("groupbuy.payAndOpen")}
        place={async ({ addressId, qty, idempotencyKey }) => {
          return api.post<{ teamId: string; orderId: string }>(`/groupbuy/activities/${id}/teams`, { skuId: sku.skuId, qty, addressId }, { idempotencyKey });
        }}
        onDone={(placed) => navigate(`/teams/${placed.teamId}`)}
      />
    </Page>
  );
}
