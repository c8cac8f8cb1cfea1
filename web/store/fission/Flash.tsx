import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import Button from "antd-mobile/es/components/button";
import Modal from "antd-mobile/es/components/modal";
import Popup from "antd-mobile/es/components/popup";
import ProgressBar from "antd-mobile/es/components/progress-bar";
import Stepper from "antd-mobile/es/components/stepper";
import { CheckCircleFill, FrownOutline } from "antd-mobile-icons";
import { idempotencyKey } from "../../shared/api";
import { shanghaiTime, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { ProductImage } from "../components/ProductCard";
import type { Address } from "../components/types";
import { deviceHeaders } from "./device";
import { Card, Countdown, LoadState, PRICE_RED, useErrorText, useLoad, useRequireUser, useServerClock } from "./kit";
import { AddressChoice, PayOrder } from "./purchase";

interface Slot {
  id: string;
  title: string;
  opensAt: string;
  closesAt: string;
}

interface FlashItem {
  id: string;
  skuId: string;
  flashPrice: number;
  stock: number;
  remaining: number | null;
  perUserLimit: number;
  paymentMinutes: number;
  title: string | null;
  image: string | null;
  listPrice: number | null;
}

interface Attempt {
  attemptId: string;
  status: "queued" | "ordered" | "paid" | "released" | "failed";
  orderId: string | null;
  failure: string | null;
}

type Phase = "upcoming" | "open" | "ended";
type Outcome = { won: true; orderId: string; item: FlashItem } | { won: false; reason: string };

/** A slot's phase by the server's clock, so the grab button opens exactly when the server does. */
const phaseOf = (slot: Slot, now: number): Phase => (now < new Date(slot.opensAt).getTime() ? "upcoming" : now < new Date(slot.closesAt).getTime() ? "open" : "ended");

/** The attempt is queued until its order is placed; ask until it says. */
async function attemptResult(attemptId: string): Promise<Attempt> {
  for (let i = 0; i < 60; i++) {
    const a = await api.get<Attempt>(`/flash/attempts/${attemptId}`);
    if (a.status !== "queued") return a;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("timeout");
}

/** Flash sales (秒杀): the slots of the day with countdowns on the server's clock, items with stock bars, grab. */
export default function Flash() {
  const { t } = useI18n();
  const now = useServerClock();
  const { data: slots, error } = useLoad(() => api.get<{ serverTime: string; slots: Slot[] }>("/flash/now"), [], 30_000);
  const [chosen, setChosen] = useState<string | null>(null);

  if (!slots) return <Page title={t("flash.title")}>{<LoadState error={error} />}</Page>;
  const list = slots.slots;
  const current = list.find((s) => s.id === chosen) ?? list.find((s) => phaseOf(s, now) === "open") ?? list.find((s) => phaseOf(s, now) === "upcoming") ?? list[list.length - 1];

  return (
    <Page title={t("flash.title")} testId="flash-page">
      <div style={{ background: "linear-gradient(180deg,#e02e24,#ff5b3a)", display: "flex", overflowX: "auto", padding: "6px 4px 10px" }} data-testid="flash-slots">
        {list.length === 0 && <div style={{ color: "#fff", padding: 12 }}>{t("flash.noSlots")}</div>}
        {list.map((s) => {
          const phase = phaseOf(s, now);
          const active = s.id === current?.id;
          return (
            <div
              key={s.id}
              data-testid={`flash-slot-${s.id}`}
              onClick={() => setChosen(s.id)}
              style={{ flex: "none", minWidth: 76, textAlign: "center", color: "#fff", padding: "6px 8px", borderRadius: 8, background: active ? "rgba(255,255,255,.22)" : "transparent", opacity: phase === "ended" && !active ? 0.7 : 1 }}
            >
              <div style={{ fontSize: 18, fontWeight: 700 }}>{shanghaiTime(s.opensAt).slice(11, 16)}</div>
              <div style={{ fontSize: 11 }}>{t(`flash.phase.${phase}`)}</div>
            </div>
          );
        })}
      </div>
      {current && <SlotItems slot={current} now={now} />}
      <Card>
        <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("flash.rules")}</div>
        <div style={{ color: "#666", fontSize: 13, lineHeight: 1.8 }}>
          <div>1. {t("flash.rule1")}</div>
          <div>2. {t("flash.rule2")}</div>
          <div>3. {t("flash.rule3")}</div>
        </div>
      </Card>
    </Page>
  );
}

function SlotItems({ slot, now }: { slot: Slot; now: number }) {
  const { t } = useI18n();
  const phase = phaseOf(slot, now);
  const { data, error, reload } = useLoad(() => api.get<{ serverTime: string; items: FlashItem[] }>(`/flash/slots/${slot.id}`), [slot.id], 3000);
  const [grabbing, setGrabbing] = useState<FlashItem | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [paying, setPaying] = useState<string | null>(null);
  const navigate = useNavigate();
  const requireUser = useRequireUser();
  // The moment the slot opens by the server's clock, the units left are read again.
  useEffect(() => {
    if (phase === "open") void reload();
  }, [phase, reload]);

  return (
    <div>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", padding: "10px 14px", background: "#fff", borderBottom: "1px solid #f2f2f2" }} data-testid="flash-slot-status">
        <span style={{ fontWeight: 600 }}>{slot.title}</span>
        <span style={{ fontSize: 13, color: "#666" }}>
          {phase === "upcoming" ? (
            <>
              {t("flash.opensIn")} <Countdown until={slot.opensAt} now={now} style={{ color: PRICE_RED, fontWeight: 600 }} />
            </>
          ) : phase === "open" ? (
            <>
              {t("flash.closesIn")} <Countdown until={slot.closesAt} now={now} style={{ color: PRICE_RED, fontWeight: 600 }} />
            </>
          ) : (
            t("flash.ended")
          )}
        </span>
      </div>
      {!data ? (
        <LoadState error={error} />
      ) : (
        data.items.map((item) => {
          const left = item.remaining ?? item.stock;
          const soldPct = item.stock > 0 ? Math.round(((item.stock - left) / item.stock) * 100) : 100;
          return (
            <div key={item.id} data-testid={`flash-item-${item.id}`} style={{ display: "flex", gap: 12, background: "#fff", padding: 12, borderBottom: "1px solid #f5f5f5" }}>
              <ProductImage src={item.image} title={item.title ?? ""} size={104} />
              <div style={{ flex: 1, minWidth: 0, display: "flex", flexDirection: "column", justifyContent: "space-between" }}>
                <div className="store-clamp-2" style={{ fontSize: 14, lineHeight: "20px" }}>{item.title}</div>
                <div style={{ display: "flex", alignItems: "center", gap: 8, margin: "6px 0" }}>
                  <ProgressBar percent={soldPct} style={{ flex: 1, "--track-width": "8px", "--fill-color": PRICE_RED } as never} />
                  <span style={{ fontSize: 11, color: left === 0 ? "#999" : PRICE_RED, whiteSpace: "nowrap" }} data-testid={`flash-left-${item.id}`}>
                    {left === 0 ? t("flash.soldOut") : left <= Math.max(5, item.stock / 5) ? t("flash.left", { n: left }) : t("flash.taken", { pct: soldPct })}
                  </span>
                </div>
                <div style={{ display: "flex", alignItems: "flex-end", justifyContent: "space-between" }}>
                  <div>
                    <span style={{ color: PRICE_RED, fontSize: 20, fontWeight: 700 }}>{yuan(item.flashPrice)}</span>
                    {item.listPrice !== null && <span style={{ color: "#aaa", textDecoration: "line-through", fontSize: 12, marginLeft: 4 }}>{yuan(item.listPrice)}</span>}
                  </div>
                  <Button
                    size="small"
                    color="danger"
                    shape="rounded"
                    disabled={phase !== "open" || left === 0}
                    data-testid={`flash-grab-${item.id}`}
                    onClick={() => void (requireUser() && setGrabbing(item))}
                  >
                    {phase === "upcoming" ? t("flash.soon") : phase === "ended" ? t("flash.ended") : left === 0 ? t("flash.soldOut") : t("flash.grab")}
                  </Button>
                </div>
              </div>
            </div>
          );
        })
      )}
      <GrabSheet
        item={grabbing}
        onClose={() => setGrabbing(null)}
        onOutcome={(o) => {
          setGrabbing(null);
          setOutcome(o);
          void reload();
        }}
      />
      <Modal
        visible={!!outcome}
        closeOnMaskClick
        onClose={() => setOutcome(null)}
        content={
          outcome && (
            <div style={{ textAlign: "center" }} data-testid={outcome.won ? "flash-result-won" : "flash-result-lost"}>
              <div style={{ fontSize: 48, color: outcome.won ? "#00b578" : "#999" }}>{outcome.won ? <CheckCircleFill /> : <FrownOutline />}</div>
              <div style={{ fontSize: 18, fontWeight: 600, margin: "8px 0" }}>{outcome.won ? t("flash.won") : t("flash.lost")}</div>
              <div style={{ color: "#666", fontSize: 13 }}>{outcome.won ? t("flash.wonHint", { minutes: outcome.item.paymentMinutes }) : outcome.reason}</div>
            </div>
          )
        }
        actions={
          outcome?.won
            ? [
                { key: "pay", text: t("flash.payNow"), primary: true, onClick: () => (setPaying(outcome.orderId), setOutcome(null)) },
                { key: "later", text: t("flash.later"), onClick: () => setOutcome(null) },
              ]
            : [{ key: "ok", text: t("flash.ok"), primary: true, onClick: () => setOutcome(null) }]
        }
      />
      <PayOrder
        orderId={paying}
        onDone={(paid) => {
          const orderId = paying;
          setPaying(null);
          if (paid) navigate(`/orders/${orderId}`);
        }}
      />
    </div>
  );
}

/** Confirms the address and quantity, then tries: the server's counter decides at once; a winner's order follows. */
function GrabSheet({ item, onClose, onOutcome }: { item: FlashItem | null; onClose(): void; onOutcome(o: Outcome): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [address, setAddress] = useState<Address | null>(null);
  const [qty, setQty] = useState(1);
  const [busy, setBusy] = useState(false);
  const visible = !!item;

  const grab = async () => {
    if (!item || !address) return;
    setBusy(true);
    try {
      const started = await api.post<Attempt>(`/flash/items/${item.id}/attempts`, { addressId: address.id, qty }, { idempotencyKey: idempotencyKey(), headers: deviceHeaders() });
      const done = await attemptResult(started.attemptId);
      onOutcome(done.orderId && done.status !== "failed" ? { won: true, orderId: done.orderId, item } : { won: false, reason: t("flash.failed") });
    } catch (e) {
      onOutcome({ won: false, reason: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popup visible={visible} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: "85vh", overflowY: "auto" }}>
      {item && (
        <div style={{ padding: 16 }} data-testid="flash-grab-sheet">
          <div style={{ display: "flex", gap: 12, marginBottom: 12 }}>
            <ProductImage src={item.image} title={item.title ?? ""} size={72} />
            <div>
              <div style={{ fontSize: 14 }}>{item.title}</div>
              <div style={{ color: PRICE_RED, fontSize: 20, fontWeight: 700, marginTop: 4 }}>{yuan(item.flashPrice)}</div>
              <div style={{ color: "#999", fontSize: 12 }}>{t("flash.limit", { n: item.perUserLimit })}</div>
            </div>
          </div>
          {item.perUserLimit > 1 && (
            <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", margin: "8px 0 12px" }}>
              <span>{t("order.qty")}</span>
              <Stepper min={1} max={item.perUserLimit} value={qty} onChange={setQty} />
            </div>
          )}
          <div style={{ fontWeight: 600, margin: "4px 0 8px" }}>{t("order.shipTo")}</div>
          <AddressChoice value={address} onChange={setAddress} />
          <Button block color="danger" shape="rounded" size="large" style={{ marginTop: 16 }} disabled={!address} loading={busy} loadingText={t("flash.grabbing")} data-testid="flash-grab-confirm" onClick={() => void grab()}>
            {t("flash.grabNow")}
          </Button>
        </div>
      )}
    </Popup>
  );
}
