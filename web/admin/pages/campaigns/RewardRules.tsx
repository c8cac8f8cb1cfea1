import { Button, Card, Col, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Progress, Radio, Row, Segmented, Select, Space, Switch, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { type HTMLAttributes, useEffect, useState } from "react";
import { yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { FormModal, useAction } from "./FormModal";
import { bpToPercent, PercentInput, toBp, toFen, toYuan, YuanInput } from "./money";
import { StateTag } from "./StateTag";
import { fromApiTime, PICKER_FORMAT, toApiTime } from "./time";
import { useCouponTemplates } from "./useCouponTemplates";
import { Window } from "./Window";

type Trigger = "invitee_registered" | "invitee_first_order_completed" | "share_order_paid" | "order_completed";
type Beneficiary = "inviter" | "invitee" | "sharer" | "buyer";
type RewardKind = "points" | "cash" | "growth" | "coupon";

/** Each fission path, who it may pay and whether it has an order to take a share of (the API's TRIGGERS). */
const TRIGGERS: Record<Trigger, { beneficiaries: Beneficiary[]; orderBased: boolean }> = {
  invitee_registered: { beneficiaries: ["inviter", "invitee"], orderBased: false },
  invitee_first_order_completed: { beneficiaries: ["inviter", "invitee"], orderBased: true },
  share_order_paid: { beneficiaries: ["sharer", "buyer"], orderBased: true },
  order_completed: { beneficiaries: ["buyer"], orderBased: true },
};
const KINDS: RewardKind[] = ["cash", "points", "growth", "coupon"];

interface Rule {
  id: string;
  name: string;
  campaignId: string | null;
  trigger: Trigger;
  beneficiary: Beneficiary;
  rewardKind: RewardKind;
  amount: number;
  rateBps: number | null;
  couponTemplateId: string | null;
  budget: number;
  capPerUser: number | null;
  capPerUserPerDay: number | null;
  capPerDay: number | null;
  claimDays: number | null;
  autoClaim: boolean;
  startsAt: string | null;
  endsAt: string | null;
  status: "active" | "paused";
}

interface Stats {
  unit: RewardKind;
  budget: number;
  committed: number;
  remaining: number;
  issued: { count: number; amount: number };
  claimed: { count: number; amount: number };
  expired: { count: number; amount: number };
  cancelled: { count: number; amount: number };
  rejected: { count: number; amount: number };
  reducedByRefunds: number;
  flaggedForReview: number;
  blockedSelfReferrals: number;
  refusedByCaps: number;
}

/** Typed values: cash in yuan, the other units as whole numbers. */
interface RuleForm {
  name: string;
  campaignId?: string;
  trigger: Trigger;
  beneficiary: Beneficiary;
  rewardKind: RewardKind;
  mode: "fixed" | "rate";
  amount?: number;
  rate?: number;
  couponTemplateId?: string;
  budget: number;
  capPerUser?: number;
  capPerUserPerDay?: number;
  capPerDay?: number;
  claimDays?: number;
  autoClaim: boolean;
  startsAt?: Dayjs;
  endsAt?: Dayjs;
}

interface EditForm {
  name: string;
  active: boolean;
  budget: number;
  capPerUser?: number | null;
  capPerUserPerDay?: number | null;
  capPerDay?: number | null;
  claimDays?: number | null;
  autoClaim: boolean;
  endsAt?: Dayjs | null;
}

/** An amount in the rule's unit as typed (yuan for cash) → as the API counts it (fen for cash). */
const toUnits = (kind: RewardKind, typed: number | null | undefined) => (typed === undefined || typed === null ? typed : kind === "cash" ? toFen(typed) : typed);
const fromUnits = (kind: RewardKind, units: number | null) => (units === null ? null : kind === "cash" ? toYuan(units) : units);

function useUnits() {
  const { t } = useI18n();
  return (kind: RewardKind, n: number | null) => (n === null ? "—" : kind === "cash" ? yuan(n) : t(`campaigns.rewards.unitAmount.${kind}`, { n: n.toLocaleString("en-US") }));
}

/** An amount field in the rule's unit: yuan for cash, whole numbers otherwise. */
function UnitInput({ kind, ...rest }: { kind: RewardKind; value?: number; onChange?: (v: number | null) => void; "data-testid"?: string; min?: number }) {
  const { t } = useI18n();
  return kind === "cash" ? <YuanInput {...rest} /> : <InputNumber<number> precision={0} min={0} suffix={t(`campaigns.rewards.unit.${kind}`)} style={{ width: "100%" }} {...rest} />;
}

/** 奖励规则: what each fission path pays, from which budget, under which caps — and how much of it is spent. */
export default function RewardRules() {
  const { t } = useI18n();
  const act = useAction();
  const units = useUnits();
  const templates = useCouponTemplates();
  const [reload, setReload] = useState(0);
  const [trigger, setTrigger] = useState<Trigger | "all">("all");
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Rule | null>(null);
  const [stats, setStats] = useState<Rule | null>(null);
  const cap = (kind: RewardKind, n: number | null) => (n === null ? t("campaigns.unlimited") : units(kind, n));
  const toggle = async (r: Rule) => {
    if (await act(() => api.patch(`/admin/reward-rules/${r.id}`, { status: r.status === "active" ? "paused" : "active" }))) setReload((n) => n + 1);
  };
  const reward = (r: Rule) => {
    if (r.rewardKind === "coupon") return t("campaigns.rewards.couponReward", { name: templates.find((c) => c.id === r.couponTemplateId)?.name ?? r.couponTemplateId ?? "" });
    if (r.rateBps) return t("campaigns.rewards.rateReward", { p: bpToPercent(r.rateBps), unit: t(`campaigns.rewards.unit.${r.rewardKind}`) });
    return units(r.rewardKind, r.amount);
  };
  return (
    <Card
      title={t("nav.rewardRules")}
      extra={
        <Space>
          <Button onClick={() => setReload((n) => n + 1)}>{t("common.refresh")}</Button>
          <Button type="primary" onClick={() => setCreating(true)} data-testid="reward-rule-create">
            {t("campaigns.rewards.create")}
          </Button>
        </Space>
      }
    >
      <Segmented<Trigger | "all">
        style={{ marginBottom: 16 }}
        value={trigger}
        onChange={setTrigger}
        options={[{ value: "all", label: t("campaigns.all") }, ...(Object.keys(TRIGGERS) as Trigger[]).map((k) => ({ value: k, label: t(`campaigns.rewards.trigger.${k}`) }))]}
      />
      <ServerTable<Rule>
        path="/admin/reward-rules"
        query={{ trigger: trigger === "all" ? undefined : trigger }}
        reloadKey={reload}
        onRow={(r) => ({ "data-testid": `reward-rule-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t("campaigns.rewards.name"),
            key: "name",
            render: (_, r) => (
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{r.name}</Typography.Text>
                {r.campaignId && <Tag>{r.campaignId}</Tag>}
              </Space>
            ),
          },
          {
            title: t("campaigns.rewards.path"),
            key: "path",
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                {t(`campaigns.rewards.trigger.${r.trigger}`)}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t("campaigns.rewards.pays", { who: t(`campaigns.rewards.beneficiary.${r.beneficiary}`) })}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t("campaigns.rewards.reward"), key: "reward", render: (_, r) => <Typography.Text type="danger">{reward(r)}</Typography.Text> },
          { title: t("campaigns.rewards.budgetUse"), key: "budget", render: (_, r) => <BudgetProgress rule={r} reloadKey={reload} /> },
          {
            title: t("campaigns.rewards.caps"),
            key: "caps",
            render: (_, r) => (
              <span style={{ fontSize: 12 }}>
                {t("campaigns.rewards.capPerUser")}: {cap(r.rewardKind, r.capPerUser)}
                <br />
                {t("campaigns.rewards.capPerDay")}: {cap(r.rewardKind, r.capPerDay)}
                <br />
                {t("campaigns.rewards.capPerUserPerDay")}: {cap(r.rewardKind, r.capPerUserPerDay)}
              </span>
            ),
          },
          { title: t("campaigns.window"), key: "window", render: (_, r) => (r.startsAt || r.endsAt ? <Window from={r.startsAt} to={r.endsAt} /> : t("campaigns.rewards.always")) },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StateTag state={s} /> },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, r) => (
              <Space wrap>
                <Button size="small" type="primary" ghost onClick={() => setStats(r)} data-testid={`reward-rule-stats-${r.id}`}>
                  {t("campaigns.rewards.stats")}
                </Button>
                <Button size="small" onClick={() => setEditing(r)} data-testid={`reward-rule-edit-${r.id}`}>
                  {t("common.edit")}
                </Button>
                <Button size="small" onClick={() => toggle(r)}>
                  {t(r.status === "active" ? "campaigns.pause" : "campaigns.resume")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {creating && <CreateRule onClose={() => setCreating(false)} onSaved={() => setReload((n) => n + 1)} />}
      {editing && <EditRule rule={editing} onClose={() => setEditing(null)} onSaved={() => setReload((n) => n + 1)} />}
      {stats && <StatsDrawer rule={stats} onClose={() => setStats(null)} />}
    </Card>
  );
}

/** Cost against budget for one rule, read from its stats. */
function BudgetProgress({ rule, reloadKey }: { rule: Rule; reloadKey: number }) {
  const units = useUnits();
  const { t } = useI18n();
  const [stats, setStats] = useState<Stats | null>(null);
  useEffect(() => {
    void api.get<Stats>(`/admin/reward-rules/${rule.id}/stats`).then(setStats, () => setStats(null));
  }, [rule.id, rule.budget, reloadKey]);
  if (!stats) return units(rule.rewardKind, rule.budget);
  const used = stats.budget ? Math.round((stats.committed / stats.budget) * 100) : 0;
  return (
    <div style={{ minWidth: 160 }} data-testid={`reward-rule-budget-${rule.id}`}>
      <Progress size="small" percent={used} status={used >= 100 ? "exception" : "normal"} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("campaigns.rewards.committedOf", { used: units(rule.rewardKind, stats.committed), budget: units(rule.rewardKind, stats.budget) })}
      </Typography.Text>
    </div>
  );
}

function CreateRule({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<RuleForm>();
  const templates = useCouponTemplates();
  const trigger = Form.useWatch("trigger", form) ?? "invitee_registered";
  const kind = Form.useWatch("rewardKind", form) ?? "cash";
  const mode = Form.useWatch("mode", form) ?? "fixed";
  const canRate = TRIGGERS[trigger].orderBased && kind !== "coupon";
  const required = { required: true, message: t("campaigns.required") };
  useEffect(() => {
    const allowed = TRIGGERS[trigger].beneficiaries;
    if (!allowed.includes(form.getFieldValue("beneficiary"))) form.setFieldValue("beneficiary", allowed[0]);
    if (!canRate) form.setFieldValue("mode", "fixed");
  }, [trigger, canRate, form]);
  const submit = async (v: RuleForm) => {
    const rate = canRate && v.mode === "rate";
    await api.post("/admin/reward-rules", {
      name: v.name,
      campaignId: v.campaignId || undefined,
      trigger: v.trigger,
      beneficiary: v.beneficiary,
      rewardKind: v.rewardKind,
      amount: v.rewardKind === "coupon" || rate ? undefined : toUnits(v.rewardKind, v.amount),
      rateBps: rate && v.rate !== undefined ? toBp(v.rate) : undefined,
      couponTemplateId: v.rewardKind === "coupon" ? v.couponTemplateId : undefined,
      budget: toUnits(v.rewardKind, v.budget),
      capPerUser: toUnits(v.rewardKind, v.capPerUser) ?? undefined,
      capPerUserPerDay: toUnits(v.rewardKind, v.capPerUserPerDay) ?? undefined,
      capPerDay: toUnits(v.rewardKind, v.capPerDay) ?? undefined,
      claimDays: v.claimDays ?? undefined,
      autoClaim: v.autoClaim,
      startsAt: v.startsAt ? toApiTime(v.startsAt) : undefined,
      endsAt: v.endsAt ? toApiTime(v.endsAt) : undefined,
    });
    onSaved();
  };
  return (
    <FormModal<RuleForm>
      open
      title={t("campaigns.rewards.create")}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      width={820}
      testId="reward-rule-form"
      initialValues={{ trigger: "invitee_registered", beneficiary: "inviter", rewardKind: "cash", mode: "fixed", autoClaim: false, claimDays: 30 }}
    >
      <Row gutter={12}>
        <Col span={14}>
          <Form.Item name="name" label={t("campaigns.rewards.name")} rules={[required, { max: 100 }]}>
            <Input data-testid="reward-rule-form-name" placeholder={t("campaigns.rewards.namePlaceholder")} />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="campaignId" label={t("campaigns.rewards.campaign")} extra={t("campaigns.rewards.campaignHint")} rules={[{ pattern: /^[A-Za-z0-9_-]{1,64}$/, message: t("campaigns.rewards.campaignPattern") }]}>
            <Input placeholder="double11" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={14}>
          <Form.Item name="trigger" label={t("campaigns.rewards.path")} rules={[required]} extra={t(`campaigns.rewards.triggerHint.${trigger}`)}>
            <Select data-testid="reward-rule-form-trigger" options={(Object.keys(TRIGGERS) as Trigger[]).map((k) => ({ value: k, label: t(`campaigns.rewards.trigger.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="beneficiary" label={t("campaigns.rewards.beneficiary")} rules={[required]}>
            <Radio.Group optionType="button" options={TRIGGERS[trigger].beneficiaries.map((b) => ({ value: b, label: t(`campaigns.rewards.beneficiary.${b}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={10}>
          <Form.Item name="rewardKind" label={t("campaigns.rewards.kind")} rules={[required]}>
            <Radio.Group optionType="button" options={KINDS.map((k) => ({ value: k, label: t(`campaigns.rewards.kind.${k}`) }))} />
          </Form.Item>
        </Col>
        {canRate && (
          <Col span={6}>
            <Form.Item name="mode" label={t("campaigns.rewards.mode")}>
              <Radio.Group optionType="button" options={[{ value: "fixed", label: t("campaigns.rewards.fixed") }, { value: "rate", label: t("campaigns.rewards.rate") }]} />
            </Form.Item>
          </Col>
        )}
        <Col span={canRate ? 8 : 14}>
          {kind === "coupon" ? (
            <Form.Item name="couponTemplateId" label={t("campaigns.couponTemplate")} rules={[required]}>
              <Select showSearch={{ optionFilterProp: "label" }} options={templates.filter((c) => c.status === "active").map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          ) : canRate && mode === "rate" ? (
            <Form.Item name="rate" label={t("campaigns.rewards.rateLabel")} rules={[required]}>
              <PercentInput min={0.01} />
            </Form.Item>
          ) : (
            <Form.Item name="amount" label={t("campaigns.rewards.amount")} rules={[required]}>
              <UnitInput kind={kind} data-testid="reward-rule-form-amount" />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item name="budget" label={t("campaigns.rewards.budget")} rules={[required]} tooltip={t("campaigns.rewards.budgetHint")}>
            <UnitInput kind={kind} data-testid="reward-rule-form-budget" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="capPerUser" label={t("campaigns.rewards.capPerUser")}>
            <UnitInput kind={kind} min={kind === "cash" ? 0.01 : 1} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="capPerDay" label={t("campaigns.rewards.capPerDay")}>
            <UnitInput kind={kind} min={kind === "cash" ? 0.01 : 1} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="capPerUserPerDay" label={t("campaigns.rewards.capPerUserPerDay")}>
            <UnitInput kind={kind} min={kind === "cash" ? 0.01 : 1} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item name="claimDays" label={t("campaigns.rewards.claimDays")} tooltip={t("campaigns.rewards.claimDaysHint")}>
            <InputNumber<number> min={1} max={365} precision={0} suffix={t("campaigns.unit.days")} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="autoClaim" label={t("campaigns.rewards.autoClaim")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="startsAt" label={t("campaigns.startsAt")}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="endsAt" label={t("campaigns.endsAt")}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t("campaigns.rewards.capsNote")}</Typography.Paragraph>
    </FormModal>
  );
}

function EditRule({ rule, onClose, onSaved }: { rule: Rule; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<EditForm>();
  const kind = rule.rewardKind;
  const submit = async (v: EditForm) => {
    await api.patch(`/admin/reward-rules/${rule.id}`, {
      name: v.name,
      status: v.active ? "active" : "paused",
      budget: toUnits(kind, v.budget),
      capPerUser: toUnits(kind, v.capPerUser) ?? null,
      capPerUserPerDay: toUnits(kind, v.capPerUserPerDay) ?? null,
      capPerDay: toUnits(kind, v.capPerDay) ?? null,
      claimDays: v.claimDays ?? null,
      autoClaim: v.autoClaim,
      endsAt: v.endsAt ? toApiTime(v.endsAt) : null,
    });
    onSaved();
  };
  return (
    <FormModal<EditForm>
      open
      title={t("campaigns.rewards.edit", { name: rule.name })}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      width={680}
      testId="reward-rule-edit-form"
      initialValues={{
        name: rule.name,
        active: rule.status === "active",
        budget: fromUnits(kind, rule.budget) ?? 0,
        capPerUser: fromUnits(kind, rule.capPerUser),
        capPerDay: fromUnits(kind, rule.capPerDay),
        capPerUserPerDay: fromUnits(kind, rule.capPerUserPerDay),
        claimDays: rule.claimDays,
        autoClaim: rule.autoClaim,
        endsAt: rule.endsAt ? fromApiTime(rule.endsAt) : null,
      }}
    >
      <Row gutter={12}>
        <Col span={16}>
          <Form.Item name="name" label={t("campaigns.rewards.name")} rules={[{ required: true, message: t("campaigns.required") }, { max: 100 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="active" label={t("common.status")} valuePropName="checked">
            <Switch checkedChildren={t("campaigns.state.active")} unCheckedChildren={t("campaigns.state.paused")} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item name="budget" label={t("campaigns.rewards.budget")} rules={[{ required: true, message: t("campaigns.required") }]} extra={t("campaigns.rewards.budgetFloor")}>
            <UnitInput kind={kind} data-testid="reward-rule-edit-budget" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="capPerUser" label={t("campaigns.rewards.capPerUser")}>
            <UnitInput kind={kind} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="capPerDay" label={t("campaigns.rewards.capPerDay")}>
            <UnitInput kind={kind} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="capPerUserPerDay" label={t("campaigns.rewards.capPerUserPerDay")}>
            <UnitInput kind={kind} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="claimDays" label={t("campaigns.rewards.claimDays")}>
            <InputNumber<number> min={1} max={365} precision={0} suffix={t("campaigns.unit.days")} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="autoClaim" label={t("campaigns.rewards.autoClaim")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="endsAt" label={t("campaigns.endsAt")}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}

function StatsDrawer({ rule, onClose }: { rule: Rule; onClose(): void }) {
  const { t } = useI18n();
  const units = useUnits();
  const [stats, setStats] = useState<Stats | null>(null);
  useEffect(() => {
    void api.get<Stats>(`/admin/reward-rules/${rule.id}/stats`).then(setStats);
  }, [rule.id]);
  const line = (s: { count: number; amount: number }) => t("campaigns.rewards.countAmount", { n: s.count, amount: units(rule.rewardKind, s.amount) });
  return (
    <Drawer open size={560} title={t("campaigns.rewards.statsTitle", { name: rule.name })} onClose={onClose}>
      {stats && (
        <Space orientation="vertical" style={{ width: "100%" }} size="large">
          <div>
            <Typography.Text type="secondary">{t("campaigns.rewards.budgetUse")}</Typography.Text>
            <Progress percent={stats.budget ? Math.round((stats.committed / stats.budget) * 100) : 0} />
            <Typography.Text>{t("campaigns.rewards.committedOf", { used: units(rule.rewardKind, stats.committed), budget: units(rule.rewardKind, stats.budget) })}</Typography.Text>
          </div>
          <Descriptions
            bordered
            size="small"
            column={1}
            data-testid="reward-rule-stats"
            items={[
              { key: "remaining", label: t("campaigns.rewards.remaining"), children: units(rule.rewardKind, stats.remaining) },
              { key: "issued", label: t("campaigns.rewards.issued"), children: line(stats.issued) },
              { key: "claimed", label: t("campaigns.rewards.claimed"), children: line(stats.claimed) },
              { key: "expired", label: t("campaigns.rewards.expired"), children: line(stats.expired) },
              { key: "cancelled", label: t("campaigns.rewards.cancelled"), children: line(stats.cancelled) },
              { key: "rejected", label: t("campaigns.rewards.rejected"), children: line(stats.rejected) },
              { key: "reduced", label: t("campaigns.rewards.reduced"), children: units(rule.rewardKind, stats.reducedByRefunds) },
              { key: "flagged", label: t("campaigns.rewards.flagged"), children: stats.flaggedForReview },
              { key: "blocked", label: t("campaigns.rewards.blocked"), children: stats.blockedSelfReferrals },
              { key: "capped", label: t("campaigns.rewards.capped"), children: stats.refusedByCaps },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
