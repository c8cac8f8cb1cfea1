import { useState } from "react";
import Button from "antd-mobile/es/components/button";
import Dialog from "antd-mobile/es/components/dialog";
import ErrorBlock from "antd-mobile/es/components/error-block";
import Popup from "antd-mobile/es/components/popup";
import Toast from "antd-mobile/es/components/toast";
import { DeleteOutline, EditSOutline } from "antd-mobile-icons";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { AddressForm, addressLine } from "../components/AddressForm";
import { Page } from "../components/Page";
import { RequireLogin } from "../components/RequireLogin";
import type { Address } from "../components/types";
import { LoadState, useErrorText, useLoad } from "../components/load";

export default function Addresses() {
  return (
    <RequireLogin>
      <AddressBook />
    </RequireLogin>
  );
}

/** 收货地址: the address book; the default address is the one checkout starts with. */
function AddressBook() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { data, error, reload } = useLoad(() => api.get<{ items: Address[] }>("/me/addresses"), []);
  const [editing, setEditing] = useState<Address | "new" | null>(null);
  const remove = async (a: Address) => {
    if (!(await Dialog.confirm({ content: t("addresses.removeAsk"), confirmText: t("addresses.remove"), cancelText: t("orders.notYet") }))) return;
    try {
      await api.del(`/me/addresses/${a.id}`);
      await reload();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <Page
      title={t("addresses.title")}
      testId="addresses-page"
      footer={
        <Button block color="danger" shape="rounded" onClick={() => setEditing("new")} data-testid="address-add">
          {t("addresses.add")}
        </Button>
      }
    >
      {!data ? (
        <LoadState error={error} />
      ) : data.items.length === 0 ? (
        <ErrorBlock status="empty" title={t("addresses.empty")} description="" style={{ padding: "60px 0" }} />
      ) : (
        data.items.map((a) => (
          <section key={a.id} className="store-card" style={{ display: "flex", alignItems: "center", gap: 10 }} data-testid="address-card">
            <div style={{ flex: 1 }}>
              <div style={{ fontWeight: 600 }}>
                {a.recipient} <span style={{ fontWeight: 400, color: "#666" }}>{a.phone}</span>
                {a.isDefault && <span style={{ marginLeft: 6, fontSize: 11, color: "var(--store-red)", border: "1px solid var(--store-red)", borderRadius: 3, padding: "0 3px" }}>{t("addresses.default")}</span>}
              </div>
              <div style={{ fontSize: 13, color: "#666", marginTop: 4 }}>{addressLine(a)}</div>
            </div>
            <EditSOutline fontSize={20} color="#666" style={{ cursor: "pointer" }} onClick={() => setEditing(a)} data-testid="address-edit" />
            <DeleteOutline fontSize={20} color="#999" style={{ cursor: "pointer" }} onClick={() => void remove(a)} data-testid="address-remove" />
          </section>
        ))
      )}
      <Popup visible={editing !== null} onMaskClick={() => setEditing(null)} onClose={() => setEditing(null)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: "90vh", overflowY: "auto" }} destroyOnClose>
        <div style={{ padding: "14px 16px 0", fontWeight: 600, fontSize: 16 }}>{t(editing === "new" ? "addresses.add" : "addresses.edit")}</div>
        <AddressForm
          address={editing && editing !== "new" ? editing : undefined}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      </Popup>
    </Page>
  );
}
