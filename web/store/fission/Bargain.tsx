import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Modal from "antd-mobile/es/components/modal";
import ProgressBar from "antd-mobile/es/components/progress-bar";
import Tag from "antd-mobile/es/components/tag";
import Toast from "antd-mobile/es/components/toast";
import { FireFill } from "antd-mobile-icons";
import { idempotencyKey } from "../../shared/api";
import { shanghaiTime, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { FooterBar, Page } from "../components/Page";
import { ProductImage } from "../components/ProductCard";
import { useSession } from "../session";
import type { BargainView, HelpResult, OpenBargainActivity } from "./bargain";
import { deviceHeaders } from "./device";
import { Avatar, Card, Countdown, LoadState, PRICE_RED, useShareToken, useErrorText, useLoad, useServerClock } from "./kit";
import { PhoneSignInSheet } from "./PhoneSignInSheet";
import { OrderSheet, PayOrder } from "./purchase";
import { ShareSheet } from "./ShareSheet";

/**
 * A bargain (砍价): the owner watches the price come down to the floor as friends help, shares it, and
 * buys; a friend who opened the link signs up on the spot and cuts once.
 */
export default function Bargain() {
  const { id = "" } = useParams();
  const shareToken = useShareToken();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { user } = useSession();
  const now = useServerClock();
  const errorText = useErrorText();
  const [sharing, setSharing] = useState(false);
  const [signingIn, setSigningIn] = useState(false);
  const [buying, setBuying] = useState(false);
  const [helping, setHelping] = useState(false);
  const [helped, setHelped] = useState<HelpResult | null>(null);
  const [paying, setPaying] = useState<string | null>(null);

  const { data, error, reload } = useLoad(
    async () => {
      const bargain = await api.get<BargainView>(`/bargains/${id}`);
      const [open, intro] = await Promise.all([
        api.get<{ items: OpenBargainActivity[] }>("/bargain-activities").catch(() => ({ items: [] as OpenBargainActivity[] })),
        shareToken ? api.get<{ sharerName: string }>(`/shares/${shareToken}`).catch(() => null) : Promise.resolve(null),
      ]);
      return { bargain, image: open.items.find((a) => a.id === bargain.activityId)?.image ?? null, sharerName: intro?.sharerName ?? null, serverTime: bargain.serverTime };
    },
    [id, user?.id, shareToken],
    5000,
  );
  if (!data) return <Page title={t("bargain.mine")}>{<LoadState error={error} />}</Page>;
  const b = data.bargain;
  const span = b.originalPrice - b.floorPrice;
  const progress = span > 0 ? Math.round((b.cutTotal / span) * 100) : 100;
  const open = b.status === "bargaining" && new Date(b.expiresAt).getTime() > now;

  const help = async () => {
    setHelping(true);
    try {
      const r = await api.post<HelpResult>(`/bargains/${id}/help`, {}, { idempotencyKey: idempotencyKey(), headers: deviceHeaders() });
      setHelped(r);
      await reload();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setHelping(false);
    }
  };


  return (
    <Page title={b.isOwner ? t("bargain.mine") : t("bargain.friends")}>
      {!b.isOwner && (
        <div data-testid="bargain-invited-by" style={{ background: "linear-gradient(90deg,#ff4d4f,#ff7a45)", color: "#fff", padding: "14px 16px", fontSize: 15 }}>
          {data.sharerName ? t("bargain.invitedBy", { name: data.sharerName }) : t("bargain.helpAsk")}
        </div>
      )}
      <Card style={{ display: "flex", gap: 12 }}>
        <ProductImage src={data.image} title={b.title} size={88} />
        <div style={{ flex: 1, minWidth: 0 }}>
          <div style={{ fontWeight: 600, lineHeight: 1.4 }}>{b.title}</div>
          <div style={{ color: "#999", fontSize: 12, marginTop: 6 }}>
            {t("bargain.original")} <span style={{ textDecoration: "line-through" }}>{yuan(b.originalPrice)}</span> · {t("bargain.floor")} {yuan(b.floorPrice)}
          </div>
          <div style={{ marginTop: 4 }}>
            <span style={{ fontSize: 12, color: PRICE_RED }}>{t("bargain.current")} </span>
            <span data-testid="bargain-current-price" style={{ color: PRICE_RED, fontSize: 22, fontWeight: 700 }}>{yuan(b.currentPrice)}</span>
          </div>
        </div>
      </Card>

      <Card testId="bargain-progress">
        <div style={{ textAlign: "center", fontSize: 16, fontWeight: 600 }}>
          {b.remaining === 0 ? (
            <span data-testid="bargain-at-floor" style={{ color: "#00b578" }}>{t("bargain.atFloor", { price: yuan(b.floorPrice) })}</span>
          ) : (
            <span>
              {t("bargain.cutSoFar")} <span style={{ color: PRICE_RED }}>{yuan(b.cutTotal)}</span>
              {t("bargain.stillLeft")} <span data-testid="bargain-remaining" style={{ color: PRICE_RED }}>{yuan(b.remaining)}</span>
            </span>
          )}
        </div>
        <ProgressBar percent={progress} style={{ "--fill-color": "linear-gradient(90deg,#ff9a5a,#ff3141)", "--track-width": "12px", margin: "14px 0 6px" } as never} />
        <div style={{ display: "flex", justifyContent: "space-between", fontSize: 12, color: "#999" }}>
          <span>{yuan(b.originalPrice)}</span>
          <span data-testid="bargain-helpers-count">{t("bargain.helpersCount", { n: b.helpersSoFar, k: b.helpersNeeded })}</span>
          <span>{yuan(b.floorPrice)}</span>
        </div>
        <div style={{ textAlign: "center", marginTop: 10, fontSize: 13, color: "#666" }}>
          {b.status === "bargaining" || b.status === "floor_reached" ? (
            <>
              {t("bargain.endsIn")} <Countdown until={b.expiresAt} now={now} style={{ color: PRICE_RED, fontWeight: 600 }} />
            </>
          ) : (
            <Tag color={b.status === "paid" ? "success" : b.status === "expired" ? "default" : "warning"} data-testid="bargain-status">
              {t(`bargain.status.${b.status}`)}
            </Tag>
          )}
        </div>
      </Card>

      <Card testId="bargain-helpers">
        <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("bargain.helpers")}</div>
        {b.helpers.length === 0 && <div style={{ color: "#999", fontSize: 13, padding: "8px 0" }}>{t("bargain.noHelpers")}</div>}
        {b.helpers.map((h) => (
          <div key={h.seq} data-testid="bargain-helper" style={{ display: "flex", alignItems: "center", gap: 10, padding: "8px 0", borderTop: "1px solid #f5f5f5" }}>
            <Avatar name={h.name} size={34} />
            <div style={{ flex: 1 }}>
              <div style={{ fontSize: 14 }}>
                {h.name} {h.newUser && <Tag color="#ff6a00" fill="outline" style={{ marginLeft: 4 }}>{t("bargain.newUser")}</Tag>}
              </div>
              <div style={{ fontSize: 11, color: "#aaa" }}>{shanghaiTime(h.at)}</div>
            </div>
            <div style={{ color: PRICE_RED, fontSize: 13 }}>{t("bargain.cutBy", { amount: yuan(h.amount) })}</div>
          </div>
        ))}
      </Card>

      <FooterBar>
        {b.isOwner ? (
          <>
            {open && (
              <Button style={{ flex: 1 }} color="danger" fill={b.canOrder ? "outline" : "solid"} shape="rounded" data-testid="bargain-share" onClick={() => setSharing(true)}>
                {t("bargain.askFriends")}
              </Button>
            )}
            {b.canOrder && (
              <Button style={{ flex: 1 }} color="danger" shape="rounded" data-testid="bargain-buy" onClick={() => setBuying(true)}>
                {t("bargain.buyAt", { price: yuan(b.currentPrice) })}
              </Button>
            )}
            {b.status === "ordered" && b.orderId && (
              <Button block color="danger" shape="rounded" data-testid="bargain-pay" onClick={() => setPaying(b.orderId)}>
                {t("bargain.payNow", { price: yuan(b.currentPrice) })}
              </Button>
            )}
            {b.status === "paid" && b.orderId && (
              <Button block shape="rounded" data-testid="bargain-view-order" onClick={() => navigate(`/orders/${b.orderId}`)}>
                {t("bargain.viewOrder")}
              </Button>
            )}
            {b.status === "expired" && (
              <Button block color="danger" fill="outline" shape="rounded" data-testid="bargain-again" onClick={() => navigate(`/bargain/${b.activityId}`)}>
                {t("bargain.again")}
              </Button>
            )}
          </>
        ) : (
          <>
            {open && !helped && (
              <Button style={{ flex: 1.4 }} color="danger" shape="rounded" loading={helping} data-testid="bargain-help" onClick={() => (user ? void help() : setSigningIn(true))}>
                {t("bargain.helpCut")}
              </Button>
            )}
            <Button style={{ flex: 1 }} color="danger" fill="outline" shape="rounded" data-testid="bargain-me-too" onClick={() => navigate(`/bargain/${b.activityId}`)}>
              {t("bargain.meToo")}
            </Button>
          </>
        )}
      </FooterBar>

      <Modal
        visible={!!helped}
        closeOnMaskClick
        onClose={() => setHelped(null)}
        content={
          helped && (
            <div style={{ textAlign: "center" }} data-testid="bargain-helped">
              <div style={{ fontSize: 44, color: PRICE_RED }}>
                <FireFill />
              </div>
              <div style={{ fontSize: 17, fontWeight: 600, margin: "8px 0" }}>{t("bargain.youCut", { amount: yuan(helped.amount) })}</div>
              <div style={{ color: "#666", fontSize: 13 }}>{helped.status === "floor_reached" ? t("bargain.youFinished") : t("bargain.nowAt", { price: yuan(helped.currentPrice) })}</div>
            </div>
          )
        }
        actions={[
          { key: "me", text: t("bargain.meToo"), primary: true, onClick: () => navigate(`/bargain/${b.activityId}`) },
          { key: "ok", text: t("bargain.ok"), onClick: () => setHelped(null) },
        ]}
      />
      <PhoneSignInSheet
        visible={signingIn}
        onClose={() => setSigningIn(false)}
        title={t("bargain.signInTitle")}
        actionText={t("bargain.signInAndHelp")}
        onSignedIn={async () => {
          setSigningIn(false);
          await help();
        }}
      />
      <PayOrder
        orderId={paying}
        onDone={() => {
          setPaying(null);
          void reload();
        }}
      />
      <ShareSheet visible={sharing} onClose={() => setSharing(false)} target={{ type: "bargain", id: b.id, campaignId: b.activityId }} title={b.title} />
      <OrderSheet
        visible={buying}
        onClose={() => setBuying(false)}
        title={t("bargain.buyTitle")}
        unitPrice={b.currentPrice}
        summary={<div style={{ color: "#666", fontSize: 13 }}>{b.title}</div>}
        confirmText={t("bargain.payAndBuy")}
        place={async ({ addressId, idempotencyKey }) => {
          return api.post<{ orderId: string }>(`/bargains/${b.id}/order`, { addressId }, { idempotencyKey });
        }}
        onDone={() => void reload()}
      />
    </Page>
  );
}
