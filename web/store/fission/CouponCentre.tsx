import { useState } from "react";
import { useSearchParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import CapsuleTabs from "antd-mobile/es/components/capsule-tabs";
import ErrorBlock from "antd-mobile/es/components/error-block";
import Popup from "antd-mobile/es/components/popup";
import ProgressBar from "antd-mobile/es/components/progress-bar";
import Tabs from "antd-mobile/es/components/tabs";
import Toast from "antd-mobile/es/components/toast";
import { idempotencyKey } from "../../shared/api";
import { shanghaiDate } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { useSession } from "../session";
import { CouponTicket, type CouponTemplate, type MyCoupon, useValidity } from "./coupons";
import { LoadState, PRICE_RED, useErrorText, useLoad, useRequireUser } from "./kit";

const STATES = ["usable", "locked", "used", "expired"] as const;

/** The coupon centre (领券中心): coupons to claim, and my coupons by state, locked fission coupons shared to unlock. */
export default function CouponCentre() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const tab = search.get("tab") === "mine" ? "mine" : "claim";
  return (
    <Page title={t("coupon.centre")}>
      <Tabs activeKey={tab} onChange={(k) => setSearch(k === "mine" ? { tab: "mine" } : {}, { replace: true })} style={{ background: "#fff", "--active-line-color": PRICE_RED, "--active-title-color": PRICE_RED } as never}>
        <Tabs.Tab key="claim" title={<span data-testid="coupon-tab-claim">{t("coupon.toClaim")}</span>} />
        <Tabs.Tab key="mine" title={<span data-testid="coupon-tab-mine">{t("coupon.mine")}</span>} />
      </Tabs>
      {tab === "claim" ? <Claimable /> : <Mine />}
    </Page>
  );
}

