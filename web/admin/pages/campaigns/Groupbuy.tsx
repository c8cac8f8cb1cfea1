import { Button, Card, Form, Input, InputNumber, Popconfirm, Row, Col, Segmented, Select, Space, Switch, Table, Tabs, Tag, Typography, DatePicker } from "antd";
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
import { SkuSelect, skuLabel } from "./SkuSelect";
import { StateTag, stateLabel } from "./StateTag";
import { PICKER_FORMAT, serverNow, toApiTime } from "./time";
import { Window } from "./Window";

type TeamState = "pending" | "open" | "succeeded" | "failed" | "abandoned";
const TEAM_STATES: TeamState[] = ["pending", "open", "succeeded", "failed", "abandoned"];

interface Activity {
  id: string;
  title: string;
  phase: "upcoming" | "active" | "ended";
  teamSize: number;
  fillMinutes: number;
  paymentMinutes: number;
  perUserLimit: number;
  startsAt: string;
  endsAt: string;
  endedAt: string | null;
  platformFill: { enabled: boolean };
  skus: Array<{ skuId: string; title: string; specs: Record<string, string>; listPrice: number; groupPrice: number; leaderPrice: number; stock: number; stockLeft: number }>;
  teams: Record<TeamState, number>;
}

interface Team {
  id: string;
  activityId: string;
  state: TeamState;
  size: number;
  seatsTaken: number;
  paidCount: number;
  platformFilled: boolean;
  createdAt: string;
  openedAt: string | null;
  deadlineAt: string;
  closedAt: string | null;
  members: Array<{ id: string; kind: "leader" | "member" | "platform"; state: string; userId: string | null; qty: number; orderId: string | null; joinedAt: string; paidAt: string | null }>;
}

interface ActivityForm {
  title: string;
  skus: Array<{ skuId: string; groupPrice: number; leaderPrice: number; stock: number }>;
  teamSize: number;
  fillMinutes: number;
  paymentMinutes: number;
  perUserLimit: number;
  startsAt: Dayjs;
  endsAt: Dayjs;
  platformFillsLastSeat: boolean;
}

const rowTestId = (id: string) => ({ "data-testid": `groupbuy-row-${id}` }) as HTMLAttributes<HTMLElement>;

/** 拼团: the operator sets up group-buy activities and watches their teams fill, succeed or fail. */
export default function Groupbuy() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "teams" ? "teams" : "activities";
  const showTeams = (activityId?: string) => setParams(activityId ? { tab: "teams", activityId } : { tab: "teams" });
  return (
    <Card title={t("nav.groupbuy")}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === "teams" ? { tab: "teams" } : {})}
        items={[
          { key: "activities", label: t("campaigns.groupbuy.activities"), children: <Activities onShowTeams={showTeams} /> },
          { key: "teams", label: t("campaigns.groupbuy.teams"), children: <Teams activityId={params.get("activityId") ?? undefined} onActivity={(id) => showTeams(id)} /> },
        ]}
      />
    </Card>
  );
}

