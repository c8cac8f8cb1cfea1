import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import ErrorBlock from "antd-mobile/es/components/error-block";
import ProgressBar from "antd-mobile/es/components/progress-bar";
import Result from "antd-mobile/es/components/result";
import Toast from "antd-mobile/es/components/toast";
import { GiftOutline } from "antd-mobile-icons";
import { idempotencyKey } from "../../shared/api";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { useSession } from "../session";
import { CouponTicket, type CouponTemplate, useValidity } from "./coupons";
import { Card, LoadState, useErrorText, useLoad, useShareToken } from "./kit";
import { PhoneSignInSheet } from "./PhoneSignInSheet";

interface FissionOpen {
  couponId: string;
  templateId: string;
  name: string;
  required: number;
  opened: number;
  unlocked: boolean;
  counted: boolean;
  claimable: boolean;
}

/**
 * Where a shared coupon lands: a coupon template shared by a friend (`/coupons/cpt_…`, claim it), or a
 * friend's fission coupon link (`/coupons/<token>`: opening it while signed in helps unlock their coupon).
 */
export default function CouponLanding() {
  const { id = "" } = useParams();
  return id.startsWith("cpt_") ? <SharedTemplate templateId={id} /> : <FissionLink token={id} />;
}

/** Signing in first, then `run`: in place, so the friend never leaves the shared page. */
function useSignedIn() {
  const { user } = useSession();
  const [pending, setPending] = useState<(() => Promise<void>) | null>(null);
  const sheet = (title: string, actionText: string) => (
    <PhoneSignInSheet
      visible={!!pending}
      onClose={() => setPending(null)}
      title={title}
      actionText={actionText}
      onSignedIn={async () => {
        const run = pending;
        setPending(null);
        await run?.();
      }}
    />
  );
  const signedIn = (run: () => Promise<void>) => (user ? void run() : setPending(() => run));
  return { signedIn, sheet };
}

function SharedTemplate({ templateId }: { templateId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const validity = useValidity();
  const errorText = useErrorText();
  const shareToken = useShareToken();
  const { signedIn, sheet } = useSignedIn();
  const [claimed, setClaimed] = useState(false);
  const { data, error } = useLoad(async () => {
    const [list, intro] = await Promise.all([
      api.get<{ items: CouponTemplate[] }>("/coupon-templates", { limit: 100 }),
      shareToken ? api.get<{ sharerName: string }>(`/shares/${shareToken}`).catch(() => null) : Promise.resolve(null),
    ]);
    return { template: list.items.find((c) => c.id === templateId) ?? null, sharerName: intro?.sharerName ?? null };
  }, [templateId, shareToken]);
  if (!data) return <Page title={t("coupon.landing")}>{<LoadState error={error} />}</Page>;
  const claim = async () => {
    try {
      await api.post(`/coupons/${templateId}/claim`, {}, { idempotencyKey: idempotencyKey() });
      setClaimed(true);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <Page title={t("coupon.landing")}>
      <div style={{ background: "linear-gradient(180deg,#e02e24,#ff7a45)", padding: "20px 0 28px", color: "#fff", textAlign: "center" }}>
        <div style={{ fontSize: 18, fontWeight: 600 }} data-testid="coupon-landing-intro">
          {data.sharerName ? t("coupon.sharedBy", { name: data.sharerName }) : t("coupon.forYou")}
        </div>
        {data.template ? (
          <div style={{ textAlign: "left" }}>
            <CouponTicket c={data.template} sub={validity(data.template)} testId="coupon-landing-ticket" />
          </div>
        ) : (
          <ErrorBlock status="empty" title={t("coupon.gone")} description="" style={{ color: "#fff" }} />
        )}
      </div>
      <div style={{ padding: 16 }}>
        {claimed ? (
          <Result status="success" title={t("coupon.claimed")} description={t("coupon.claimedHint")} />
        ) : (
          data.template && (
            <Button block color="danger" shape="rounded" size="large" data-testid="coupon-landing-claim" onClick={() => signedIn(claim)}>
              {t("coupon.claimNow")}
            </Button>
          )
        )}
        <Button block fill="none" style={{ marginTop: 8 }} data-testid="coupon-landing-centre" onClick={() => navigate("/coupons")}>
          {t("coupon.moreCoupons")}
        </Button>
      </div>
      {sheet(t("coupon.signInTitle"), t("coupon.signInAndClaim"))}
    </Page>
  );
}

function FissionLink({ token }: { token: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const { signedIn, sheet } = useSignedIn();
  const [opened, setOpened] = useState<FissionOpen | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [claimed, setClaimed] = useState(false);
  const open = async () => {
    try {
      setOpened(await api.get<FissionOpen>(`/coupon-fission/${token}`));
    } catch (e) {
      setError(e);
    }
  };
  const claimToo = async () => {
    try {
      await api.post(`/coupons/${opened!.templateId}/claim`, {}, { idempotencyKey: idempotencyKey() });
      setClaimed(true);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <Page title={t("coupon.fissionLanding")}>
      <div style={{ background: "linear-gradient(180deg,#e02e24,#ff7a45)", padding: "28px 16px", color: "#fff", textAlign: "center" }}>
        <div style={{ fontSize: 48 }}>
          <GiftOutline />
        </div>
        <div style={{ fontSize: 18, fontWeight: 600, marginTop: 8 }}>{opened ? opened.name : t("coupon.fissionAsk")}</div>
      </div>
      {error ? (
        <LoadState error={error} />
      ) : !opened ? (
        <div style={{ padding: 16 }}>
          <div style={{ color: "#666", fontSize: 14, textAlign: "center", margin: "8px 0 18px" }}>{t("coupon.fissionExplain")}</div>
          <Button block color="danger" shape="rounded" size="large" data-testid="coupon-fission-help" onClick={() => signedIn(open)}>
            {t("coupon.fissionHelp")}
          </Button>
        </div>
      ) : (
        <Card testId="coupon-fission-result" style={{ textAlign: "center" }}>
          <div style={{ fontSize: 16, fontWeight: 600 }}>
            {opened.unlocked ? t("coupon.fissionUnlocked") : opened.counted ? t("coupon.fissionCounted") : t("coupon.fissionNotCounted")}
          </div>
          <ProgressBar percent={Math.min(100, (opened.opened / opened.required) * 100)} style={{ margin: "14px 0 6px", "--fill-color": "#ff6a00" } as never} />
          <div style={{ color: "#888", fontSize: 13 }}>{t("coupon.fissionProgress", { opened: Math.min(opened.opened, opened.required), required: opened.required })}</div>
          {opened.claimable &&
            (claimed ? (
              <div style={{ color: "#00b578", marginTop: 14 }}>{t("coupon.claimed")}</div>
            ) : (
              <Button block color="danger" shape="rounded" style={{ marginTop: 16 }} data-testid="coupon-fission-claim" onClick={() => void claimToo()}>
                {t("coupon.claimToo")}
              </Button>
            ))}
          <Button block fill="none" style={{ marginTop: 8 }} onClick={() => navigate("/coupons")}>
            {t("coupon.moreCoupons")}
          </Button>
        </Card>
      )}
      {sheet(t("coupon.signInTitle"), t("coupon.fissionHelp"))}
    </Page>
  );
}
