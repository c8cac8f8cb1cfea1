import { Button, Card, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Table, Tabs, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { type HTMLAttributes, useCallback, useEffect, useState } from "react";
import { shanghaiDate, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { useSession } from "../../session";
import { FormModal, useAction } from "./FormModal";
import { toFen, YuanInput } from "./money";
import { ProductSelect, useCategories, useMerchants } from "./pickers";
import { StateTag } from "./StateTag";
import { PICKER_FORMAT, serverNow, toApiTime } from "./time";
import { useCouponTemplates } from "./useCouponTemplates";

type Kind = "fixed" | "percent" | "threshold" | "free_shipping";
type Scope = "all" | "merchant" | "products" | "categories";

interface Template {
  id: string;
  merchantId: string | null;
  name: string;
  kind: Kind;
  amount: number;
  percentOff: number | null;
  maxOff: number | null;
  threshold: number;
  scope: Scope;
  scopeIds: string[];
  perUserLimit: number | null;
  stock: number | null;
  issued: number;
  validFrom: string | null;
  validUntil: string | null;
  validDays: number | null;
  stackable: boolean;
  claimable: boolean;
  fissionShares: number | null;
  status: "active" | "disabled";
}

interface Pair {
  id: string;
  name: string;
  inviterTemplateId: string;
  friendTemplateId: string;
  status: "active" | "disabled";
}

interface TemplateForm {
  name: string;
  merchantId?: string;
  kind: Kind;
  amount?: number;
  percentOff?: number;
  maxOff?: number;
  threshold?: number;
  scope: Scope;
  scopeIds?: string[];
  perUserLimit?: number;
  stock?: number;
  validity: "window" | "days";
  validFrom?: Dayjs;
  validUntil?: Dayjs;
  validDays?: number;
  stackable: boolean;
  returnOnCancel: boolean;
  returnOnRefund: boolean;
  claimable: boolean;
  fission: boolean;
  fissionShares?: number;
}

interface EditForm {
  name: string;
  stock?: number | null;
  perUserLimit?: number | null;
  claimable: boolean;
  active: boolean;
}

const PLATFORM = "platform";
const num = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v);

/** 优惠券: coupon templates (a store's own for merchant staff), fission coupons, and double-sided invite offers. */
export default function Coupons() {
  const { t } = useI18n();
  const { staff } = useSession();
  const merchant = staff?.kind === "merchant";
  return (
    <Card title={t("nav.coupons")}>
      <Tabs
        destroyOnHidden
        items={[
          { key: "templates", label: t("campaigns.coupons.templates"), children: <Templates /> },
          ...(merchant ? [] : [{ key: "pairs", label: t("campaigns.coupons.pairs"), children: <Pairs /> }]),
        ]}
      />
    </Card>
  );
}

/** What a coupon takes off, in words: 满¥100减¥20, 8 折, 包邮… */
function useValueText() {
  const { t } = useI18n();
  return (c: Pick<Template, "kind" | "amount" | "percentOff" | "maxOff" | "threshold">) => {
    const from = c.threshold > 0 ? t("campaigns.coupons.from", { threshold: yuan(c.threshold) }) : "";
    switch (c.kind) {
      case "fixed":
      case "threshold":
        return `${from}${t("campaigns.coupons.off", { amount: yuan(c.amount) })}`;
      case "percent":
        return `${from}${t("campaigns.coupons.percentValue", { off: c.percentOff ?? 0, zhe: (100 - (c.percentOff ?? 0)) / 10 })}${c.maxOff ? t("campaigns.coupons.maxOff", { amount: yuan(c.maxOff) }) : ""}`;
      case "free_shipping":
        return `${from}${t("campaigns.coupons.kind.free_shipping")}`;
    }
  };
}

function Templates() {
  const { t } = useI18n();
  const { staff, can } = useSession();
  const act = useAction();
  const merchantStaff = staff?.kind === "merchant";
  const merchants = useMerchants(!merchantStaff && can("admin"));
  const value = useValueText();
  const [reload, setReload] = useState(0);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Template | null>(null);
  const owner = (id: string | null) => (id === null ? <Tag color="red">{t("campaigns.coupons.platform")}</Tag> : <Tag>{merchants.find((m) => m.id === id)?.label ?? t("campaigns.coupons.store")}</Tag>);
  const toggle = async (c: Template) => {
    if (await act(() => api.patch(`/admin/coupon-templates/${c.id}`, { status: c.status === "active" ? "disabled" : "active" }))) setReload((n) => n + 1);
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="coupon-create">
          {t("campaigns.coupons.create")}
        </Button>
        <Button onClick={() => setReload((n) => n + 1)}>{t("common.refresh")}</Button>
      </Space>
      <ServerTable<Template>
        path="/admin/coupon-templates"
        reloadKey={reload}
        onRow={(c) => ({ "data-testid": `coupon-row-${c.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t("campaigns.coupons.name"),
            key: "name",
            render: (_, c) => (
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{c.name}</Typography.Text>
                <Space size={4}>
                  {owner(c.merchantId)}
                  {c.fissionShares && <Tag color="magenta">{t("campaigns.coupons.fissionTag", { n: c.fissionShares })}</Tag>}
                  {c.stackable && <Tag>{t("campaigns.coupons.stackable")}</Tag>}
                  {!c.claimable && <Tag>{t("campaigns.coupons.systemOnly")}</Tag>}
                </Space>
              </Space>
            ),
          },
          { title: t("campaigns.coupons.kind"), dataIndex: "kind", render: (k: Kind) => t(`campaigns.coupons.kind.${k}`) },
          { title: t("campaigns.coupons.value"), key: "value", render: (_, c) => <Typography.Text type="danger">{value(c)}</Typography.Text> },
          { title: t("campaigns.coupons.scope"), key: "scope", render: (_, c) => (c.scope === "all" ? t("campaigns.coupons.scope.all") : `${t(`campaigns.coupons.scope.${c.scope}`)} (${c.scopeIds.length})`) },
          {
            title: t("campaigns.coupons.validity"),
            key: "validity",
            render: (_, c) => (c.validDays ? t("campaigns.coupons.validDaysText", { n: c.validDays }) : `${shanghaiDate(c.validFrom)} ~ ${shanghaiDate(c.validUntil)}`),
          },
          { title: t("campaigns.coupons.issued"), key: "issued", render: (_, c) => `${c.issued} / ${c.stock ?? t("campaigns.unlimited")}` },
          { title: t("campaigns.coupons.perUserLimit"), dataIndex: "perUserLimit", render: (n: number | null) => n ?? t("campaigns.unlimited") },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StateTag state={s} /> },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, c) => (
              <Space>
                <Button size="small" onClick={() => setEditing(c)}>
                  {t("common.edit")}
                </Button>
                <Button size="small" onClick={() => toggle(c)}>
                  {t(c.status === "active" ? "campaigns.disable" : "campaigns.enable")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {creating && <CreateTemplate merchants={merchants} onClose={() => setCreating(false)} onSaved={() => setReload((n) => n + 1)} />}
      {editing && <EditTemplate template={editing} onClose={() => setEditing(null)} onSaved={() => setReload((n) => n + 1)} />}
    </>
  );
}

function CreateTemplate({ merchants, onClose, onSaved }: { merchants: { id: string; label: string }[]; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const { staff } = useSession();
  const merchantStaff = staff?.kind === "merchant";
  const categories = useCategories();
  const [form] = Form.useForm<TemplateForm>();
  const kind = Form.useWatch("kind", form);
  const scope = Form.useWatch("scope", form);
  const validity = Form.useWatch("validity", form);
  const fission = Form.useWatch("fission", form);
  const store = Form.useWatch("merchantId", form);
  useEffect(() => {
    void serverNow().then((now) => form.setFieldsValue({ validFrom: now, validUntil: now.add(30, "day") }));
  }, [form]);
  const required = { required: true, message: t("campaigns.required") };
  const submit = async (v: TemplateForm) => {
    const money = (yuanValue?: number) => (yuanValue === undefined || yuanValue === null ? undefined : toFen(yuanValue));
    await api.post("/admin/coupon-templates", {
      name: v.name,
      ...(merchantStaff ? {} : { merchantId: v.merchantId && v.merchantId !== PLATFORM ? v.merchantId : null }),
      kind: v.kind,
      amount: v.kind === "fixed" || v.kind === "threshold" ? money(v.amount) : undefined,
      percentOff: v.kind === "percent" ? v.percentOff : undefined,
      maxOff: v.kind === "percent" ? money(v.maxOff) : undefined,
      threshold: money(v.threshold),
      scope: v.scope,
      scopeIds: v.scope === "all" ? undefined : v.scopeIds,
      perUserLimit: num(v.perUserLimit),
      stock: num(v.stock),
      ...(v.validity === "days" ? { validDays: v.validDays } : { validFrom: v.validFrom ? toApiTime(v.validFrom) : undefined, validUntil: v.validUntil ? toApiTime(v.validUntil) : undefined }),
      stackable: v.stackable,
      returnOnCancel: v.returnOnCancel,
      returnOnRefund: v.returnOnRefund,
      claimable: v.claimable,
      fissionShares: v.fission ? v.fissionShares : undefined,
    });
    onSaved();
  };
  const scopes: Scope[] = merchantStaff ? ["all", "products", "categories"] : ["all", "merchant", "products", "categories"];
  return (
    <FormModal<TemplateForm>
      open
      title={t("campaigns.coupons.create")}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      width={820}
      testId="coupon-form"
      initialValues={{ merchantId: PLATFORM, kind: "threshold", scope: "all", validity: "window", stackable: false, returnOnCancel: true, returnOnRefund: false, claimable: true, fission: false, perUserLimit: 1 }}
    >
      <Row gutter={12}>
        <Col span={merchantStaff ? 24 : 14}>
          <Form.Item name="name" label={t("campaigns.coupons.name")} rules={[required, { max: 60 }]}>
            <Input data-testid="coupon-form-name" placeholder={t("campaigns.coupons.namePlaceholder")} />
          </Form.Item>
        </Col>
        {!merchantStaff && (
          <Col span={10}>
            <Form.Item name="merchantId" label={t("campaigns.coupons.owner")} extra={t("campaigns.coupons.ownerHint")}>
              <Select options={[{ value: PLATFORM, label: t("campaigns.coupons.platform") }, ...merchants.map((m) => ({ value: m.id, label: m.label }))]} />
            </Form.Item>
          </Col>
        )}
      </Row>
      <Form.Item name="kind" label={t("campaigns.coupons.kind")} rules={[required]}>
        <Radio.Group optionType="button" options={(["threshold", "fixed", "percent", "free_shipping"] as Kind[]).map((k) => ({ value: k, label: t(`campaigns.coupons.kind.${k}`) }))} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="threshold" label={t("campaigns.coupons.threshold")} rules={kind === "threshold" ? [required] : []} extra={t("campaigns.coupons.thresholdHint")}>
            <YuanInput data-testid="coupon-form-threshold" />
          </Form.Item>
        </Col>
        {(kind === "fixed" || kind === "threshold") && (
          <Col span={8}>
            <Form.Item name="amount" label={t("campaigns.coupons.amount")} rules={[required]}>
              <YuanInput min={0.01} data-testid="coupon-form-amount" />
            </Form.Item>
          </Col>
        )}
        {kind === "percent" && (
          <>
            <Col span={8}>
              <Form.Item name="percentOff" label={t("campaigns.coupons.percentOff")} rules={[required]} extra={t("campaigns.coupons.percentHint")}>
                <InputNumber<number> min={1} max={99} precision={0} suffix="%" style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="maxOff" label={t("campaigns.coupons.maxOffLabel")}>
                <YuanInput min={0.01} />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="scope" label={t("campaigns.coupons.scope")}>
            <Select options={scopes.map((s) => ({ value: s, label: t(`campaigns.coupons.scope.${s}`) }))} />
          </Form.Item>
        </Col>
        <Col span={16}>
          {scope === "merchant" && (
            <Form.Item name="scopeIds" label={t("campaigns.coupons.scope.merchant")} rules={[required]}>
              <Select mode="multiple" options={merchants.map((m) => ({ value: m.id, label: m.label }))} />
            </Form.Item>
          )}
          {scope === "products" && (
            <Form.Item name="scopeIds" label={t("campaigns.coupons.scope.products")} rules={[required]}>
              <ProductSelect multiple merchantId={merchantStaff ? (staff?.merchantId ?? undefined) : store && store !== PLATFORM ? store : undefined} />
            </Form.Item>
          )}
          {scope === "categories" && (
            <Form.Item name="scopeIds" label={t("campaigns.coupons.scope.categories")} rules={[required]}>
              <Select mode="multiple" showSearch={{ optionFilterProp: "label" }} options={categories.map((c) => ({ value: c.id, label: c.label }))} />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="validity" label={t("campaigns.coupons.validity")}>
            <Radio.Group optionType="button" options={[{ value: "window", label: t("campaigns.coupons.window") }, { value: "days", label: t("campaigns.coupons.days") }]} />
          </Form.Item>
        </Col>
        {validity === "days" ? (
          <Col span={8}>
            <Form.Item name="validDays" label={t("campaigns.coupons.validDays")} rules={[required]}>
              <InputNumber<number> min={1} max={3650} precision={0} suffix={t("campaigns.unit.days")} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        ) : (
          <>
            <Col span={8}>
              <Form.Item name="validFrom" label={t("campaigns.coupons.validFrom")}>
                <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="validUntil" label={t("campaigns.coupons.validUntil")} rules={[required]}>
                <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="stock" label={t("campaigns.coupons.stock")} extra={t("campaigns.coupons.unlimitedHint")}>
            <InputNumber<number> min={0} max={100_000_000} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="perUserLimit" label={t("campaigns.coupons.perUserLimit")} extra={t("campaigns.coupons.unlimitedHint")}>
            <InputNumber<number> min={1} max={1000} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label={t("campaigns.coupons.fission")} extra={t("campaigns.coupons.fissionHint")}>
            <Space>
              <Form.Item name="fission" valuePropName="checked" noStyle>
                <Switch />
              </Form.Item>
              {fission && (
                <Form.Item name="fissionShares" noStyle rules={[required]}>
                  <InputNumber<number> min={1} max={50} precision={0} suffix={t("campaigns.unit.friends")} style={{ width: 120 }} />
                </Form.Item>
              )}
            </Space>
          </Form.Item>
        </Col>
      </Row>
      <Space size="large" wrap>
        {(["claimable", "stackable", "returnOnCancel", "returnOnRefund"] as const).map((k) => (
          <Form.Item key={k} name={k} valuePropName="checked" label={t(`campaigns.coupons.${k}`)} tooltip={t(`campaigns.coupons.${k}Hint`)}>
            <Switch />
          </Form.Item>
        ))}
      </Space>
    </FormModal>
  );
}

function EditTemplate({ template, onClose, onSaved }: { template: Template; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<EditForm>();
  const submit = async (v: EditForm) => {
    await api.patch(`/admin/coupon-templates/${template.id}`, { name: v.name, stock: v.stock ?? null, perUserLimit: v.perUserLimit ?? null, claimable: v.claimable, status: v.active ? "active" : "disabled" });
    onSaved();
  };
  return (
    <FormModal<EditForm>
      open
      title={t("campaigns.coupons.edit")}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      width={520}
      testId="coupon-edit-form"
      initialValues={{ name: template.name, stock: template.stock, perUserLimit: template.perUserLimit, claimable: template.claimable, active: template.status === "active" }}
    >
      <Form.Item name="name" label={t("campaigns.coupons.name")} rules={[{ required: true, message: t("campaigns.required") }, { max: 60 }]}>
        <Input />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="stock" label={t("campaigns.coupons.stock")} extra={t("campaigns.coupons.issuedSoFar", { n: template.issued })}>
            <InputNumber<number> min={0} max={100_000_000} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="perUserLimit" label={t("campaigns.coupons.perUserLimit")} extra={t("campaigns.coupons.unlimitedHint")}>
            <InputNumber<number> min={1} max={1000} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </Row>
      <Space size="large">
        <Form.Item name="claimable" valuePropName="checked" label={t("campaigns.coupons.claimable")}>
          <Switch />
        </Form.Item>
        <Form.Item name="active" valuePropName="checked" label={t("common.status")}>
          <Switch checkedChildren={t("campaigns.state.active")} unCheckedChildren={t("campaigns.state.disabled")} />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

function Pairs() {
  const { t } = useI18n();
  const act = useAction();
  const [pairs, setPairs] = useState<Pair[]>([]);
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState(false);
  const templates = useCouponTemplates();
  const load = useCallback(() => {
    setLoading(true);
    void api
      .get<{ items: Pair[] }>("/admin/coupon-pairs")
      .then((r) => setPairs(r.items))
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);
  const name = (id: string) => templates.find((c) => c.id === id)?.name ?? id;
  const toggle = async (p: Pair) => {
    if (await act(() => api.patch(`/admin/coupon-pairs/${p.id}`, { status: p.status === "active" ? "disabled" : "active" }))) load();
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t("campaigns.coupons.pairsHint")}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="coupon-pair-create">
          {t("campaigns.coupons.createPair")}
        </Button>
      </Space>
      <Table<Pair>
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={pairs}
        columns={[
          { title: t("campaigns.coupons.name"), dataIndex: "name" },
          { title: t("campaigns.coupons.inviterGets"), dataIndex: "inviterTemplateId", render: name },
          { title: t("campaigns.coupons.friendGets"), dataIndex: "friendTemplateId", render: name },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StateTag state={s} /> },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, p) => (
              <Button size="small" onClick={() => toggle(p)}>
                {t(p.status === "active" ? "campaigns.disable" : "campaigns.enable")}
              </Button>
            ),
          },
        ]}
      />
      {creating && <CreatePair templates={templates} onClose={() => setCreating(false)} onSaved={load} />}
    </>
  );
}

function CreatePair({ templates, onClose, onSaved }: { templates: { id: string; name: string; status: string }[]; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name: string; inviterTemplateId: string; friendTemplateId: string }>();
  const options = templates.filter((c) => c.status === "active").map((c) => ({ value: c.id, label: c.name }));
  const required = { required: true, message: t("campaigns.required") };
  return (
    <FormModal open title={t("campaigns.coupons.createPair")} form={form} onClose={onClose} onSubmit={async (v) => { await api.post("/admin/coupon-pairs", v); onSaved(); }} width={520} testId="coupon-pair-form">
      <Form.Item name="name" label={t("campaigns.coupons.name")} rules={[required, { max: 60 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="inviterTemplateId" label={t("campaigns.coupons.inviterGets")} rules={[required]}>
        <Select showSearch={{ optionFilterProp: "label" }} options={options} />
      </Form.Item>
      <Form.Item name="friendTemplateId" label={t("campaigns.coupons.friendGets")} rules={[required]}>
        <Select showSearch={{ optionFilterProp: "label" }} options={options} />
      </Form.Item>
    </FormModal>
  );
}