function Claimable() {
  const { t } = useI18n();
  const validity = useValidity();
  const requireUser = useRequireUser();
  const errorText = useErrorText();
  const [claimed, setClaimed] = useState<Set<string>>(new Set());
  const { data, error, reload } = useLoad(() => api.get<{ items: CouponTemplate[] }>("/coupon-templates", { limit: 50 }), []);
  if (!data) return <LoadState error={error} />;
  if (data.items.length === 0) return <ErrorBlock status="empty" title={t("coupon.noneToClaim")} description="" />;
  const claim = async (c: CouponTemplate) => {
    if (!requireUser()) return;
    try {
      await api.post(`/coupons/${c.id}/claim`, {}, { idempotencyKey: idempotencyKey() });
      setClaimed(new Set([...claimed, c.id]));
      Toast.show({ icon: "success", content: c.fissionShares ? t("coupon.claimedLocked", { n: c.fissionShares }) : t("coupon.claimed") });
      void reload();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <div style={{ paddingBottom: 16 }}>
      {data.items.map((c) => {
        const left = c.stock === null ? null : c.stock - c.issued;
        return (
          <CouponTicket
            key={c.id}
            c={c}
            testId={`coupon-template-${c.id}`}
            sub={validity(c)}
            action={
              <Button size="small" color="danger" shape="rounded" fill={claimed.has(c.id) ? "outline" : "solid"} data-testid={`coupon-claim-${c.id}`} onClick={() => void claim(c)}>
                {claimed.has(c.id) ? t("coupon.claimAgain") : t("coupon.claim")}
              </Button>
            }
          >
            {c.fissionShares ? <div style={{ color: "#ff6a00", fontSize: 11, marginTop: 4 }}>{t("coupon.fissionTag", { n: c.fissionShares })}</div> : null}
            {left !== null && <div style={{ color: "#aaa", fontSize: 11, marginTop: 2 }}>{t("coupon.stockLeft", { n: left })}</div>}
          </CouponTicket>
        );
      })}
    </div>
  );
}

function Mine() {
  const { t } = useI18n();
  const { user } = useSession();
  const requireUser = useRequireUser();
  const [state, setState] = useState<(typeof STATES)[number]>("usable");
  const [sharing, setSharing] = useState<MyCoupon | null>(null);
  const { data, error } = useLoad(() => (user ? api.get<{ items: MyCoupon[] }>("/me/coupons", { state, limit: 50 }) : Promise.resolve(null)), [state, user?.id]);
  if (!user)
    return (
      <ErrorBlock status="empty" title={t("coupon.signInToSee")} description="">
        <Button color="danger" shape="rounded" data-testid="coupon-sign-in" onClick={() => void requireUser()}>
          {t("coupon.signIn")}
        </Button>
      </ErrorBlock>
    );
  return (
    <div style={{ paddingBottom: 16 }}>
      <CapsuleTabs activeKey={state} onChange={(k) => setState(k as (typeof STATES)[number])}>
        {STATES.map((s) => (
          <CapsuleTabs.Tab key={s} title={<span data-testid={`coupon-state-${s}`}>{t(`coupon.state.${s}`)}</span>} />
        ))}
      </CapsuleTabs>
      {!data ? (
        <LoadState error={error} />
      ) : data.items.length === 0 ? (
        <ErrorBlock status="empty" title={t("coupon.none")} description="" />
      ) : (
        data.items.map((c) => (
          <CouponTicket
            key={c.id}
            c={c}
            testId={`my-coupon-${c.id}`}
            faded={c.state === "used" || c.state === "expired"}
            sub={t("coupon.validRange", { from: shanghaiDate(c.validFrom), until: shanghaiDate(c.validUntil) })}
            action={
              c.state === "locked" ? (
                <Button size="small" color="warning" shape="rounded" data-testid={`coupon-unlock-${c.id}`} onClick={() => setSharing(c)}>
                  {t("coupon.shareToUnlock")}
                </Button>
              ) : c.state === "usable" ? (
                <span style={{ color: PRICE_RED, fontSize: 12 }}>{t("coupon.state.usable")}</span>
              ) : (
                <span style={{ color: "#999", fontSize: 12 }}>{t(`coupon.state.${c.state}`)}</span>
              )
            }
          >
            {c.fission && c.state === "locked" && (
              <div style={{ marginTop: 6 }}>
                <ProgressBar percent={(c.fission.opened / c.fission.required) * 100} style={{ "--track-width": "6px", "--fill-color": "#ff6a00" } as never} />
                <div style={{ color: "#ff6a00", fontSize: 11, marginTop: 2 }}>{t("coupon.fissionProgress", { opened: c.fission.opened, required: c.fission.required })}</div>
              </div>
            )}
          </CouponTicket>
        ))
      )}
      <FissionLinkSheet coupon={sharing} onClose={() => setSharing(null)} />
    </div>
  );
}

/**
 * The share link of a locked fission coupon (裂变券): friends who open it while signed in help unlock it.
 * One link per coupon, so every friend's open counts towards the same coupon.
 */
function FissionLinkSheet({ coupon, onClose }: { coupon: MyCoupon | null; onClose(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { data, error } = useLoad(
    () => (coupon ? api.post<{ token: string; required: number; opened: number; unlocked: boolean }>(`/coupons/${coupon.id}/fission-link`) : Promise.resolve(null)),
    [coupon?.id],
  );
  const url = data ? `${location.origin}/#/coupons/${data.token}` : "";
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      Toast.show({ content: t("share.copied") });
    } catch {
      Toast.show({ content: t("share.copyManually") });
    }
  };
  return (
    <Popup visible={!!coupon} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
      <div style={{ padding: "18px 16px 24px" }} data-testid="coupon-fission-sheet">
        <div style={{ fontSize: 16, fontWeight: 600, textAlign: "center" }}>{t("coupon.fissionTitle")}</div>
        {error ? (
          <div style={{ color: PRICE_RED, textAlign: "center", marginTop: 16 }}>{errorText(error)}</div>
        ) : data ? (
          <>
            <div style={{ textAlign: "center", color: "#666", fontSize: 13, margin: "8px 0 14px" }}>{t("coupon.fissionProgress", { opened: data.opened, required: data.required })}</div>
            <div data-testid="coupon-fission-url" style={{ background: "#f5f5f5", borderRadius: 8, padding: 10, fontSize: 13, wordBreak: "break-all" }}>
              {url}
            </div>
            <Button block color="danger" shape="rounded" style={{ marginTop: 14 }} data-testid="coupon-fission-copy" onClick={() => void copy()}>
              {t("share.copyLink")}
            </Button>
          </>
        ) : (
          <LoadState error={null} />
        )}
      </div>
    </Popup>
  );
}