function Activities({ onShowTeams }: { onShowTeams(activityId: string): void }) {
  const { t } = useI18n();
  const act = useAction();
  const [reload, setReload] = useState(0);
  const [creating, setCreating] = useState(false);
  const end = async (id: string) => {
    if (await act(() => api.post(`/admin/groupbuy/activities/${id}/end`), t("campaigns.groupbuy.ended"))) setReload((n) => n + 1);
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" data-testid="groupbuy-create" onClick={() => setCreating(true)}>
          {t("campaigns.groupbuy.create")}
        </Button>
        <Button onClick={() => setReload((n) => n + 1)}>{t("common.refresh")}</Button>
      </Space>
      <ServerTable<Activity>
        path="/admin/groupbuy/activities"
        reloadKey={reload}
        onRow={(a) => rowTestId(a.id)}
        columns={[
          {
            title: t("campaigns.groupbuy.title"),
            key: "title",
            render: (_, a) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{a.title}</Typography.Text>
                {a.skus.map((s) => (
                  <Typography.Text key={s.skuId} type="secondary" style={{ fontSize: 12 }}>
                    {skuLabel(s)}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          { title: t("campaigns.groupbuy.teamSize"), dataIndex: "teamSize", render: (n: number) => t("campaigns.groupbuy.people", { n }) },
          {
            title: t("campaigns.groupbuy.prices"),
            key: "prices",
            render: (_, a) =>
              a.skus.map((s) => (
                <div key={s.skuId}>
                  <Typography.Text type="danger">{yuan(s.groupPrice)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {` ${t("campaigns.groupbuy.leader")} ${yuan(s.leaderPrice)} · `}
                    <del>{yuan(s.listPrice)}</del>
                  </Typography.Text>
                </div>
              )),
          },
          { title: t("campaigns.stockLeft"), key: "stock", render: (_, a) => a.skus.map((s) => <div key={s.skuId}>{`${s.stockLeft} / ${s.stock}`}</div>) },
          { title: t("campaigns.groupbuy.fillTime"), dataIndex: "fillMinutes", render: (m: number) => t("campaigns.hours", { n: +(m / 60).toFixed(2) }) },
          { title: t("campaigns.window"), key: "window", render: (_, a) => <Window from={a.startsAt} to={a.endedAt ?? a.endsAt} /> },
          {
            title: t("common.status"),
            key: "phase",
            render: (_, a) => (
              <Space orientation="vertical" size={4}>
                <StateTag state={a.phase} testId={`groupbuy-phase-${a.id}`} />
                {a.platformFill.enabled && <Tag color="purple">{t("campaigns.groupbuy.platformFill")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("campaigns.groupbuy.teams"),
            key: "teams",
            render: (_, a) => (
              <Space size={4} wrap data-testid={`groupbuy-teams-${a.id}`}>
                <Tag color="green">{t("campaigns.groupbuy.count.open", { n: a.teams.open })}</Tag>
                <Tag color="blue">{t("campaigns.groupbuy.count.succeeded", { n: a.teams.succeeded })}</Tag>
                <Tag color="red">{t("campaigns.groupbuy.count.failed", { n: a.teams.failed })}</Tag>
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, a) => (
              <Space>
                <Button size="small" onClick={() => onShowTeams(a.id)}>
                  {t("campaigns.groupbuy.viewTeams")}
                </Button>
                {a.phase !== "ended" && (
                  <Popconfirm title={t("campaigns.groupbuy.endConfirm")} description={t("campaigns.groupbuy.endHint")} onConfirm={() => end(a.id)} okText={t("campaigns.groupbuy.end")} cancelText={t("common.cancel")}>
                    <Button size="small" danger data-testid={`groupbuy-end-${a.id}`}>
                      {t("campaigns.groupbuy.end")}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {creating && <CreateActivity onClose={() => setCreating(false)} onCreated={() => setReload((n) => n + 1)} />}
    </>
  );
}

function CreateActivity({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<ActivityForm>();
  const [listPrices, setListPrices] = useState<Record<number, number>>({});
  useEffect(() => {
    void serverNow().then((now) => form.setFieldsValue({ startsAt: now, endsAt: now.add(7, "day") }));
  }, [form]);
  const submit = async (v: ActivityForm) => {
    await api.post("/admin/groupbuy/activities", {
      title: v.title,
      teamSize: v.teamSize,
      fillMinutes: v.fillMinutes,
      paymentMinutes: v.paymentMinutes,
      perUserLimit: v.perUserLimit,
      startsAt: toApiTime(v.startsAt),
      endsAt: toApiTime(v.endsAt),
      platformFillsLastSeat: v.platformFillsLastSeat,
      skus: v.skus.map((s) => ({ skuId: s.skuId, groupPrice: toFen(s.groupPrice), leaderPrice: toFen(s.leaderPrice), stock: s.stock })),
    });
    onCreated();
  };
  const required = { required: true, message: t("campaigns.required") };
  return (
    <FormModal<ActivityForm>
      open
      title={t("campaigns.groupbuy.create")}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      width={760}
      testId="groupbuy-form"
      initialValues={{ teamSize: 3, fillMinutes: 1440, paymentMinutes: 15, perUserLimit: 1, platformFillsLastSeat: false, skus: [{} as ActivityForm["skus"][number]] }}
    >
      <Form.Item name="title" label={t("campaigns.groupbuy.title")} rules={[required, { max: 100 }]}>
        <Input data-testid="groupbuy-form-title" placeholder={t("campaigns.groupbuy.titlePlaceholder")} />
      </Form.Item>
      <Form.List name="skus">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <Row gutter={12} key={field.key} align="top">
                <Col span={9}>
                  <Form.Item name={[field.name, "skuId"]} label={i === 0 ? t("campaigns.sku") : undefined} rules={[required]} extra={listPrices[i] !== undefined ? t("campaigns.listPrice", { price: yuan(listPrices[i]) }) : undefined}>
                    <SkuSelect data-testid={`groupbuy-form-sku-${i}`} onPick={(s) => setListPrices((p) => ({ ...p, [i]: s.price }))} />
                  </Form.Item>
                </Col>
                <Col span={5}>
                  <Form.Item name={[field.name, "groupPrice"]} label={i === 0 ? t("campaigns.groupbuy.groupPrice") : undefined} rules={[required, withinListPrice(listPrices[i], t("campaigns.aboveListPrice", { price: yuan(listPrices[i]) }))]}>
                    <YuanInput data-testid={`groupbuy-form-group-price-${i}`} />
                  </Form.Item>
                </Col>
                <Col span={5}>
                  <Form.Item
                    name={[field.name, "leaderPrice"]}
                    label={i === 0 ? t("campaigns.groupbuy.leaderPrice") : undefined}
                    dependencies={[["skus", field.name, "groupPrice"]]}
                    rules={[
                      required,
                      ({ getFieldValue }) => ({
                        validator: (_, value: number | undefined) =>
                          value === undefined || value <= (getFieldValue(["skus", field.name, "groupPrice"]) ?? Infinity) ? Promise.resolve() : Promise.reject(new Error(t("campaigns.groupbuy.leaderAboveGroup"))),
                      }),
                    ]}
                  >
                    <YuanInput data-testid={`groupbuy-form-leader-price-${i}`} />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item name={[field.name, "stock"]} label={i === 0 ? t("campaigns.stock") : undefined} rules={[required]}>
                    <InputNumber<number> min={1} max={1_000_000} precision={0} style={{ width: "100%" }} data-testid={`groupbuy-form-stock-${i}`} />
                  </Form.Item>
                </Col>
                <Col span={1}>
                  {fields.length > 1 && (
                    <Button type="text" danger onClick={() => remove(field.name)} style={{ marginTop: i === 0 ? 30 : 0 }} aria-label={t("campaigns.remove")}>
                      ×
                    </Button>
                  )}
                </Col>
              </Row>
            ))}
            {fields.length < 20 && (
              <Button type="dashed" onClick={() => add()} style={{ marginBottom: 16 }}>
                {t("campaigns.groupbuy.addSku")}
              </Button>
            )}
          </>
        )}
      </Form.List>
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item name="teamSize" label={t("campaigns.groupbuy.teamSize")} rules={[required]} tooltip={t("campaigns.groupbuy.teamSizeHint")}>
            <InputNumber<number> min={2} max={10} precision={0} suffix={t("campaigns.unit.people")} style={{ width: "100%" }} data-testid="groupbuy-form-team-size" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="fillMinutes" label={t("campaigns.groupbuy.fillTime")} rules={[required]} tooltip={t("campaigns.groupbuy.fillTimeHint")}>
            <HoursInput min={10} max={7 * 24 * 60} data-testid="groupbuy-form-fill-hours" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="paymentMinutes" label={t("campaigns.paymentMinutes")} rules={[required]}>
            <InputNumber<number> min={1} max={60} precision={0} suffix={t("campaigns.unit.minutes")} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="perUserLimit" label={t("campaigns.perUserLimit")} rules={[required]}>
            <InputNumber<number> min={1} max={99} precision={0} style={{ width: "100%" }} />
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
      <Form.Item name="platformFillsLastSeat" label={t("campaigns.groupbuy.platformFill")} valuePropName="checked" extra={t("campaigns.groupbuy.platformFillHint")}>
        <Switch />
      </Form.Item>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t("campaigns.shanghaiNote")}</Typography.Paragraph>
    </FormModal>
  );
}

function Teams({ activityId, onActivity }: { activityId?: string; onActivity(id?: string): void }) {
  const { t } = useI18n();
  const [state, setState] = useState<TeamState | "all">("all");
  const [activities, setActivities] = useState<Activity[]>([]);
  useEffect(() => {
    void api.get<CursorPage<Activity>>("/admin/groupbuy/activities", { limit: 100 }).then((p) => setActivities(p.items));
  }, []);
  const titleOf = (id: string) => activities.find((a) => a.id === id)?.title ?? id;
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          style={{ width: 280 }}
          placeholder={t("campaigns.groupbuy.allActivities")}
          value={activityId}
          onChange={(id?: string) => onActivity(id)}
          options={activities.map((a) => ({ value: a.id, label: a.title }))}
          data-testid="groupbuy-teams-activity"
        />
        <Segmented<TeamState | "all">
          value={state}
          onChange={setState}
          options={[{ value: "all", label: t("campaigns.all") }, ...TEAM_STATES.map((s) => ({ value: s, label: stateLabel(t, s, "team") }))]}
        />
      </Space>
      <ServerTable<Team>
        path="/admin/groupbuy/teams"
        query={{ activityId, state: state === "all" ? undefined : state }}
        expandable={{ expandedRowRender: (team) => <Members team={team} /> }}
        columns={[
          { title: t("campaigns.groupbuy.team"), dataIndex: "id", render: (id: string) => <ShortId id={id} /> },
          { title: t("campaigns.groupbuy.activity"), dataIndex: "activityId", render: titleOf },
          { title: t("common.status"), dataIndex: "state", render: (s: string) => <StateTag state={s} scope="team" /> },
          { title: t("campaigns.groupbuy.seats"), key: "seats", render: (_, team) => `${team.seatsTaken} / ${team.size}` },
          { title: t("campaigns.groupbuy.paid"), dataIndex: "paidCount" },
          { title: t("campaigns.groupbuy.platformFill"), dataIndex: "platformFilled", render: (f: boolean) => (f ? <Tag color="purple">{t("campaigns.groupbuy.filledByPlatform")}</Tag> : "—") },
          { title: t("campaigns.groupbuy.openedAt"), dataIndex: "openedAt", render: shanghaiTime },
          { title: t("campaigns.groupbuy.deadline"), dataIndex: "deadlineAt", render: shanghaiTime },
          { title: t("campaigns.groupbuy.closedAt"), dataIndex: "closedAt", render: shanghaiTime },
        ]}
      />
    </>
  );
}

function Members({ team }: { team: Team }) {
  const { t } = useI18n();
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={team.members}
      columns={[
        { title: t("campaigns.groupbuy.memberKind"), dataIndex: "kind", render: (k: string) => t(`campaigns.groupbuy.kind.${k}`) },
        { title: t("common.status"), dataIndex: "state", render: (s: string) => t(`campaigns.seat.${s}`) },
        { title: t("campaigns.user"), dataIndex: "userId", render: (id: string | null) => <ShortId id={id} /> },
        { title: t("campaigns.qty"), dataIndex: "qty" },
        { title: t("campaigns.order"), dataIndex: "orderId", render: (id: string | null) => <ShortId id={id} /> },
        { title: t("campaigns.groupbuy.joinedAt"), dataIndex: "joinedAt", render: shanghaiTime },
        { title: t("campaigns.paidAt"), dataIndex: "paidAt", render: shanghaiTime },
      ]}
    />
  );
}
