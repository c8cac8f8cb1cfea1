import { type ReactNode, useEffect, useState } from "react";
import Button from "antd-mobile/es/components/button";
import Popup from "antd-mobile/es/components/popup";
import Stepper from "antd-mobile/es/components/stepper";
import Toast from "antd-mobile/es/components/toast";
import { idempotencyKey } from "../../shared/api";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { AddressForm, addressLine } from "../components/AddressForm";
import { PaySheet } from "../components/PaySheet";
import type { Address } from "../components/types";
import { PRICE_RED, useErrorText } from "./kit";

/** The address the order ships to: the default one, a choice among the others, or a new one typed in place. */
export function AddressChoice({ value, onChange }: { value: Address | null; onChange(a: Address): void }) {
  const { t } = useI18n();
  const [list, setList] = useState<Address[] | null>(null);
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    api
      .get<{ items: Address[] }>("/me/addresses")
      .then((r) => {
        setList(r.items);
        if (!value && r.items.length) onChange(r.items.find((a) => a.isDefault) ?? r.items[0]);
      })
      .catch(() => setList([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (list === null) return null;
  if (adding || list.length === 0)
    return (
      <div data-testid="address-form" style={{ margin: "0 -12px" }}>
        <AddressForm
          onSaved={(a) => {
            setList([a, ...list]);
            setAdding(false);
            onChange(a);
          }}
        />
      </div>
    );
  return (
    <div>
      {list.map((a) => (
        <div
          key={a.id}
          data-testid={`address-${a.id}`}
          onClick={() => onChange(a)}
          style={{ padding: 10, borderRadius: 8, marginBottom: 8, border: value?.id === a.id ? "1.5px solid var(--store-red)" : "1px solid #eee", background: value?.id === a.id ? "#fff5f4" : "#fff" }}
        >
          <div style={{ fontWeight: 600 }}>
            {a.recipient} <span style={{ color: "#888", fontWeight: 400 }}>{a.phone}</span>
          </div>
          <div style={{ color: "#666", fontSize: 13, marginTop: 2 }}>{addressLine(a)}</div>
        </div>
      ))}
      <Button size="small" fill="none" color="primary" data-testid="address-add" onClick={() => setAdding(true)}>
        + {t("address.new")}
      </Button>
    </div>
  );
}

/**
 * The confirm-and-pay sheet of the fission buys (open or join a team, buy a bargain): quantity, address,
 * the goods price; `place()` makes the order (idempotently), then the store's pay sheet takes the
 * payment. `onDone` runs once paid, or when the shopper leaves the payment for later.
 */
export function OrderSheet<Placed extends { orderId: string }>(props: {
  visible: boolean;
  onClose(): void;
  title: string;
  unitPrice: number;
  maxQty?: number;
  summary?: ReactNode;
  confirmText: string;
  place(input: { addressId: string; qty: number; idempotencyKey: string }): Promise<Placed>;
  onDone(placed: Placed, paid: boolean): void;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [address, setAddress] = useState<Address | null>(null);
  const [qty, setQty] = useState(1);
  const [busy, setBusy] = useState(false);
  const [placed, setPlaced] = useState<Placed | null>(null);
  // One key per confirmation: a double tap or a retried request cannot place two orders.
  const [key, setKey] = useState(idempotencyKey);
  useEffect(() => {
    if (props.visible) setKey(idempotencyKey());
  }, [props.visible]);
  const confirm = async () => {
    if (!address) return;
    setBusy(true);
    try {
      const order = await props.place({ addressId: address.id, qty, idempotencyKey: key });
      props.onClose();
      setPlaced(order);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Popup visible={props.visible} onMaskClick={props.onClose} onClose={props.onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: "85vh", overflowY: "auto" }}>
        <div style={{ padding: 16 }} data-testid="order-sheet">
          <div style={{ fontSize: 16, fontWeight: 600, marginBottom: 8 }}>{props.title}</div>
          {props.summary}
          {(props.maxQty ?? 1) > 1 && (
            <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", margin: "12px 0" }}>
              <span>{t("order.qty")}</span>
              <Stepper min={1} max={props.maxQty} value={qty} onChange={setQty} data-testid="order-qty" />
            </div>
          )}
          <div style={{ fontWeight: 600, margin: "12px 0 8px" }}>{t("order.shipTo")}</div>
          <AddressChoice value={address} onChange={setAddress} />
          <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between", marginTop: 16 }}>
            <div>
              <div>
                {t("order.total")} <span style={{ color: PRICE_RED, fontSize: 20, fontWeight: 700 }} data-testid="order-total">{yuan(props.unitPrice * qty)}</span>
              </div>
              <div style={{ color: "#999", fontSize: 11 }}>{t("order.shippingHint")}</div>
            </div>
            <Button color="danger" shape="rounded" disabled={!address} loading={busy} data-testid="order-confirm" onClick={() => void confirm()}>
              {props.confirmText}
            </Button>
          </div>
        </div>
      </Popup>
      <PayOrder
        orderId={placed?.orderId ?? null}
        onDone={(paid) => {
          setPlaced(null);
          props.onDone(placed!, paid);
        }}
      />
    </>
  );
}

/** The store's pay sheet for one order placed before; `onDone(false)` when the shopper closes it unpaid. */
export function PayOrder({ orderId, onDone }: { orderId: string | null; onDone(paid: boolean): void }) {
  return <PaySheet orderIds={orderId ? [orderId] : []} visible={!!orderId} onClose={() => onDone(false)} onPaid={() => onDone(true)} />;
}
