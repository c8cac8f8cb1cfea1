import { useEffect, useState } from "react";
import Button from "antd-mobile/es/components/button";
import Input from "antd-mobile/es/components/input";
import Popup from "antd-mobile/es/components/popup";
import Toast from "antd-mobile/es/components/toast";
import { useI18n } from "../../shared/i18n";
import { type Shopper, useSession } from "../session";
import { useErrorText } from "./kit";

/**
 * Sign-up on the spot (phone → code → go on): a friend who opened a shared link helps or claims without
 * leaving the page. Signing in credits the share that brought them. `onSignedIn` runs the action.
 */
export function PhoneSignInSheet(props: { visible: boolean; onClose(): void; title: string; actionText: string; onSignedIn(user: Shopper): Promise<void> }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { sendCode, login } = useSession();
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState(false);
  const [devCode, setDevCode] = useState<string | undefined>();
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);
  const phoneOk = /^1\d{10}$/.test(phone);
  const send = async () => {
    try {
      const r = await sendCode(phone);
      setSent(true);
      setDevCode(r.devCode);
      setWait(60);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const go = async () => {
    setBusy(true);
    try {
      const user = await login(phone, code);
      await props.onSignedIn(user);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popup visible={props.visible} onMaskClick={props.onClose} onClose={props.onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
      <div style={{ padding: "20px 16px 28px" }} data-testid="signin-sheet">
        <div style={{ fontSize: 17, fontWeight: 600, textAlign: "center" }}>{props.title}</div>
        <div style={{ color: "#888", fontSize: 13, textAlign: "center", margin: "6px 0 18px" }}>{t("signin.hint")}</div>
        <div style={{ background: "#f5f5f5", borderRadius: 8, padding: "10px 12px", marginBottom: 12 }}>
          <Input data-testid="signin-phone" type="tel" maxLength={11} placeholder={t("signin.phone")} value={phone} onChange={setPhone} clearable />
        </div>
        <div style={{ display: "flex", gap: 8, marginBottom: 8 }}>
          <div style={{ background: "#f5f5f5", borderRadius: 8, padding: "10px 12px", flex: 1 }}>
            <Input data-testid="signin-code" type="tel" maxLength={6} placeholder={t("signin.code")} value={code} onChange={setCode} />
          </div>
          <Button data-testid="signin-send-code" disabled={!phoneOk || wait > 0} onClick={() => void send()} style={{ width: 116 }}>
            {wait > 0 ? t("signin.resend", { s: wait }) : t("signin.sendCode")}
          </Button>
        </div>
        {sent && devCode && (
          <div data-testid="signin-dev-code" style={{ color: "#888", fontSize: 12, marginBottom: 8 }}>
            {t("signin.devCode", { code: devCode })}
          </div>
        )}
        <Button block color="danger" shape="rounded" size="large" style={{ marginTop: 12 }} disabled={!phoneOk || code.length < 4} loading={busy} data-testid="signin-submit" onClick={() => void go()}>
          {props.actionText}
        </Button>
        <div style={{ color: "#aaa", fontSize: 11, textAlign: "center", marginTop: 10 }}>{t("signin.terms")}</div>
      </div>
    </Popup>
  );
}
