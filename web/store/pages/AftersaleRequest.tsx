import { useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Checkbox from "antd-mobile/es/components/checkbox";
import Selector from "antd-mobile/es/components/selector";
import Stepper from "antd-mobile/es/components/stepper";
import TextArea from "antd-mobile/es/components/text-area";
import Toast from "antd-mobile/es/components/toast";
import { idempotencyKey } from "../../shared/api";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { PhotoUploader } from "../components/PhotoUploader";
import { Price } from "../components/Price";
import { ProductImage } from "../components/ProductCard";
import { RequireLogin } from "../components/RequireLogin";
import type { Order } from "../components/types";
import { LoadState, useErrorText, useLoad } from "../components/load";

export default function AftersaleRequest() {
  return (
    <RequireLogin>
      <RequestPage />
    </RequireLogin>
  );
}

interface Rules {
  types: Record<string, string>;
  reasons: Record<string, string>;
  windows: Record<string, { days: number; opens: string }>;
}

/** Types that send goods back open once the goods arrived (delivery or confirmed receipt). */
const RECEIVED = new Set(["delivered", "completed"]);

/** 申请售后: which items and how many, what to do about them (type), why, in words and photos. */
function RequestPage() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { data, error } = useLoad(() => Promise.all([api.get<Order>(`/orders/${id}`), api.get<Rules>("/aftersales/rules")]), [id]);
  const [type, setType] = useState("refund_only");
  const [reason, setReason] = useState<string | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [description, setDescription] = useState("");
  const [photos, setPhotos] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const key = useRef(idempotencyKey());
  if (!data) return <Page title={t("aftersale.title")}>{<LoadState error={error} />}</Page>;
  const [order, rules] = data;
  const types = Object.keys(rules.types).filter((k) => k === "refund_only" || RECEIVED.has(order.status));
  const open = order.items.filter((i) => i.qty > i.refundedQty);
  const chosen = Object.entries(qty).filter(([, n]) => n > 0);
  const label = (group: "type" | "reason", code: string, server: string) => {
    const k = `aftersale.${group}.${code}`;
    const phrase = t(k);
    return phrase === k ? server.split(" — ")[0] : phrase;
  };

  const submit = async () => {
    if (chosen.length === 0) return Toast.show({ content: t("aftersale.pickItems") });
    if (!reason) return Toast.show({ content: t("aftersale.pickReason") });
    setSending(true);
    try {
      await api.post(`/orders/${order.id}/aftersales`, { type, reasonCode: reason, description: description.trim(), photos, items: chosen.map(([orderItemId, n]) => ({ orderItemId, qty: n })) }, { idempotencyKey: key.current });
      Toast.show({ icon: "success", content: t("aftersale.sent") });
      navigate("/aftersales", { replace: true });
    } catch (e) {
      key.current = idempotencyKey();
      Toast.show({ content: errorText(e) });
    } finally {
      setSending(false);
    }
  };

  return (
    <Page
      title={t("aftersale.title")}
      testId="aftersale-request"
      footer={
        <Button block color="danger" shape="rounded" loading={sending} onClick={() => void submit()} data-testid="aftersale-submit">
          {t("aftersale.submit")}
        </Button>
      }
    >
      <section className="store-card">
        <div className="store-section-title">{t("aftersale.items")}</div>
        {open.map((item) => {
          const left = item.qty - item.refundedQty;
          const n = qty[item.id] ?? 0;
          return (
            <div key={item.id} style={{ display: "flex", alignItems: "center", gap: 10, marginBottom: 10 }} data-testid="aftersale-item">
              <Checkbox checked={n > 0} onChange={(on) => setQty({ ...qty, [item.id]: on ? left : 0 })} data-testid="aftersale-item-check" />
              <ProductImage src={item.image} title={item.title} size={60} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <div className="store-clamp-2" style={{ fontSize: 13 }}>
                  {item.title}
                </div>
                <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", marginTop: 4 }}>
                  <Price fen={item.unitPrice} size="sm" />
                  {n > 0 && left > 1 ? <Stepper min={1} max={left} value={n} onChange={(v) => setQty({ ...qty, [item.id]: v })} /> : <span className="store-muted">×{left}</span>}
                </div>
              </div>
            </div>
          );
        })}
      </section>

      <section className="store-card">
        <div className="store-section-title">{t("aftersale.type")}</div>
        <Selector columns={2} value={[type]} onChange={(v) => v[0] && setType(v[0])} options={types.map((k) => ({ label: label("type", k, rules.types[k]), value: k, description: t("aftersale.window", { days: rules.windows[k]?.days ?? 0 }) }))} data-testid="aftersale-type" />
        {!RECEIVED.has(order.status) && <div className="store-muted" style={{ marginTop: 8 }}>{t("aftersale.goodsBackLater")}</div>}
      </section>

      <section className="store-card">
        <div className="store-section-title">{t("aftersale.reason")}</div>
        <Selector columns={2} value={reason ? [reason] : []} onChange={(v) => setReason(v[0] ?? null)} options={Object.keys(rules.reasons).map((k) => ({ label: label("reason", k, rules.reasons[k]), value: k }))} data-testid="aftersale-reason" />
      </section>

      <section className="store-card">
        <div className="store-section-title">{t("aftersale.describe")}</div>
        <TextArea value={description} onChange={setDescription} placeholder={t("aftersale.describeHint")} maxLength={500} showCount autoSize={{ minRows: 3, maxRows: 6 }} data-testid="aftersale-description" />
        <div style={{ marginTop: 10 }}>
          <PhotoUploader value={photos} onChange={setPhotos} testId="aftersale-photos" />
        </div>
      </section>
    </Page>
  );
}
