import { Button, Card, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { ServerTable } from "../../components/ServerTable";
import AftersaleDrawer from "./AftersaleDrawer";
import { MONO, StatusTag } from "./labels";
import type { Aftersale, AftersaleStatus, AftersaleType } from "./types";

export const AFTERSALE_TYPES: AftersaleType[] = ["refund_only", "return_refund", "exchange", "repair"];
const STATUSES: AftersaleStatus[] = ["requested", "approved", "awaiting_return", "returned", "refunded", "reshipped", "repaired", "rejected", "cancelled"];

/** The after-sales queue: what waits for a decision first, each request opened with its full history. */
export default function Aftersales() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<AftersaleStatus | undefined>("requested");
  const [type, setType] = useState<AftersaleType>();
  const [reload, setReload] = useState(0);
  const open = params.get("request");
  const openRequest = (id: string | null) => setParams(id ? { request: id } : {});

  return (
    <Card title={t("nav.aftersales")}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          value={status}
          placeholder={t("ops.common.allStatuses")}
          data-testid="aftersale-status-filter"
          options={STATUSES.map((s) => ({ value: s, label: t(`ops.aftersale.status.${s}`) }))}
          onChange={(s?: AftersaleStatus) => setStatus(s)}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          value={type}
          placeholder={t("ops.aftersale.allTypes")}
          options={AFTERSALE_TYPES.map((s) => ({ value: s, label: t(`ops.aftersale.type.${s}`) }))}
          onChange={(s?: AftersaleType) => setType(s)}
        />
      </Space>
      <ServerTable<Aftersale>
        path="/admin/aftersales"
        query={{ status, type }}
        reloadKey={reload}
        testId="aftersale-table"
        columns={[
          { title: t("ops.aftersale.number"), dataIndex: "id", width: 250, render: (id: string) => <Typography.Text style={MONO}>{id}</Typography.Text> },
          { title: t("ops.aftersale.type"), dataIndex: "type", width: 100, render: (v: AftersaleType) => t(`ops.aftersale.type.${v}`) },
          {
            title: t("ops.order.items"),
            render: (_, r) => (
              <>
                {r.items.map((i) => `${i.title} ×${i.qty}`).join("；")}
                <div style={{ color: "#888", fontSize: 12 }}>{t(`ops.aftersale.reason.${r.reason.code}`)}</div>
              </>
            ),
          },
          { title: t("ops.aftersale.refundAmount"), dataIndex: "refundAmount", width: 110, align: "right", render: (fen: number) => yuan(fen) },
          { title: t("common.status"), dataIndex: "status", width: 100, render: (s: AftersaleStatus) => <StatusTag kind="aftersale" status={s} /> },
          { title: t("common.createdAt"), dataIndex: "createdAt", width: 170, render: (at: string) => shanghaiTime(at) },
          {
            title: t("common.actions"),
            width: 90,
            render: (_, r) => (
              <Button type="link" size="small" onClick={() => openRequest(r.id)} data-testid={`aftersale-open-${r.id}`}>
                {t("ops.aftersale.handle")}
              </Button>
            ),
          },
        ]}
      />
      <AftersaleDrawer id={open} onClose={() => openRequest(null)} onChanged={() => setReload((n) => n + 1)} />
    </Card>
  );
}
