import { App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Radio, Row, Segmented, Select, Space, Switch, Table, Tabs, Typography } from "antd";
import { type HTMLAttributes, useCallback, useEffect, useState } from "react";
import { idempotencyKey } from "../../../shared/api";
import { shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { showApiErrors } from "../../components/forms";
import { useSession } from "../../session";
import { FormModal, useAction } from "./FormModal";
import { bpToPercent, PercentInput, toBp, toFen, toYuan, YuanInput } from "./money";
import { ProductSelect, useCategories } from "./pickers";
import { ShortId } from "./ShortId";
import { StateTag, stateLabel } from "./StateTag";

type WithdrawalStatus = "requested" | "approved" | "rejected" | "paid" | "failed";
type PromoterStatus = "pending" | "approved" | "rejected";

interface Withdrawal {
  id: string;
  promoterId: string;
  promoterName: string;
  amount: number;
  fee: number;
  net: number;
  status: WithdrawalStatus;
  provider: string;
  providerRef: string | null;
  note: string | null;
  createdAt: string;
  decidedAt: string | null;
  paidAt: string | null;
}

interface Promoter {
  id: string;
  displayName: string;
  status: PromoterStatus;
  appliedAt: string;
  decidedAt: string | null;
  note: string | null;
}

interface Settings {
  autoApprove: boolean;
  bindingRule: "first" | "last";
  bindingDays: number;
  levels: number;
  level1RateBp: number;
  level2RateBp: number;
  minWithdrawal: number;
  withdrawalFeeBp: number;
}

interface SettingsForm {
  autoApprove: boolean;
  bindingRule: "first" | "last";
  bindingDays: number;
  levels: number;
  level1RateBp: number;
  level2RateBp: number;
  minWithdrawal: number;
  withdrawalFeeBp: number;
}

interface Rate {
  id: string;
  scope: "product" | "category";
  targetId: string;
  level: number;
  rateBp: number;
}

/** 分销: the withdrawals finance reviews, promoter applications, and the commission settings and rates. */
export default function Distribution() {
  const { t } = useI18n();
  const { can } = useSession();
  return (
    <Card title={t("nav.distribution")}>
      <Tabs
        destroyOnHidden
        items={[
          { key: "withdrawals", label: t("campaigns.distribution.withdrawals"), children: <Withdrawals /> },
          ...(can("users") ? [{ key: "promoters", label: t("campaigns.distribution.promoters"), children: <Promoters /> }] : []),
          { key: "settings", label: t("campaigns.distribution.settings"), children: <SettingsAndRates /> },
        ]}
      />
    </Card>
  );
}

function Withdrawals() {
  const { t } = useI18n();
  const act = useAction();
  const [status, setStatus] = useState<WithdrawalStatus | "all">("requested");
  const [reload, setReload] = useState(0);
  const [rejecting, setRejecting] = useState<Withdrawal | null>(null);
  const [reason, setReason] = useState("");
  const approve = async (w: Withdrawal) => {
    if (await act(() => api.post(`/admin/withdrawals/${w.id}/approve`, {}, { idempotencyKey: idempotencyKey() }), t("campaigns.distribution.approved"))) setReload((n) => n + 1);
  };
  const reject = async () => {
    if (!rejecting) return;
    const done = await act(() => api.post(`/admin/withdrawals/${rejecting.id}/reject`, { reason: reason.trim() }, { idempotencyKey: idempotencyKey() }), t("campaigns.distribution.rejected"));
    if (done) {
      setRejecting(null);
      setReason("");
      setReload((n) => n + 1);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Segmented<WithdrawalStatus | "all">
          value={status}
          onChange={setStatus}
          data-testid="withdrawal-status-filter"
          options={[
            { value: "requested", label: t("campaigns.distribution.toReview") },
            { value: "paid", label: stateLabel(t, "paid", "withdrawal") },
            { value: "rejected", label: stateLabel(t, "rejected", "withdrawal") },
            { value: "failed", label: stateLabel(t, "failed", "withdrawal") },
            { value: "all", label: t("campaigns.all") },
          ]}
        />
        <Button onClick={() => setReload((n) => n + 1)}>{t("common.refresh")}</Button>
      </Space>
      <ServerTable<Withdrawal>
        path="/admin/withdrawals"
        query={{ status: status === "all" ? undefined : status }}
        reloadKey={reload}
        onRow={(w) => ({ "data-testid": `withdrawal-row-${w.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("campaigns.distribution.promoter"), key: "promoter", render: (_, w) => <Space orientation="vertical" size={0}>{w.promoterName || "—"}<ShortId id={w.promoterId} /></Space> },
          { title: t("campaigns.distribution.amount"), dataIndex: "amount", render: (fen: number) => <Typography.Text strong>{yuan(fen)}</Typography.Text> },
          { title: t("campaigns.distribution.fee"), dataIndex: "fee", render: yuan },
          { title: t("campaigns.distribution.net"), dataIndex: "net", render: yuan },
          { title: t("campaigns.distribution.to"), dataIndex: "provider", render: (p: string) => t(`campaigns.distribution.provider.${p}`) },
          { title: t("campaigns.distribution.requestedAt"), dataIndex: "createdAt", render: shanghaiTime },
          { title: t("common.status"), dataIndex: "status", render: (s: string, w) => <StateTag state={s} scope="withdrawal" testId={`withdrawal-status-${w.id}`} /> },
          { title: t("campaigns.distribution.decided"), key: "decided", render: (_, w) => (w.decidedAt ? <Space orientation="vertical" size={0}>{shanghaiTime(w.decidedAt)}{w.note && <Typography.Text type="secondary">{w.note}</Typography.Text>}</Space> : "—") },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, w) =>
              w.status === "requested" ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => void approve(w)} data-testid={`withdrawal-approve-${w.id}`}>
                    {t("campaigns.distribution.approve")}
                  </Button>
                  <Button size="small" danger onClick={() => setRejecting(w)} data-testid={`withdrawal-reject-${w.id}`}>
                    {t("campaigns.distribution.reject")}
                  </Button>
                </Space>
              ) : (
                "—"
              ),
          },
        ]}
      />
      <Modal
        open={rejecting !== null}
        title={t("campaigns.distribution.rejectTitle", { amount: yuan(rejecting?.amount), name: rejecting?.promoterName ?? "" })}
        onCancel={() => setRejecting(null)}
        onOk={() => void reject()}
        okText={t("campaigns.distribution.reject")}
        cancelText={t("common.cancel")}
        okButtonProps={{ danger: true, disabled: reason.trim() === "", ...({ "data-testid": "withdrawal-reject-confirm" } as object) }}
      >
        <Typography.Paragraph type="secondary">{t("campaigns.distribution.rejectHint")}</Typography.Paragraph>
        <Input.TextArea autoFocus rows={3} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("campaigns.distribution.reasonPlaceholder")} data-testid="withdrawal-reject-reason" />
      </Modal>
    </>
  );
}

function Promoters() {
  const { t } = useI18n();
  const act = useAction();
  const [status, setStatus] = useState<PromoterStatus | "all">("pending");
  const [reload, setReload] = useState(0);
  const decide = async (p: Promoter, decision: "approve" | "reject") => {
    if (await act(() => api.post(`/admin/promoters/${p.id}/${decision}`, {}), t(decision === "approve" ? "campaigns.distribution.promoterApproved" : "campaigns.distribution.promoterRejected"))) setReload((n) => n + 1);
  };
  return (
    <>
      <Segmented<PromoterStatus | "all">
        style={{ marginBottom: 16 }}
        value={status}
        onChange={setStatus}
        options={[
          { value: "pending", label: t("campaigns.distribution.applications") },
          { value: "approved", label: t("campaigns.state.approved") },
          { value: "rejected", label: t("campaigns.state.rejected") },
          { value: "all", label: t("campaigns.all") },
        ]}
      />
      <ServerTable<Promoter>
        path="/admin/promoters"
        query={{ status: status === "all" ? undefined : status }}
        reloadKey={reload}
        onRow={(p) => ({ "data-testid": `promoter-row-${p.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("campaigns.distribution.promoter"), key: "name", render: (_, p) => <Space orientation="vertical" size={0}>{p.displayName || "—"}<ShortId id={p.id} /></Space> },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StateTag state={s} /> },
          { title: t("campaigns.distribution.appliedAt"), dataIndex: "appliedAt", render: shanghaiTime },
          { title: t("campaigns.distribution.decidedAt"), dataIndex: "decidedAt", render: shanghaiTime },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, p) =>
              p.status === "pending" ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => void decide(p, "approve")} data-testid={`promoter-approve-${p.id}`}>
                    {t("campaigns.distribution.approve")}
                  </Button>
                  <Popconfirm title={t("campaigns.distribution.rejectPromoter")} onConfirm={() => decide(p, "reject")} okText={t("campaigns.distribution.reject")} cancelText={t("common.cancel")}>
                    <Button size="small" danger data-testid={`promoter-reject-${p.id}`}>
                      {t("campaigns.distribution.reject")}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </>
  );
}

function SettingsAndRates() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [saving, setSaving] = useState(false);
  const load = useCallback(() => void api.get<Settings>("/admin/distribution/settings").then(setSettings), []);
  useEffect(load, [load]);
  useEffect(() => {
    if (settings)
      form.setFieldsValue({
        ...settings,
        level1RateBp: bpToPercent(settings.level1RateBp),
        level2RateBp: bpToPercent(settings.level2RateBp),
        withdrawalFeeBp: bpToPercent(settings.withdrawalFeeBp),
        minWithdrawal: toYuan(settings.minWithdrawal),
      });
  }, [settings, form]);
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      setSettings(
        await api.patch<Settings>("/admin/distribution/settings", {
          ...v,
          level1RateBp: toBp(v.level1RateBp),
          level2RateBp: toBp(v.level2RateBp),
          withdrawalFeeBp: toBp(v.withdrawalFeeBp),
          minWithdrawal: toFen(v.minWithdrawal),
        }),
      );
      message.success(t("common.saved"));
    } catch (err) {
      const unplaced = showApiErrors(form, err);
      if (unplaced) message.error(unplaced);
    } finally {
      setSaving(false);
    }
  };
  const required = { required: true, message: t("campaigns.required") };
  return (
    <Row gutter={24}>
      <Col xs={24} xl={10}>
        <Typography.Title level={5}>{t("campaigns.distribution.settings")}</Typography.Title>
        <Form form={form} layout="vertical" disabled={!settings}>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="autoApprove" label={t("campaigns.distribution.autoApprove")} valuePropName="checked" extra={t("campaigns.distribution.autoApproveHint")}>
                <Switch />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="levels" label={t("campaigns.distribution.levels")} rules={[required]} extra={t("campaigns.distribution.levelsHint")}>
                <Radio.Group optionType="button" options={[{ value: 1, label: t("campaigns.distribution.oneLevel") }, { value: 2, label: t("campaigns.distribution.twoLevels") }]} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="bindingRule" label={t("campaigns.distribution.bindingRule")} rules={[required]}>
                <Select options={[{ value: "first", label: t("campaigns.distribution.binding.first") }, { value: "last", label: t("campaigns.distribution.binding.last") }]} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="bindingDays" label={t("campaigns.distribution.bindingDays")} rules={[required]}>
                <InputNumber<number> min={1} max={3650} precision={0} suffix={t("campaigns.unit.days")} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="level1RateBp" label={t("campaigns.distribution.level1Rate")} rules={[required]}>
                <PercentInput data-testid="distribution-level1" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="level2RateBp" label={t("campaigns.distribution.level2Rate")} rules={[required]}>
                <PercentInput />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="minWithdrawal" label={t("campaigns.distribution.minWithdrawal")} rules={[required]}>
                <YuanInput min={0.01} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="withdrawalFeeBp" label={t("campaigns.distribution.withdrawalFee")} rules={[required]}>
                <PercentInput />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="distribution-settings-save">
            {t("common.save")}
          </Button>
        </Form>
      </Col>
      <Col xs={24} xl={14}>
        <Rates defaults={settings} />
      </Col>
    </Row>
  );
}

