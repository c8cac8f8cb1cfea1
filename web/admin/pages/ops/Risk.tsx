import { App, Button, Card, InputNumber, Progress, Select, Space, Table, Tabs, Tag } from "antd";
import { useEffect, useState } from "react";
import { ApiError, idempotencyKey } from "../../../shared/api";
import { shanghaiTime } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { YuanInput } from "../../components/YuanInput";
import { IdText, StatusTag, usePhraseOr } from "./labels";
import TextModal from "./TextModal";
import type { RiskReview } from "./types";

const SUBJECTS: RiskReview["subjectType"][] = ["reward", "commission", "withdrawal"];

/** The manual review queue for rewards, commissions and withdrawals that scored too risky, and the thresholds behind it. */
export default function Risk() {
  const { t } = useI18n();
  return (
    <Card title={t("nav.risk")}>
      <Tabs
        items={[
          { key: "queue", label: t("ops.risk.queue"), children: <Queue /> },
          { key: "settings", label: <span data-testid="risk-settings-tab">{t("ops.risk.settings")}</span>, children: <Settings /> },
        ]}
      />
    </Card>
  );
}

function Queue() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<RiskReview["status"] | undefined>("pending");
  const [subjectType, setSubjectType] = useState<RiskReview["subjectType"]>();
  const [reload, setReload] = useState(0);
  const [deciding, setDeciding] = useState<{ review: RiskReview; decision: "approve" | "reject" } | null>(null);

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          value={status}
          style={{ width: 140 }}
          placeholder={t("ops.common.allStatuses")}
          options={(["pending", "approved", "rejected"] as const).map((s) => ({ value: s, label: t(`ops.risk.status.${s}`) }))}
          onChange={(s?: RiskReview["status"]) => setStatus(s)}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t("ops.risk.allSubjects")}
          options={SUBJECTS.map((s) => ({ value: s, label: t(`ops.risk.subject.${s}`) }))}
          onChange={(s?: RiskReview["subjectType"]) => setSubjectType(s)}
        />
      </Space>
      <ServerTable<RiskReview>
        path="/admin/risk/reviews"
        query={{ status, subjectType }}
        reloadKey={reload}
        testId="risk-table"
        columns={[
          { title: t("ops.risk.subjectType"), dataIndex: "subjectType", width: 100, render: (s: RiskReview["subjectType"]) => t(`ops.risk.subject.${s}`) },
          { title: t("ops.risk.subjectId"), dataIndex: "subjectId", width: 260, render: (id: string) => <IdText id={id} /> },
          {
            title: t("ops.risk.score"),
            dataIndex: "score",
            width: 150,
            render: (score: number) => <Progress percent={score} size="small" format={(p) => p} status={score >= 70 ? "exception" : "normal"} strokeColor={score >= 70 ? undefined : "#faad14"} />,
          },
          { title: t("ops.risk.reasons"), dataIndex: "reasons", render: (reasons: string[]) => reasons.map((r) => <Tag key={r}>{t(`ops.risk.reason.${r}`)}</Tag>) },
          { title: t("common.status"), dataIndex: "status", width: 90, render: (s: RiskReview["status"]) => <StatusTag kind="risk" status={s} /> },
          { title: t("ops.risk.note"), dataIndex: "note", width: 160, render: (note: string | null) => note ?? "—" },
          { title: t("common.createdAt"), dataIndex: "createdAt", width: 170, render: (at: string) => shanghaiTime(at) },
          {
            title: t("common.actions"),
            width: 130,
            render: (_, r) =>
              r.status === "pending" ? (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setDeciding({ review: r, decision: "approve" })} data-testid={`risk-approve-${r.id}`}>
                    {t("ops.risk.approve")}
                  </Button>
                  <Button type="link" size="small" danger onClick={() => setDeciding({ review: r, decision: "reject" })} data-testid={`risk-reject-${r.id}`}>
                    {t("ops.risk.reject")}
                  </Button>
                </Space>
              ) : (
                shanghaiTime(r.decidedAt)
              ),
          },
        ]}
      />
      <TextModal
        open={deciding !== null}
        title={deciding?.decision === "reject" ? t("ops.risk.reject") : t("ops.risk.approve")}
        label={t("ops.risk.note")}
        field="note"
        required={deciding?.decision === "reject"}
        danger={deciding?.decision === "reject"}
        maxLength={500}
        testId="risk-decide"
        onClose={() => setDeciding(null)}
        onSubmit={async (body) => {
          await api.post(`/admin/risk/reviews/${deciding!.review.id}/${deciding!.decision}`, body, { idempotencyKey: idempotencyKey() });
          message.success(t(deciding!.decision === "approve" ? "ops.risk.approved" : "ops.risk.rejected"));
          setReload((n) => n + 1);
        }}
      />
    </>
  );
}

interface Setting {
  key: string;
  value: number;
  description: string;
}

function Settings() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [settings, setSettings] = useState<Setting[]>([]);
  const [draft, setDraft] = useState<Record<string, number | null>>({});
  const [loading, setLoading] = useState(true);
  const phraseOr = usePhraseOr();

  useEffect(() => {
    api
      .get<Setting[]>("/admin/risk/settings")
      .then(setSettings, (err: Error) => message.error(err.message))
      .finally(() => setLoading(false));
  }, [message]);

  const save = async (key: string) => {
    try {
      const saved = await api.put<{ key: string; value: number }>(`/admin/risk/settings/${key}`, { value: draft[key] });
      setSettings(settings.map((s) => (s.key === key ? { ...s, value: saved.value } : s)));
      setDraft({ ...draft, [key]: null });
      message.success(t("common.saved"));
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <Table<Setting>
      rowKey="key"
      size="middle"
      loading={loading}
      pagination={false}
      dataSource={settings}
      data-testid="risk-settings"
      columns={[
        { title: t("ops.risk.setting"), dataIndex: "key", width: 260, render: (key: string) => phraseOr(`ops.risk.setting.${key}`, key) },
        { title: t("ops.risk.settingMeaning"), render: (_, s) => phraseOr(`ops.risk.settingHelp.${s.key}`, s.description) },
        {
          title: t("ops.risk.value"),
          width: 260,
          render: (_, s) => (
            <Space>
              {s.key.endsWith("_fen") ? (
                <YuanInput value={draft[s.key] ?? s.value} onChange={(v) => setDraft({ ...draft, [s.key]: v })} style={{ width: 140 }} data-testid={`risk-setting-${s.key}`} />
              ) : (
                <InputNumber min={0} max={1_000_000_000} precision={0} value={draft[s.key] ?? s.value} onChange={(v) => setDraft({ ...draft, [s.key]: v })} style={{ width: 140 }} data-testid={`risk-setting-${s.key}`} />
              )}
              <Button size="small" disabled={draft[s.key] === undefined || draft[s.key] === null || draft[s.key] === s.value} onClick={() => void save(s.key)}>
                {t("common.save")}
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}
