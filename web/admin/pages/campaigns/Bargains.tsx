import { Button, Card, Col, DatePicker, Form, Input, InputNumber, Progress, Row, Segmented, Select, Space, Switch, Tabs, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { type HTMLAttributes, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { type CursorPage, ServerTable } from "../../components/ServerTable";
import { FormModal, useAction } from "./FormModal";
import { HoursInput } from "./HoursInput";
import { toFen, withinListPrice, YuanInput } from "./money";
import { ShortId } from "./ShortId";
import { SkuSelect } from "./SkuSelect";
import { StateTag, stateLabel } from "./StateTag";
import { PICKER_FORMAT, serverNow, toApiTime } from "./time";
import { Window } from "./Window";

type BargainStatus = "bargaining" | "floor_reached" | "ordered" | "paid" | "expired";
const BARGAIN_STATES: BargainStatus[] = ["bargaining", "floor_reached", "ordered", "paid", "expired"];

interface Activity {
  id: string;
  title: string;
  skuId: string;
  originalPrice: number;
  floorPrice: number;
  helpersNeeded: number;
  timeLimitMinutes: number;
  earlyPurchase: boolean;
  paymentMinutes: number;
  stock: number;
  reserved: number;
  sold: number;
  status: "active" | "paused";
  startsAt: string;
  endsAt: string;
}

interface Bargain {
  id: string;
  activityId: string;
  ownerId: string;
  ownerName: string;
  status: BargainStatus;
  originalPrice: number;
  floorPrice: number;
  currentPrice: number;
  helpersSoFar: number;
  helpersNeeded: number;
  orderId: string | null;
  createdAt: string;
  expiresAt: string;
}

interface CreateForm {
  skuId: string;
  title?: string;
  originalPrice?: number;
  floorPrice: number;
  helpersNeeded: number;
  timeLimitMinutes: number;
  earlyPurchase: boolean;
  paymentMinutes?: number;
  stock: number;
  startsAt: Dayjs;
  endsAt: Dayjs;
}

interface EditForm {
  stock: number;
  active: boolean;
}

/** 砍价: activities with their stock, and every bargain's progress toward the floor price. */
export default function Bargains() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "bargains" ? "bargains" : "activities";
  const activityId = params.get("activityId") ?? undefined;
  const showBargains = (id?: string) => setParams(id ? { tab: "bargains", activityId: id } : { tab: "bargains" });
  return (
    <Card title={t("nav.bargains")}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === "bargains" ? { tab: "bargains" } : {})}
        items={[
          { key: "activities", label: t("campaigns.bargain.activities"), children: <Activities onShowBargains={showBargains} /> },
          { key: "bargains", label: t("campaigns.bargain.progress"), children: <BargainList activityId={activityId} onActivity={showBargains} /> },
        ]}
      />
    </Card>
  );
}