function Rates({ defaults }: { defaults: Settings | null }) {
  const { t } = useI18n();
  const act = useAction();
  const categories = useCategories();
  const [rates, setRates] = useState<Rate[]>([]);
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<{ scope: "product" | "category"; targetId: string; level: number; rate: number }>();
  const scope = Form.useWatch("scope", form) ?? "category";
  const load = useCallback(() => void api.get<{ items: Rate[] }>("/admin/distribution/rates").then((r) => setRates(r.items)), []);
  useEffect(load, [load]);
  useEffect(() => {
    const missing = rates.filter((r) => r.scope === "product" && !titles[r.targetId]);
    for (const r of missing) void api.get<{ title: string }>(`/products/${r.targetId}`).then((p) => setTitles((x) => ({ ...x, [r.targetId]: p.title })), () => undefined);
  }, [rates, titles]);
  const target = (r: Rate) => (r.scope === "category" ? (categories.find((c) => c.id === r.targetId)?.label ?? r.targetId) : (titles[r.targetId] ?? r.targetId));
  const remove = async (r: Rate) => {
    if (await act(() => api.del(`/admin/distribution/rates/${r.id}`))) load();
  };
  return (
    <>
      <Space style={{ marginBottom: 12, justifyContent: "space-between", width: "100%" }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t("campaigns.distribution.rates")}
        </Typography.Title>
        <Button onClick={() => setAdding(true)} data-testid="distribution-rate-add">
          {t("campaigns.distribution.addRate")}
        </Button>
      </Space>
      {defaults && (
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 12 }}
          items={[
            { key: "l1", label: t("campaigns.distribution.defaultLevel1"), children: `${bpToPercent(defaults.level1RateBp)}%` },
            { key: "l2", label: t("campaigns.distribution.defaultLevel2"), children: defaults.levels >= 2 ? `${bpToPercent(defaults.level2RateBp)}%` : t("campaigns.distribution.notPaid") },
          ]}
        />
      )}
      <Table<Rate>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rates}
        locale={{ emptyText: t("campaigns.distribution.noRates") }}
        columns={[
          { title: t("campaigns.distribution.scope"), dataIndex: "scope", render: (s: string) => t(`campaigns.distribution.scope.${s}`) },
          { title: t("campaigns.distribution.target"), key: "target", render: (_, r) => target(r) },
          { title: t("campaigns.distribution.level"), dataIndex: "level", render: (l: number) => t("campaigns.distribution.levelN", { n: l }) },
          { title: t("campaigns.distribution.rate"), dataIndex: "rateBp", render: (bp: number) => `${bpToPercent(bp)}%` },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, r) => (
              <Popconfirm title={t("campaigns.distribution.removeRate")} onConfirm={() => remove(r)} okText={t("campaigns.remove")} cancelText={t("common.cancel")}>
                <Button size="small" danger>
                  {t("campaigns.remove")}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {adding && (
        <FormModal
          open
          title={t("campaigns.distribution.addRate")}
          form={form}
          width={520}
          testId="distribution-rate-form"
          initialValues={{ scope: "category", level: 1 }}
          onClose={() => setAdding(false)}
          onSubmit={async (v) => {
            await api.put("/admin/distribution/rates", { scope: v.scope, targetId: v.targetId, level: v.level, rateBp: toBp(v.rate) });
            load();
          }}
        >
          <Form.Item name="scope" label={t("campaigns.distribution.scope")}>
            <Radio.Group optionType="button" onChange={() => form.setFieldValue("targetId", undefined)} options={[{ value: "category", label: t("campaigns.distribution.scope.category") }, { value: "product", label: t("campaigns.distribution.scope.product") }]} />
          </Form.Item>
          <Form.Item name="targetId" label={t("campaigns.distribution.target")} rules={[{ required: true, message: t("campaigns.required") }]}>
            {scope === "category" ? <Select showSearch={{ optionFilterProp: "label" }} options={categories.map((c) => ({ value: c.id, label: c.label }))} /> : <ProductSelect />}
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="level" label={t("campaigns.distribution.level")} extra={t("campaigns.distribution.levelsHint")}>
                <Radio.Group optionType="button" options={[1, 2].map((n) => ({ value: n, label: t("campaigns.distribution.levelN", { n }) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="rate" label={t("campaigns.distribution.rate")} rules={[{ required: true, message: t("campaigns.required") }]}>
                <PercentInput />
              </Form.Item>
            </Col>
          </Row>
        </FormModal>
      )}
    </>
  );
}
