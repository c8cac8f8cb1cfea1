import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import Button from "antd-mobile/es/components/button";
import DotLoading from "antd-mobile/es/components/dot-loading";
import Image from "antd-mobile/es/components/image";
import Popup from "antd-mobile/es/components/popup";
import Toast from "antd-mobile/es/components/toast";
import { CompassOutline, GlobalOutline, LinkOutline, MailFill, MessageFill, PictureOutline, SmileFill, StarFill } from "antd-mobile-icons";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { loginPath } from "../components/RequireLogin";
import { useSession } from "../session";
import { useErrorText } from "./kit";
import { drawPoster } from "./poster";

export type ShareTarget = { type: "product" | "team" | "bargain" | "coupon" | "campaign" | "store"; id: string; campaignId?: string };

/** The channels a shopper shares through; each share is its own token, so the funnel is told per channel. */
const CHANNELS = [
  { channel: "wechat_friend", icon: <MessageFill />, color: "#07c160" },
  { channel: "wechat_moments", icon: <CompassOutline />, color: "#1aad19" },
  { channel: "qq", icon: <SmileFill />, color: "#12b7f5" },
  { channel: "qzone", icon: <StarFill />, color: "#fcbe2d" },
  { channel: "weibo", icon: <GlobalOutline />, color: "#e6162d" },
  { channel: "sms", icon: <MailFill />, color: "#6c7bd8" },
] as const;

interface Share {
  token: string;
  url: string;
  channel: string;
}

