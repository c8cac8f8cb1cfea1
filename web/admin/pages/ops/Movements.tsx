import { Tag } from "antd";
import { shanghaiTime } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { ServerTable } from "../../components/ServerTable";
import { IdText } from "./labels";
import { useWarehouses } from "./lookups";
import type { StockMovement } from "./types";

const REASON_COLORS: Record<StockMovement["reason"], string> = { receipt: "green", adjustment: "orange", reservation: "blue", release: "default", sale: "purple", return: "cyan" };

const signed = (n: number) => (n > 0 ? `+${n}` : n === 0 ? "0" : String(n));

/** The stock ledger (出入库流水), newest first: of one SKU, or of everything (operators), or of one document (`ref`). */
export default function Movements({ skuId, documentRef, showSku = false }: { skuId?: string; documentRef?: string; showSku?: boolean }) {
  const { t } = useI18n();
  const warehouses = useWarehouses();
  return (
    <ServerTable<StockMovement>
      path="/admin/stock/movements"
      query={{ skuId, ref: documentRef }}
      testId="stock-movements"
      columns={[
        { title: t("ops.stock.at"), dataIndex: "at", width: 170, render: (at: string) => shanghaiTime(at) },
        ...(showSku ? [{ title: "SKU", dataIndex: "skuId", width: 250, render: (id: string) => <IdText id={id} /> }] : []),
        { title: t("ops.stock.warehouse"), dataIndex: "warehouseId", width: 130, render: (id: string) => warehouses.find((w) => w.id === id)?.name ?? id },
        { title: t("ops.stock.reason"), dataIndex: "reason", width: 90, render: (r: StockMovement["reason"]) => <Tag color={REASON_COLORS[r]}>{t(`ops.stock.reason.${r}`)}</Tag> },
        { title: t("ops.stock.deltaOnHand"), dataIndex: "deltaOnHand", width: 90, align: "right", render: signed },
        { title: t("ops.stock.deltaReserved"), dataIndex: "deltaReserved", width: 90, align: "right", render: signed },
        { title: t("ops.stock.ref"), dataIndex: "ref", render: (ref: string | null) => ref ?? "—" },
        // The ledger keeps the reason given with a change as its note; one that only repeats the kind says nothing.
        { title: t("ops.stock.note"), dataIndex: "note", render: (note: string | null, m) => (note && note !== m.reason ? note : "—") },
      ]}
    />
  );
}
