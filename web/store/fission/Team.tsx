import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import NoticeBar from "antd-mobile/es/components/notice-bar";
import Result from "antd-mobile/es/components/result";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { FooterBar, Page } from "../components/Page";
import { ProductImage } from "../components/ProductCard";
import { useSession } from "../session";
import type { GroupbuyActivity, MySeat, TeamView } from "./groupbuy";
import { Avatar, Card, Countdown, LoadState, PRICE_RED, useShareToken, useLoad, useServerClock } from "./kit";
import { OrderSheet, PayOrder } from "./purchase";
import { PhoneSignInSheet } from "./PhoneSignInSheet";
import { ShareSheet } from "./ShareSheet";

interface TeamPageData {
  team: TeamView;
  activity: GroupbuyActivity;
  seat: MySeat | null;
  refunded: number | null;
  sharerName: string | null;
}

const SEATED: MySeat["state"][] = ["reserved", "paid", "fulfilled", "refunded"];

/**
 * A team (团): who is in, seats left and the time left by the server's clock; members invite friends,
 * a friend who opened the link sees who invited them and joins. Success and refunds are spelled out.
 */
export default function Team() {
  const { id = "" } = useParams();
  const shareToken = useShareToken();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { user } = useSession();
  const now = useServerClock();
  const [joining, setJoining] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [skuId, setSkuId] = useState<string | null>(null);
  const [paying, setPaying] = useState<string | null>(null);
  // A friend who came by the link signs up right here, then joins.
  const [signingIn, setSigningIn] = useState(false);

  const { data, error, reload } = useLoad<TeamPageData>(
    async () => {
      const team = await api.get<TeamView>(`/groupbuy/teams/${id}`);
      const [activity, seats, intro] = await Promise.all([
        api.get<GroupbuyActivity>(`/groupbuy/activities/${team.activityId}`),
        user ? api.get<{ items: MySeat[] }>("/me/groupbuy/teams", { limit: 50 }) : Promise.resolve({ items: [] as MySeat[] }),
        shareToken ? api.get<{ sharerName: string }>(`/shares/${shareToken}`).catch(() => null) : Promise.resolve(null),
      ]);
      const seat = seats.items.find((s) => s.team.id === team.id && SEATED.includes(s.state)) ?? null;
      const refunded = seat?.state === "refunded" && seat.orderId ? (await api.get<{ refundedAmount: number }>(`/orders/${seat.orderId}`)).refundedAmount : null;
      return { team, activity, seat, refunded, sharerName: intro?.sharerName ?? null };
    },
    [id, user?.id, shareToken],
    4000,
  );

  if (!data) return <Page title={t("team.title")}>{<LoadState error={error} />}</Page>;
  const { team, activity, seat, refunded } = data;
  const sku = activity.skus.find((s) => s.skuId === (skuId ?? seat?.skuId)) ?? activity.skus[0];
  const leader = team.members.find((m) => m.kind === "leader");
  const live = team.state === "open" || team.state === "pending";
  const canJoin = !seat && team.state === "open" && team.seatsLeft > 0;
  const empty = Math.max(0, team.size - team.members.length);


  return (
    <Page title={t("team.title")}>
      {!seat && (data.sharerName || leader) && (
        <div data-testid="team-invited-by" style={{ background: "linear-gradient(90deg,#ff4d4f,#ff7a45)", color: "#fff", padding: "14px 16px", fontSize: 15 }}>
          {t("team.invitedBy", { name: data.sharerName ?? leader!.displayName })}
        </div>
      )}

      <Card style={{ display: "flex", gap: 12 }}>
        <ProductImage src={sku.image} title={sku.title} size={88} />
        <div style={{ flex: 1, minWidth: 0 }}>
          <div style={{ fontWeight: 600, lineHeight: 1.4 }}>{team.activityTitle}</div>
          <div style={{ color: "#888", fontSize: 12, marginTop: 4 }}>{t("groupbuy.teamSize", { n: team.size })}</div>
          <div style={{ marginTop: 6 }}>
            <span style={{ color: PRICE_RED, fontSize: 20, fontWeight: 700 }}>{yuan(sku.groupPrice)}</span>
            <span style={{ color: "#aaa", textDecoration: "line-through", marginLeft: 6, fontSize: 12 }}>{yuan(sku.listPrice)}</span>
          </div>
        </div>
      </Card>

      <Card testId="team-status" style={{ textAlign: "center" }}>
        <TeamStatus team={team} now={now} refunded={refunded} mine={!!seat} />
        <div style={{ display: "flex", flexWrap: "wrap", justifyContent: "center", gap: 14, margin: "16px 0 4px" }} data-testid="team-members">
          {team.members.map((m, i) => (
            <div key={i} style={{ textAlign: "center", width: 56 }}>
              <div style={{ position: "relative", display: "inline-block" }}>
                <Avatar name={m.displayName} color={m.kind === "platform" ? "#1677ff" : m.paid ? "#ff6a00" : "#ffb37a"} />
                {m.kind === "leader" && (
                  <span style={{ position: "absolute", top: -6, left: -8, background: PRICE_RED, color: "#fff", fontSize: 10, borderRadius: 8, padding: "0 5px" }}>{t("team.leader")}</span>
                )}
              </div>
              <div style={{ fontSize: 12, color: "#555", marginTop: 4, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
                {m.kind === "platform" ? t("team.platformFill") : m.displayName}
              </div>
              {!m.paid && <div style={{ fontSize: 10, color: "#faad14" }}>{t("team.unpaid")}</div>}
            </div>
          ))}
          {live &&
            Array.from({ length: empty }, (_, i) => (
              <div key={`empty-${i}`} style={{ textAlign: "center", width: 56 }}>
                <Avatar empty />
                <div style={{ fontSize: 12, color: "#bbb", marginTop: 4 }}>{t("team.seatOpen")}</div>
              </div>
            ))}
        </div>
      </Card>

      {team.platformFill.enabled && <NoticeBar style={{ margin: "12px 12px 0", borderRadius: 8 }} color="info" wrap content={t("groupbuy.platformFillNotice")} />}

      {seat && (
        <Card testId="team-my-seat">
          <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
            <span>{t(`team.seat.${seat.state}`)}</span>
            {seat.orderId && (
              <Button size="mini" fill="none" color="primary" data-testid="team-view-order" onClick={() => navigate(`/orders/${seat.orderId}`)}>
                {t("team.viewOrder")}
              </Button>
            )}
          </div>
        </Card>
      )}

      <Card>
        <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("groupbuy.howItWorks")}</div>
        <div style={{ color: "#888", fontSize: 12, lineHeight: 1.7 }}>{t("groupbuy.rules", { hours: Math.round(activity.fillMinutes / 60), minutes: activity.paymentMinutes })}</div>
      </Card>

      <FooterBar>
        {seat?.state === "reserved" ? (
          <Button block color="danger" shape="rounded" data-testid="team-pay" onClick={() => setPaying(seat.orderId)}>
            {t("team.payNow")}
          </Button>
        ) : seat && team.state === "open" ? (
          <Button block color="danger" shape="rounded" data-testid="team-invite" onClick={() => setSharing(true)}>
            {t("team.invite", { n: team.seatsLeft })}
          </Button>
        ) : canJoin ? (
          <Button block color="danger" shape="rounded" data-testid="team-join" onClick={() => (user ? setJoining(true) : setSigningIn(true))}>
            {t("team.join", { price: yuan(sku.groupPrice) })}
          </Button>
        ) : (
          <Button block color="danger" fill="outline" shape="rounded" data-testid="team-new" disabled={activity.phase !== "active"} onClick={() => navigate(`/groupbuy/${activity.id}`)}>
            {t("team.openAnother")}
          </Button>
        )}
      </FooterBar>

      <PhoneSignInSheet
        visible={signingIn}
        onClose={() => setSigningIn(false)}
        title={t("team.signInTitle")}
        actionText={t("team.signInAndJoin")}
        onSignedIn={async () => {
          setSigningIn(false);
          setJoining(true);
        }}
      />
      <PayOrder
        orderId={paying}
        onDone={() => {
          setPaying(null);
          void reload();
        }}
      />
      <ShareSheet visible={sharing} onClose={() => setSharing(false)} target={{ type: "team", id: team.id, campaignId: team.activityId }} title={team.activityTitle} />
      <OrderSheet
        visible={joining}
        onClose={() => setJoining(false)}
        title={t("team.joinTitle")}
        unitPrice={sku.groupPrice}
        maxQty={Math.min(activity.perUserLimit, sku.stockLeft)}
        summary={
          activity.skus.length > 1 ? (
            <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
              {activity.skus.map((s) => (
                <Button key={s.skuId} size="mini" color={s.skuId === sku.skuId ? "danger" : "default"} fill="outline" onClick={() => setSkuId(s.skuId)}>
                  {Object.values(s.specs).join(" / ") || s.title}
                </Button>
              ))}
            </div>
          ) : (
            <div style={{ color: "#666", fontSize: 13 }}>{sku.title}</div>
          )
        }
        confirmText={t("team.payAndJoin")}
        place={async ({ addressId, qty, idempotencyKey }) => {
          return api.post<{ orderId: string }>(`/groupbuy/teams/${team.id}/join`, { skuId: sku.skuId, qty, addressId }, { idempotencyKey });
        }}
        onDone={() => void reload()}
      />
    </Page>
  );
}

function TeamStatus({ team, now, refunded, mine }: { team: TeamView; now: number; refunded: number | null; mine: boolean }) {
  const { t } = useI18n();
  switch (team.state) {
    case "open":
      return (
        <div data-testid="team-state-open">
          <div style={{ fontSize: 17, fontWeight: 600 }}>
            {t("team.short.before")}
            <span style={{ color: PRICE_RED, fontSize: 22, margin: "0 4px" }} data-testid="team-seats-left">{team.seatsLeft}</span>
            {t("team.short.after")}
          </div>
          <div style={{ color: "#888", marginTop: 6 }}>
            {t("team.timeLeft")} <Countdown until={team.deadlineAt} now={now} style={{ color: PRICE_RED, fontWeight: 600 }} />
          </div>
        </div>
      );
    case "pending":
      return <Result status="waiting" title={t("team.pending")} description={t("team.pendingHint")} />;
    case "succeeded":
      return <div data-testid="team-state-succeeded"><Result status="success" title={t("team.succeeded")} description={t(team.platformFill.filled ? "team.succeededFilled" : "team.succeededHint")} /></div>;
    case "failed":
      return (
        <div data-testid="team-state-failed">
          <Result
            status="error"
            title={t("team.failed")}
            description={
              <span data-testid="team-refund">
                {mine && refunded !== null ? t("team.refunded", { amount: yuan(refunded) }) : t("team.failedHint", { n: team.size })}
              </span>
            }
          />
        </div>
      );
    default:
      return <Result status="info" title={t("team.abandoned")} description={t("team.abandonedHint")} />;
  }
}
