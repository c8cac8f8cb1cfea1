import { useEffect, useState } from "react";
import Button from "antd-mobile/es/components/button";
import DotLoading from "antd-mobile/es/components/dot-loading";
import Popup from "antd-mobile/es/components/popup";
import Toast from "antd-mobile/es/components/toast";
import { CheckCircleFill } from "antd-mobile-icons";
import { idempotencyKey } from "../../shared/api";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { useErrorText } from "./load";
import { Price } from "./Price";

interface Started {
  paymentId: string;
  amount: number;
}

type PaymentStatus = "created" | "succeeded" | "failed" | "closed" | "amount_mismatch";

/** Payment succeeds on the provider's verified notification, which arrives on its own time: ask until it has. */
async function settled(paymentId: string): Promise<PaymentStatus> {
  for (let i = 0; i < 40; i++) {
    const p = await api.get<{ status: PaymentStatus }>(`/payments/${paymentId}`);
    if (p.status !== "created") return p.status;
    await new Promise((r) => setTimeout(r, 250));
  }
  return "created";
}

/**
 * The pay sheet (收银台): opens one payment for the orders and pays it with the built-in test provider,
 * whose pay button sends a signed notification to the server — the same path a real provider's takes —
 * so the orders are paid only once the server has verified it.
 */
export function PaySheet({ orderIds, visible, onClose, onPaid }: { orderIds: string[]; visible: boolean; onClose(): void; onPaid(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [payment, setPayment] = useState<Started | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [paying, setPaying] = useState(false);
  const ids = orderIds.join(",");

  useEffect(() => {
    if (!visible || !ids) return;
    setPayment(null);
    setError(null);
    api
      .post<Started>("/payments", { orderIds: ids.split(","), provider: "test" }, { idempotencyKey: idempotencyKey() })
      .then(setPayment)
      .catch((e) => setError(errorText(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visible, ids]);

  const pay = async () => {
    if (!payment) return;
    setPaying(true);
    try {
      const res = await fetch(`/pay/test/${payment.paymentId}/confirm`, { method: "POST" });
      if (!res.ok) throw new Error(String(res.status));
      const status = await settled(payment.paymentId);
      if (status !== "succeeded") throw new Error(status);
      Toast.show({ icon: "success", content: t("pay.done") });
      onPaid();
    } catch {
      Toast.show({ icon: "fail", content: t("pay.failed") });
    } finally {
      setPaying(false);
    }
  };

  return (
    <Popup visible={visible} onMaskClick={paying ? undefined : onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
      <div style={{ padding: "20px 16px 24px" }} data-testid="pay-sheet">
        <div style={{ textAlign: "center", fontSize: 15, color: "#666" }}>{t("pay.title")}</div>
        <div style={{ textAlign: "center", margin: "12px 0 20px", minHeight: 40 }} data-testid="pay-amount">
          {payment ? <Price fen={payment.amount} size="lg" color="#222" /> : error ? <span style={{ color: "var(--store-red)" }}>{error}</span> : <DotLoading />}
        </div>
        <div style={{ display: "flex", alignItems: "center", gap: 12, padding: 12, border: "1px solid #f0f0f0", borderRadius: 10 }}>
          <div style={{ width: 36, height: 36, borderRadius: 8, background: "#1677ff", color: "#fff", display: "flex", alignItems: "center", justifyContent: "center", fontWeight: 700 }}>T</div>
          <div style={{ flex: 1 }}>
            <div style={{ fontSize: 15 }}>{t("pay.testProvider")}</div>
            <div className="store-muted">{t("pay.testProviderHint")}</div>
          </div>
          <CheckCircleFill color="var(--store-red)" fontSize={20} />
        </div>
        <Button block color="danger" shape="rounded" size="large" style={{ marginTop: 24 }} disabled={!payment} loading={paying} onClick={() => void pay()} data-testid="pay-confirm">
          {payment ? t("pay.confirm", { amount: yuan(payment.amount) }) : t("pay.preparing")}
        </Button>
      </div>
    </Popup>
  );
}
