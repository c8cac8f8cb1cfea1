import { useState } from "react";
import Button from "antd-mobile/es/components/button";
import ErrorBlock from "antd-mobile/es/components/error-block";
import Popup from "antd-mobile/es/components/popup";
import Tag from "antd-mobile/es/components/tag";
import Toast from "antd-mobile/es/components/toast";
import { idempotencyKey } from "../../shared/api";
import { shanghaiDate, shanghaiTime, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { RequireLogin } from "../components/RequireLogin";
import { useSession } from "../session";
import { Avatar, Card, LoadState, PRICE_RED, useErrorText, useLoad } from "./kit";
import { useDrawnPoster } from "./poster";
import { type Reward, type RewardTotals, useRewardValue } from "./rewards";

interface InviteSummary {
  code: string;
  link: string;
  inviter: { userId: string; displayName: string } | null;
  invitees: number;
  descendants: number;
  linkVisits: number;
}

interface Invitee {
  id: string;
  displayName: string;
  via: "invite_code" | "share";
  boundAt: string;
  invitees: number;
}

const STATUS_COLOR: Record<Reward["status"], string> = { pending: "warning", flagged: "warning", available: "danger", claimed: "success", cancelled: "default", expired: "default", rejected: "default" };

/** Invite friends (邀请有礼): my code, link and poster; who I invited; the rewards they brought, by status. */
export default function Invite() {
  const { t } = useI18n();
  return (
    <Page title={t("invite.title")}>
      <RequireLogin>
        <InviteBody />
      </RequireLogin>
    </Page>
  );
}

function InviteBody() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const value = useRewardValue();
  const [poster, setPoster] = useState(false);
  const { data, error, reload } = useLoad(async () => {
    const [summary, invitees, rewards] = await Promise.all([
      api.get<InviteSummary>("/me/invite"),
      api.get<{ items: Invitee[] }>("/me/invitees", { limit: 50 }),
      api.get<{ totals: RewardTotals; items: Reward[] }>("/me/rewards", { limit: 50 }),
    ]);
    return { summary, invitees: invitees.items, rewards };
  }, []);
  if (!data) return <LoadState error={error} />;
  const { summary, rewards } = data;

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      Toast.show({ content: t("share.copied") });
    } catch {
      Toast.show({ content: t("share.copyManually") });
    }
  };
  const claim = async (r: Reward) => {
    try {
      await api.post(`/me/rewards/${r.id}/claim`, {}, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: "success", content: t("reward.claimed", { value: value(r.kind, r.amount) }) });
      await reload();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };

  return (
    <>
      <div style={{ background: "linear-gradient(160deg,#ff7a45,#e02e24)", color: "#fff", padding: "22px 16px 26px", textAlign: "center" }}>
        <div style={{ fontSize: 22, fontWeight: 700 }}>{t("invite.headline")}</div>
        <div style={{ fontSize: 13, opacity: 0.9, marginTop: 6 }}>{t("invite.subline")}</div>
        <div style={{ background: "#fff", color: "#333", borderRadius: 12, padding: 16, marginTop: 18 }}>
          <div style={{ fontSize: 12, color: "#999" }}>{t("invite.myCode")}</div>
          <div data-testid="invite-code" style={{ fontSize: 30, fontWeight: 700, letterSpacing: 4, color: PRICE_RED, margin: "4px 0 10px" }}>{summary.code}</div>
          <div data-testid="invite-link" style={{ fontSize: 12, color: "#666", wordBreak: "break-all", background: "#f7f7f7", borderRadius: 6, padding: 8 }}>{summary.link}</div>
          <div style={{ display: "flex", gap: 10, marginTop: 12 }}>
            <Button style={{ flex: 1, whiteSpace: "nowrap", padding: "7px 4px" }} size="small" shape="rounded" data-testid="invite-copy-code" onClick={() => void copy(summary.code)}>
              {t("invite.copyCode")}
            </Button>
            <Button style={{ flex: 1, whiteSpace: "nowrap", padding: "7px 4px" }} color="danger" size="small" shape="rounded" data-testid="invite-copy-link" onClick={() => void copy(summary.link)}>
              {t("invite.copyLink")}
            </Button>
            <Button style={{ flex: 1, whiteSpace: "nowrap", padding: "7px 4px" }} color="warning" size="small" shape="rounded" data-testid="invite-poster" onClick={() => setPoster(true)}>
              {t("invite.poster")}
            </Button>
          </div>
        </div>
      </div>

      <Card>
        <div style={{ display: "flex", textAlign: "center" }}>
          {[
            ["invite.stat.invitees", summary.invitees, "invite-count"],
            ["invite.stat.team", summary.descendants, "invite-descendants"],
            ["invite.stat.visits", summary.linkVisits, "invite-visits"],
          ].map(([label, n, testId]) => (
            <div key={label} style={{ flex: 1 }}>
              <div data-testid={testId} style={{ fontSize: 22, fontWeight: 700 }}>{n}</div>
              <div style={{ color: "#999", fontSize: 12 }}>{t(String(label))}</div>
            </div>
          ))}
        </div>
        {summary.inviter && <div style={{ color: "#999", fontSize: 12, textAlign: "center", marginTop: 10 }}>{t("invite.invitedBy", { name: summary.inviter.displayName })}</div>}
      </Card>

      <Card testId="invite-rewards">
        <div style={{ fontWeight: 600, marginBottom: 8 }}>{t("invite.myRewards")}</div>
        <div style={{ display: "flex", textAlign: "center", background: "#fff7f0", borderRadius: 8, padding: "10px 0", marginBottom: 6 }}>
          {(["pending", "available", "claimed"] as const).map((s) => (
            <div key={s} style={{ flex: 1 }}>
              <div style={{ color: "#999", fontSize: 12 }}>{t(`reward.total.${s}`)}</div>
              <div data-testid={`reward-total-${s}`} style={{ fontSize: 13, marginTop: 4, lineHeight: 1.6 }}>
                <div>{t("reward.value.points", { n: rewards.totals[s].points })}</div>
                <div>{t("reward.value.cash", { amount: yuan(rewards.totals[s].cash) })}</div>
              </div>
            </div>
          ))}
        </div>
        {rewards.items.length === 0 && <div style={{ color: "#999", fontSize: 13, padding: "8px 0" }}>{t("invite.noRewards")}</div>}
        {rewards.items.map((r) => (
          <div key={r.id} data-testid={`reward-${r.id}`} style={{ display: "flex", alignItems: "center", justifyContent: "space-between", padding: "10px 0", borderTop: "1px solid #f5f5f5" }}>
            <div>
              <div style={{ fontSize: 14 }}>
                {value(r.kind, r.amount)} <Tag color={STATUS_COLOR[r.status]} fill="outline">{t(`reward.status.${r.status}`)}</Tag>
              </div>
              <div style={{ color: "#aaa", fontSize: 11, marginTop: 2 }}>
                {r.status === "available" && r.claimDeadline ? t("points.claimBy", { time: shanghaiTime(r.claimDeadline) }) : r.status === "pending" ? t("reward.pendingHint") : shanghaiTime(r.createdAt)}
              </div>
            </div>
            {r.status === "available" && (
              <Button size="small" color="danger" shape="rounded" data-testid={`reward-claim-${r.id}`} onClick={() => void claim(r)}>
                {t("points.claim")}
              </Button>
            )}
          </div>
        ))}
      </Card>

      <Card testId="invite-invitees">
        <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("invite.myInvitees")}</div>
        {data.invitees.length === 0 ? (
          <ErrorBlock status="empty" title={t("invite.noInvitees")} description="" style={{ padding: "8px 0" }} />
        ) : (
          data.invitees.map((i) => (
            <div key={i.id} style={{ display: "flex", alignItems: "center", gap: 10, padding: "8px 0", borderTop: "1px solid #f5f5f5" }}>
              <Avatar name={i.displayName} size={34} />
              <div style={{ flex: 1 }}>
                <div style={{ fontSize: 14 }}>{i.displayName}</div>
                <div style={{ color: "#aaa", fontSize: 11 }}>
                  {t(`invite.via.${i.via}`)} · {shanghaiDate(i.boundAt)}
                </div>
              </div>
              {i.invitees > 0 && <span style={{ color: "#999", fontSize: 12 }}>{t("invite.theirInvitees", { n: i.invitees })}</span>}
            </div>
          ))
        )}
      </Card>
      <InvitePoster visible={poster} onClose={() => setPoster(false)} summary={summary} />
    </>
  );
}

/** The invite poster: my name, code and a QR code of my invite link, to save and post. */
function InvitePoster({ visible, onClose, summary }: { visible: boolean; onClose(): void; summary: InviteSummary }) {
  const { t } = useI18n();
  const { user } = useSession();
  const src = useDrawnPoster(
    visible ? { banner: t("invite.headline"), sharer: t("invite.posterFrom", { name: user?.displayName ?? "" }), title: t("invite.posterCode", { code: summary.code }), hint: t("share.posterScan"), url: summary.link } : null,
  );
  return (
    <Popup visible={visible} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
      <div style={{ padding: 16, textAlign: "center" }} data-testid="invite-poster-sheet">
        {src && <img src={src} alt="" data-testid="invite-poster-image" style={{ width: 220, borderRadius: 8, boxShadow: "0 2px 12px rgba(0,0,0,.15)" }} />}
        <div style={{ color: "#888", fontSize: 13, margin: "12px 0" }}>{t("share.posterHint")}</div>
        <Button block fill="none" onClick={onClose}>
          {t("share.cancel")}
        </Button>
      </div>
    </Popup>
  );
}