function Activities({ onShowBargains }: { onShowBargains(id: string): void }) {
  const { t } = useI18n();
  const act = useAction();
  const [reload, setReload] = useState(0);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Activity | null>(null);
  const setStatus = async (a: Activity, status: "active" | "paused") => {
    if (await act(() => api.patch(`/admin/bargain-activities/${a.id}`, { status }))) setReload((n) => n + 1);
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" data-testid="bargain-create" onClick={() => setCreating(true)}>
          {t("campaigns.bargain.create")}
        </Button>
        <Button onClick={() => setReload((n) => n + 1)}>{t("common.refresh")}</Button>
      </Space>
      <ServerTable<Activity>
        path="/admin/bargain-activities"
        reloadKey={reload}
        onRow={(a) => ({ "data-testid": `bargain-row-${a.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("campaigns.bargain.title"), dataIndex: "title", render: (title: string) => <Typography.Text strong>{title}</Typography.Text> },
          {
            title: t("campaigns.bargain.prices"),
            key: "prices",
            render: (_, a) => (
              <span>
                <del>{yuan(a.originalPrice)}</del> → <Typography.Text type="danger">{yuan(a.floorPrice)}</Typography.Text>
              </span>
            ),
          },
          { title: t("campaigns.bargain.helpersNeeded"), dataIndex: "helpersNeeded", render: (n: number) => t("campaigns.bargain.helpers", { n }) },
          { title: t("campaigns.bargain.timeLimit"), dataIndex: "timeLimitMinutes", render: (m: number) => t("campaigns.hours", { n: +(m / 60).toFixed(2) }) },
          {
            title: t("campaigns.bargain.stockUse"),
            key: "stock",
            render: (_, a) => (
              <div style={{ minWidth: 140 }}>
                <Progress percent={a.stock ? Math.round(((a.sold + a.reserved) / a.stock) * 100) : 0} success={{ percent: a.stock ? Math.round((a.sold / a.stock) * 100) : 0 }} size="small" />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t("campaigns.bargain.stockLine", { sold: a.sold, reserved: a.reserved, stock: a.stock })}
                </Typography.Text>
              </div>
            ),
          },
          { title: t("campaigns.window"), key: "window", render: (_, a) => <Window from={a.startsAt} to={a.endsAt} /> },
          {
            title: t("common.status"),
            key: "status",
            render: (_, a) => (
              <Space orientation="vertical" size={4}>
                <StateTag state={a.status} />
                {a.earlyPurchase && <Tag>{t("campaigns.bargain.earlyPurchase")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, a) => (
              <Space wrap>
                <Button size="small" onClick={() => onShowBargains(a.id)}>
                  {t("campaigns.bargain.viewProgress")}
                </Button>
                <Button size="small" onClick={() => setEditing(a)} data-testid={`bargain-edit-${a.id}`}>
                  {t("common.edit")}
                </Button>
                <Button size="small" onClick={() => setStatus(a, a.status === "active" ? "paused" : "active")}>
                  {t(a.status === "active" ? "campaigns.pause" : "campaigns.resume")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {creating && <CreateActivity onClose={() => setCreating(false)} onSaved={() => setReload((n) => n + 1)} />}
      {editing && <EditActivity activity={editing} onClose={() => setEditing(null)} onSaved={() => setReload((n) => n + 1)} />}
    </>
  );
}

function CreateActivity({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<CreateForm>();
  const [listPrice, setListPrice] = useState<number | null>(null);
  useEffect(() => {
    void serverNow().then((now) => form.setFieldsValue({ startsAt: now, endsAt: now.add(7, "day") }));
  }, [form]);
  const required = { required: true, message: t("campaigns.required") };
  const submit = async (v: CreateForm) => {
    await api.post("/admin/bargain-activities", {
      skuId: v.skuId,
      title: v.title || undefined,
      originalPrice: v.originalPrice === undefined || v.originalPrice === null ? undefined : toFen(v.originalPrice),
      floorPrice: toFen(v.floorPrice),
      helpersNeeded: v.helpersNeeded,
      timeLimitMinutes: v.timeLimitMinutes,
      earlyPurchase: v.earlyPurchase,
      paymentMinutes: v.paymentMinutes ?? undefined,
      stock: v.stock,
      startsAt: toApiTime(v.startsAt),
      endsAt: toApiTime(v.endsAt),
    });
    onSaved();
  };
  return (
    <FormModal<CreateForm>
      open
      title={t("campaigns.bargain.create")}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      testId="bargain-form"
      initialValues={{ helpersNeeded: 5, timeLimitMinutes: 1440, earlyPurchase: false, stock: 100 }}
    >
      <Form.Item name="skuId" label={t("campaigns.sku")} rules={[required]} extra={listPrice !== null ? t("campaigns.listPrice", { price: yuan(listPrice) }) : undefined}>
        <SkuSelect data-testid="bargain-form-sku" onPick={(s) => setListPrice(s.price)} />
      </Form.Item>
      <Form.Item name="title" label={t("campaigns.bargain.title")} extra={t("campaigns.bargain.titleHint")} rules={[{ max: 60 }]}>
        <Input data-testid="bargain-form-title" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="originalPrice" label={t("campaigns.bargain.originalPrice")} extra={t("campaigns.bargain.originalPriceHint")} rules={[withinListPrice(listPrice ?? undefined, t("campaigns.aboveListPrice", { price: yuan(listPrice) }))]}>
            <YuanInput min={0.01} data-testid="bargain-form-original-price" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="floorPrice"
            label={t("campaigns.bargain.floorPrice")}
            dependencies={["originalPrice"]}
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: (_, value: number | null | undefined) => {
                  const typed = getFieldValue("originalPrice") as number | null | undefined;
                  const original = typed === null || typed === undefined ? listPrice : toFen(typed);
                  return value === null || value === undefined || original === null || toFen(value) < original ? Promise.resolve() : Promise.reject(new Error(t("campaigns.bargain.floorNotBelow")));
                },
              }),
            ]}
          >
            <YuanInput data-testid="bargain-form-floor-price" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="helpersNeeded" label={t("campaigns.bargain.helpersNeeded")} rules={[required]} tooltip={t("campaigns.bargain.helpersHint")}>
            <InputNumber<number> min={1} max={500} precision={0} style={{ width: "100%" }} data-testid="bargain-form-helpers" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="timeLimitMinutes" label={t("campaigns.bargain.timeLimit")} rules={[required]}>
            <HoursInput min={5} max={10080} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="stock" label={t("campaigns.stock")} rules={[required]}>
            <InputNumber<number> min={0} max={1_000_000} precision={0} style={{ width: "100%" }} data-testid="bargain-form-stock" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="startsAt" label={t("campaigns.startsAt")} rules={[required]}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="endsAt" label={t("campaigns.endsAt")} rules={[required]}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="earlyPurchase" label={t("campaigns.bargain.earlyPurchase")} valuePropName="checked" extra={t("campaigns.bargain.earlyPurchaseHint")}>
            <Switch />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="paymentMinutes" label={t("campaigns.paymentMinutes")} extra={t("campaigns.bargain.paymentDefault")}>
            <InputNumber<number> min={1} max={1440} precision={0} suffix={t("campaigns.unit.minutes")} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t("campaigns.shanghaiNote")}</Typography.Paragraph>
    </FormModal>
  );
}

function EditActivity({ activity, onClose, onSaved }: { activity: Activity; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<EditForm>();
  const submit = async (v: EditForm) => {
    await api.patch(`/admin/bargain-activities/${activity.id}`, { stock: v.stock, status: v.active ? "active" : "paused" });
    onSaved();
  };
  return (
    <FormModal<EditForm> open title={t("campaigns.bargain.edit", { title: activity.title })} form={form} onClose={onClose} onSubmit={submit} testId="bargain-edit-form" initialValues={{ stock: activity.stock, active: activity.status === "active" }} width={480}>
      <Form.Item name="stock" label={t("campaigns.stock")} rules={[{ required: true, message: t("campaigns.required") }]} extra={t("campaigns.bargain.stockFloor", { n: activity.reserved + activity.sold })}>
        <InputNumber<number> min={0} max={1_000_000} precision={0} style={{ width: "100%" }} data-testid="bargain-edit-stock" />
      </Form.Item>
      <Form.Item name="active" label={t("campaigns.bargain.taking")} valuePropName="checked">
        <Switch checkedChildren={t("campaigns.state.active")} unCheckedChildren={t("campaigns.state.paused")} />
      </Form.Item>
    </FormModal>
  );
}

function BargainList({ activityId, onActivity }: { activityId?: string; onActivity(id?: string): void }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<BargainStatus | "all">("all");
  const [activities, setActivities] = useState<Activity[]>([]);
  useEffect(() => {
    void api.get<CursorPage<Activity>>("/admin/bargain-activities", { limit: 100 }).then((p) => setActivities(p.items));
  }, []);
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select allowClear style={{ width: 280 }} placeholder={t("campaigns.bargain.allActivities")} value={activityId} onChange={(id?: string) => onActivity(id)} options={activities.map((a) => ({ value: a.id, label: a.title }))} />
        <Segmented<BargainStatus | "all">
          value={status}
          onChange={setStatus}
          options={[{ value: "all", label: t("campaigns.all") }, ...BARGAIN_STATES.map((s) => ({ value: s, label: stateLabel(t, s) }))]}
        />
      </Space>
      <ServerTable<Bargain>
        path="/admin/bargains"
        query={{ activityId, status: status === "all" ? undefined : status }}
        columns={[
          { title: t("campaigns.bargain.owner"), key: "owner", render: (_, b) => <Space orientation="vertical" size={0}>{b.ownerName || "—"}<ShortId id={b.ownerId} /></Space> },
          { title: t("campaigns.bargain.activity"), dataIndex: "activityId", render: (id: string) => activities.find((a) => a.id === id)?.title ?? <ShortId id={id} /> },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StateTag state={s} /> },
          {
            title: t("campaigns.bargain.cut"),
            key: "cut",
            render: (_, b) => (
              <div style={{ minWidth: 160 }}>
                <Progress percent={Math.round(((b.originalPrice - b.currentPrice) / Math.max(1, b.originalPrice - b.floorPrice)) * 100)} size="small" />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t("campaigns.bargain.cutLine", { current: yuan(b.currentPrice), floor: yuan(b.floorPrice) })}
                </Typography.Text>
              </div>
            ),
          },
          { title: t("campaigns.bargain.helpersSoFar"), key: "helpers", render: (_, b) => `${b.helpersSoFar} / ${b.helpersNeeded}` },
          { title: t("campaigns.bargain.startedAt"), dataIndex: "createdAt", render: shanghaiTime },
          { title: t("campaigns.bargain.expiresAt"), dataIndex: "expiresAt", render: shanghaiTime },
          { title: t("campaigns.order"), dataIndex: "orderId", render: (id: string | null) => <ShortId id={id} /> },
        ]}
      />
    </>
  );
}
