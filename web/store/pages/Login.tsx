import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Input from "antd-mobile/es/components/input";
import Toast from "antd-mobile/es/components/toast";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import type { ShareIntro } from "../components/types";
import { useErrorText } from "../components/load";
import { arrivalShareToken, useSession } from "../session";

/** Only paths inside the store are followed after sign-in, never another site. */
const safeRedirect = (to: string | null) => (to && to.startsWith("/") && !to.startsWith("//") ? to : "/me");

/**
 * 登录 / 注册 by phone code: the first sign-in registers, crediting the shared link or invite that
 * brought the visitor. The development SMS provider hands the code back; only then is it shown here.
 */
export default function Login() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { user, sendCode, login } = useSession();
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [devCode, setDevCode] = useState<string | null>(null);
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const [sharer, setSharer] = useState<string | null>(null);
  const redirect = safeRedirect(params.get("redirect"));

  useEffect(() => {
    if (user) navigate(redirect, { replace: true });
  }, [user, redirect, navigate]);
  useEffect(() => {
    const token = arrivalShareToken();
    if (token) api.get<ShareIntro>(`/shares/${encodeURIComponent(token)}`).then((s) => setSharer(s.sharerName), () => undefined);
  }, []);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const phoneOk = /^1\d{10}$/.test(phone);
  const send = async () => {
    try {
      const res = await sendCode(phone);
      setDevCode(res.devCode ?? null);
      setWait(60);
      Toast.show({ content: t("auth.codeSent") });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const submit = async () => {
    setBusy(true);
    try {
      await login(phone, code, name.trim() || undefined);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const field = { background: "#f7f7f7", borderRadius: 24, padding: "10px 16px", marginBottom: 14, display: "flex", alignItems: "center", gap: 8 } as const;
  return (
    <Page title={t("auth.title")} testId="login-page">
      <div style={{ padding: "28px 24px", background: "#fff", minHeight: "calc(100vh - 46px)", boxSizing: "border-box" }}>
        <div style={{ fontSize: 24, fontWeight: 700 }}>{t("auth.welcome")}</div>
        <div style={{ color: "#999", fontSize: 13, margin: "6px 0 28px" }}>{t("auth.subtitle")}</div>
        {sharer && (
          <div style={{ background: "#fff1e6", color: "#ad4e00", borderRadius: 10, padding: "8px 12px", fontSize: 13, marginBottom: 20 }} data-testid="login-sharer">
            {t("auth.fromSharer", { name: sharer })}
          </div>
        )}
        <div style={field}>
          <span style={{ color: "#333" }}>+86</span>
          <Input type="tel" maxLength={11} value={phone} onChange={setPhone} placeholder={t("auth.phone")} clearable data-testid="login-phone" />
        </div>
        <div style={field}>
          <Input type="tel" maxLength={6} value={code} onChange={setCode} placeholder={t("auth.code")} data-testid="login-code" />
          <Button size="small" fill="none" color="primary" disabled={!phoneOk || wait > 0} onClick={() => void send()} style={{ whiteSpace: "nowrap" }} data-testid="login-send-code">
            {wait > 0 ? t("auth.resend", { s: wait }) : t("auth.sendCode")}
          </Button>
        </div>
        {devCode && (
          <div onClick={() => setCode(devCode)} style={{ fontSize: 13, color: "#1677ff", margin: "-6px 0 14px 16px", cursor: "pointer" }} data-testid="login-dev-code" data-code={devCode}>
            {t("auth.devCode", { code: devCode })}
          </div>
        )}
        <div style={field}>
          <Input maxLength={30} value={name} onChange={setName} placeholder={t("auth.nickname")} data-testid="login-name" />
        </div>
        <Button block color="danger" shape="rounded" size="large" disabled={!phoneOk || !/^\d{6}$/.test(code)} loading={busy} onClick={() => void submit()} data-testid="login-submit" style={{ marginTop: 10 }}>
          {t("auth.submit")}
        </Button>
        <div className="store-muted" style={{ textAlign: "center", marginTop: 16 }}>
          {t("auth.terms")}
        </div>
      </div>
    </Page>
  );
}