async function createShare(target: ShareTarget, channel: string): Promise<Share> {
  return api.post<Share>("/shares", { targetType: target.type, targetId: target.id, channel, campaignId: target.campaignId });
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Products have a server-drawn poster; for other targets the browser draws one around a poster share's QR code. */
async function loadPoster(target: ShareTarget, draw: (url: string) => Promise<string>): Promise<{ src: string; url: string }> {
  if (target.type === "product") {
    const res = await fetch(`/posters?targetType=product&targetId=${encodeURIComponent(target.id)}`, { headers: { authorization: `Bearer ${api.token()}` } });
    if (!res.ok) throw new Error(String(res.status));
    return { src: URL.createObjectURL(await res.blob()), url: res.headers.get("x-share-url") ?? "" };
  }
  const share = await createShare(target, "poster");
  return { src: await draw(share.url), url: share.url };
}

/**
 * The share sheet (分享面板): pick a channel to get that channel's link, copy a link, or make a poster
 * whose QR code carries the shopper's share. Signing in comes first, since every share is credited.
 */
export function ShareSheet(props: { visible: boolean; onClose(): void; target: ShareTarget; title?: string; onShared?(channel: string): void }) {
  const { visible, onClose, target, title, onShared } = props;
  const { t } = useI18n();
  const errorText = useErrorText();
  const { user } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [share, setShare] = useState<Share | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [poster, setPoster] = useState<{ src: string; url: string } | null>(null);

  useEffect(() => {
    if (!visible) {
      setShare(null);
      setPoster(null);
    }
  }, [visible]);
  useEffect(() => () => void (poster?.src.startsWith("blob:") && URL.revokeObjectURL(poster.src)), [poster]);

  const needLogin = () => {
    if (user) return false;
    onClose();
    navigate(loginPath(location.pathname + location.search));
    return true;
  };

  const pickChannel = async (channel: string) => {
    if (needLogin()) return;
    setBusy(channel);
    try {
      const s = await createShare(target, channel);
      setShare(s);
      onShared?.(channel);
      const copied = await copyText(s.url);
      Toast.show({ content: copied ? t("share.copied") : t("share.ready") });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  const makePoster = async () => {
    if (needLogin()) return;
    setBusy("poster");
    try {
      const draw = (url: string) =>
        drawPoster({
          banner: t(`share.posterBanner.${target.type}`),
          sharer: t("share.posterSharer", { name: user!.displayName ?? "" }),
          title: title ?? t("share.posterDefaultTitle"),
          hint: t("share.posterScan"),
          url,
        });
      setPoster(await loadPoster(target, draw));
      onShared?.("poster");
    } catch {
      Toast.show({ content: t("share.posterFailed") });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Popup visible={visible} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, padding: "16px 12px 24px" }}>
      <div data-testid="share-sheet">
        <div style={{ textAlign: "center", fontSize: 16, fontWeight: 600, marginBottom: 16 }}>{t("share.title")}</div>
        {poster ? (
          <div style={{ textAlign: "center" }}>
            <Image src={poster.src} data-testid="share-poster-image" style={{ width: 220, margin: "0 auto", borderRadius: 8, boxShadow: "0 2px 12px rgba(0,0,0,.15)" }} fit="contain" />
            <div style={{ color: "#888", fontSize: 13, margin: "12px 0" }}>{t("share.posterHint")}</div>
            <Button size="small" data-testid="share-poster-back" onClick={() => setPoster(null)}>
              {t("share.back")}
            </Button>
          </div>
        ) : (
          <>
            <div style={{ display: "grid", gridTemplateColumns: "repeat(4, 1fr)", rowGap: 16 }}>
              {CHANNELS.map((c) => (
                <div key={c.channel} data-testid={`share-channel-${c.channel}`} onClick={() => void pickChannel(c.channel)} style={{ textAlign: "center", cursor: "pointer" }}>
                  <div style={{ width: 48, height: 48, borderRadius: 24, margin: "0 auto 6px", background: c.color, color: "#fff", fontSize: 24, display: "flex", alignItems: "center", justifyContent: "center" }}>
                    {busy === c.channel ? <DotLoading color="white" /> : c.icon}
                  </div>
                  <div style={{ fontSize: 12, color: "#333" }}>{t(`share.channel.${c.channel}`)}</div>
                </div>
              ))}
              <div data-testid="share-copy-link" onClick={() => void pickChannel("link")} style={{ textAlign: "center", cursor: "pointer" }}>
                <div style={{ width: 48, height: 48, borderRadius: 24, margin: "0 auto 6px", background: "#8c8c8c", color: "#fff", fontSize: 24, display: "flex", alignItems: "center", justifyContent: "center" }}>
                  {busy === "link" ? <DotLoading color="white" /> : <LinkOutline />}
                </div>
                <div style={{ fontSize: 12, color: "#333" }}>{t("share.copyLink")}</div>
              </div>
              <div data-testid="share-poster" onClick={() => void makePoster()} style={{ textAlign: "center", cursor: "pointer" }}>
                <div style={{ width: 48, height: 48, borderRadius: 24, margin: "0 auto 6px", background: "#ff6a00", color: "#fff", fontSize: 24, display: "flex", alignItems: "center", justifyContent: "center" }}>
                  {busy === "poster" ? <DotLoading color="white" /> : <PictureOutline />}
                </div>
                <div style={{ fontSize: 12, color: "#333" }}>{t("share.poster")}</div>
              </div>
            </div>
            {share && (
              <div style={{ marginTop: 16, padding: 10, background: "#f5f5f5", borderRadius: 8 }}>
                <div style={{ fontSize: 12, color: "#888", marginBottom: 4 }}>{t("share.linkFor", { channel: t(`share.channel.${share.channel}`) })}</div>
                <div data-testid="share-url" style={{ fontSize: 13, wordBreak: "break-all" }}>{share.url}</div>
                <Button size="mini" color="primary" fill="outline" style={{ marginTop: 8 }} data-testid="share-url-copy" onClick={() => void copyText(share.url).then((ok) => Toast.show({ content: ok ? t("share.copied") : t("share.copyManually") }))}>
                  {t("share.copy")}
                </Button>
              </div>
            )}
          </>
        )}
        <Button block fill="none" style={{ marginTop: 12, color: "#888" }} data-testid="share-close" onClick={onClose}>
          {t("share.cancel")}
        </Button>
      </div>
    </Popup>
  );
}
