import { useState } from "react";
import { Link } from "react-router";
import Button from "antd-mobile/es/components/button";
import Dialog from "antd-mobile/es/components/dialog";
import ErrorBlock from "antd-mobile/es/components/error-block";
import InfiniteScroll from "antd-mobile/es/components/infinite-scroll";
import Input from "antd-mobile/es/components/input";
import Popup from "antd-mobile/es/components/popup";
import Selector from "antd-mobile/es/components/selector";
import Toast from "antd-mobile/es/components/toast";
import { shanghaiTime } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { Price } from "../components/Price";
import { RequireLogin } from "../components/RequireLogin";
import type { Paged } from "../components/types";
import { useErrorText, useLoad } from "../components/load";

interface Request {
  id: string;
  orderId: string;
  type: string;
  status: string;
  reason: { code: string; label: string };
  refundAmount: number;
  items: { orderItemId: string; title: string; qty: number }[];
  returnShipment: { carrier: string; trackingNo: string } | null;
  rejectReason: string | null;
  createdAt: string;
}

const GOODS_BACK = new Set(["return_refund", "exchange", "repair"]);

export default function Aftersales() {
  return (
    <RequireLogin>
      <AftersalesPage />
    </RequireLogin>
  );
}

/** 我的售后: each request with where it stands; withdraw it, or give the return parcel's tracking number. */
function AftersalesPage() {
  const { t } = useI18n();
  const [items, setItems] = useState<Request[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [sendingBack, setSendingBack] = useState<Request | null>(null);
  const loadMore = async () => {
    const page = await api.get<Paged<Request>>("/aftersales", { limit: 10, after: cursor ?? undefined });
    setItems((prev) => [...prev, ...page.items]);
    setCursor(page.nextCursor);
  };
  const replace = (r: Request) => setItems((prev) => prev.map((x) => (x.id === r.id ? r : x)));
  return (
    <Page title={t("aftersales.title")} testId="aftersales-page">
      {cursor === null && items.length === 0 && <ErrorBlock status="empty" title={t("aftersales.empty")} description="" style={{ padding: "60px 0" }} />}
      {items.map((r) => (
        <RequestCard key={r.id} request={r} onChange={replace} onSendBack={() => setSendingBack(r)} />
      ))}
      <InfiniteScroll loadMore={loadMore} hasMore={cursor !== null}>
        {(hasMore) => (hasMore ? <span className="store-muted">{t("feed.loading")}</span> : null)}
      </InfiniteScroll>
      <Popup visible={Boolean(sendingBack)} onMaskClick={() => setSendingBack(null)} onClose={() => setSendingBack(null)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
        {sendingBack && (
          <SendBackForm
            request={sendingBack}
            onDone={(r) => {
              replace(r);
              setSendingBack(null);
            }}
          />
        )}
      </Popup>
    </Page>
  );
}

function RequestCard({ request: r, onChange, onSendBack }: { request: Request; onChange(r: Request): void; onSendBack(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const withdraw = async () => {
    if (!(await Dialog.confirm({ content: t("aftersales.withdrawAsk"), confirmText: t("aftersales.withdraw"), cancelText: t("orders.notYet") }))) return;
    try {
      onChange(await api.post<Request>(`/aftersales/${r.id}/cancel`, {}));
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <section className="store-card" data-testid="aftersale-card" data-status={r.status}>
      <div style={{ display: "flex", justifyContent: "space-between", marginBottom: 6 }}>
        <span style={{ fontWeight: 600 }}>{t(`aftersale.type.${r.type}`)}</span>
        <span style={{ color: "var(--store-red)" }} data-testid="aftersale-status">
          {t(`aftersaleStatus.${r.status}`)}
        </span>
      </div>
      {r.items.map((i) => (
        <div key={i.orderItemId} style={{ fontSize: 13, color: "#444" }}>
          {i.title} ×{i.qty}
        </div>
      ))}
      <div className="store-muted" style={{ marginTop: 6 }}>
        {t(`aftersale.reason.${r.reason.code}`)} · {shanghaiTime(r.createdAt)}
      </div>
      {r.refundAmount > 0 && (
        <div style={{ fontSize: 13, marginTop: 4 }}>
          {t("aftersales.refundAmount")} <Price fen={r.refundAmount} size="sm" />
        </div>
      )}
      {r.rejectReason && <div style={{ fontSize: 13, color: "#999", marginTop: 4 }}>{t("aftersales.rejected", { reason: r.rejectReason })}</div>}
      {r.returnShipment && <div style={{ fontSize: 13, color: "#666", marginTop: 4 }}>{t("aftersales.returnParcel", { carrier: r.returnShipment.carrier, no: r.returnShipment.trackingNo })}</div>}
      <div style={{ display: "flex", justifyContent: "flex-end", gap: 8, marginTop: 10 }}>
        <Link to={`/orders/${r.orderId}`}>
          <Button size="small" shape="rounded">
            {t("aftersales.order")}
          </Button>
        </Link>
        {(r.status === "requested" || r.status === "approved") && (
          <Button size="small" shape="rounded" onClick={() => void withdraw()} data-testid="aftersale-withdraw">
            {t("aftersales.withdraw")}
          </Button>
        )}
        {r.status === "approved" && GOODS_BACK.has(r.type) && (
          <Button size="small" shape="rounded" color="danger" onClick={onSendBack} data-testid="aftersale-send-back">
            {t("aftersales.sendBack")}
          </Button>
        )}
      </div>
    </section>
  );
}

function SendBackForm({ request, onDone }: { request: Request; onDone(r: Request): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { data } = useLoad(() => api.get<{ carriers: { code: string; name: string }[] }>("/shipping/carriers"), []);
  const [carrier, setCarrier] = useState<string | null>(null);
  const [trackingNo, setTrackingNo] = useState("");
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      onDone(await api.post<Request>(`/aftersales/${request.id}/return-shipment`, { carrier, trackingNo: trackingNo.trim() }));
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ padding: 16 }}>
      <div style={{ fontWeight: 600, fontSize: 16, marginBottom: 12 }}>{t("aftersales.sendBack")}</div>
      <Selector columns={3} value={carrier ? [carrier] : []} onChange={(v) => setCarrier(v[0] ?? null)} options={(data?.carriers ?? []).map((c) => ({ label: c.name, value: c.code }))} />
      <Input value={trackingNo} onChange={setTrackingNo} placeholder={t("aftersales.trackingNo")} style={{ margin: "16px 0", padding: "8px 0", borderBottom: "1px solid #eee" }} />
      <Button block color="danger" shape="rounded" disabled={!carrier || !/^[A-Za-z0-9-]{6,40}$/.test(trackingNo.trim())} loading={busy} onClick={() => void send()}>
        {t("aftersales.sendBackSubmit")}
      </Button>
    </div>
  );
}
