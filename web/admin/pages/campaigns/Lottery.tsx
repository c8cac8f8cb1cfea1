import { Alert, Button, Card, Col, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Row, Segmented, Select, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { type HTMLAttributes, type ReactNode, useCallback, useEffect, useState } from "react";
import { idempotencyKey } from "../../../shared/api";
import { percent, shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { useSession } from "../../session";
import { FormModal, useAction } from "./FormModal";
import { PercentInput, toBp, toFen, YuanInput } from "./money";
import { ShortId } from "./ShortId";
import { StateTag } from "./StateTag";
import { PICKER_FORMAT, serverNow, toApiTime } from "./time";
import { useCouponTemplates } from "./useCouponTemplates";
import { Window } from "./Window";

type PrizeKind = "coupon" | "points" | "cash" | "goods" | "thanks";
const PRIZE_KINDS: PrizeKind[] = ["goods", "coupon", "points", "cash", "thanks"];
type Fulfilment = "none" | "fulfilled" | "to_fulfil";

interface ActivityRow {
  id: string;
  title: string;
  kind: "wheel" | "grid";
  status: "active" | "paused";
  startsAt: string;
  endsAt: string;
  draws: number;
  cashBudget: number;
  cashSpent: number;
}

interface Prize {
  id: string;
  position: number;
  kind: PrizeKind;
  name: string;
  probabilityBp: number;
  amount: number | null;
  couponTemplateId: string | null;
  stock: number | null;
  won: number;
}

interface ActivityDetail extends ActivityRow {
  dailyFreeChances: number;
  shareChancesPerDay: number;
  seedHash: string;
  prizes: Prize[];
  questions: Array<{ id: string; prompt: string; options: string[]; answer: number }>;
}

interface Draw {
  id: string;
  nonce: number;
  roll: number;
  outcome: "won" | "thanks";
  prize: { id: string; kind: PrizeKind; name: string; amount: number | null };
  fallback: "out_of_stock" | "over_budget" | null;
  chanceSource: "free" | "earned";
  fulfilment: Fulfilment;
  userId: string;
  createdAt: string;
}

interface Verification {
  nonce: number;
  serverSeed: string;
  seedHash: string;
  seedMatchesHash: boolean;
  computed: { digest: string; roll: number; pickedPrizeId: string };
  recorded: { digest: string; roll: number; pickedPrizeId: string; prizeId: string; outcome: string; fallback: string | null };
  reproduced: boolean;
}

interface PrizeForm {
  kind: PrizeKind;
  name: string;
  probability: number;
  amount?: number;
  couponTemplateId?: string;
  stock?: number;
}

interface CreateForm {
  title: string;
  kind: "wheel" | "grid";
  startsAt: Dayjs;
  endsAt: Dayjs;
  dailyFreeChances: number;
  shareChancesPerDay: number;
  cashBudget?: number;
  prizes: PrizeForm[];
  questions?: Array<{ prompt: string; options: string[]; answer: number }>;
}

/** A prize's value in its own unit: points, or a cash red envelope in yuan. */
function prizeValue(kind: PrizeKind, amount: number | null, t: (k: string, v?: Record<string, string | number>) => string): string {
  if (amount === null) return "—";
  return kind === "cash" ? yuan(amount) : t("campaigns.lottery.points", { n: amount });
}

/** A list's own errors (from its rules or the API), in the form's error colour. */
function ListErrors({ errors }: { errors: ReactNode[] }) {
  return (
    <>
      {errors.map((e, i) => (
        <Typography.Paragraph key={i} type="danger" style={{ marginBottom: 8 }}>
          {e}
        </Typography.Paragraph>
      ))}
    </>
  );
}

/** 抽奖: lucky draws with their prizes and odds, every draw, prizes to hand over, and draws re-computed from the seed. */
export default function Lottery() {
  const { t } = useI18n();
  const act = useAction();
  const [reload, setReload] = useState(0);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const setStatus = async (a: ActivityRow, status: "active" | "paused") => {
    if (await act(() => api.patch(`/admin/lottery-activities/${a.id}`, { status }))) setReload((n) => n + 1);
  };
  return (
    <Card
      title={t("nav.lottery")}
      extra={
        <Space>
          <Button onClick={() => setReload((n) => n + 1)}>{t("common.refresh")}</Button>
          <Button type="primary" onClick={() => setCreating(true)} data-testid="lottery-create">
            {t("campaigns.lottery.create")}
          </Button>
        </Space>
      }
    >
      <ServerTable<ActivityRow>
        path="/admin/lottery-activities"
        reloadKey={reload}
        onRow={(a) => ({ "data-testid": `lottery-row-${a.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("campaigns.lottery.title"), dataIndex: "title", render: (title: string) => <Typography.Text strong>{title}</Typography.Text> },
          { title: t("campaigns.lottery.kind"), dataIndex: "kind", render: (k: string) => t(`campaigns.lottery.kind.${k}`) },
          { title: t("campaigns.window"), key: "window", render: (_, a) => <Window from={a.startsAt} to={a.endsAt} /> },
          { title: t("campaigns.lottery.draws"), dataIndex: "draws" },
          { title: t("campaigns.lottery.cash"), key: "cash", render: (_, a) => (a.cashBudget ? `${yuan(a.cashSpent)} / ${yuan(a.cashBudget)}` : "—") },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StateTag state={s} /> },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, a) => (
              <Space>
                <Button size="small" type="primary" ghost onClick={() => setOpen(a.id)} data-testid={`lottery-open-${a.id}`}>
                  {t("campaigns.lottery.details")}
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
      {open && <ActivityDrawer id={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function CreateActivity({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<CreateForm>();
  const templates = useCouponTemplates();
  const prizes = Form.useWatch("prizes", form) ?? [];
  const total = prizes.reduce((sum, p) => sum + toBp(p?.probability ?? 0), 0);
  useEffect(() => {
    void serverNow().then((now) => form.setFieldsValue({ startsAt: now, endsAt: now.add(30, "day") }));
  }, [form]);
  const required = { required: true, message: t("campaigns.required") };
  const submit = async (v: CreateForm) => {
    await api.post("/admin/lottery-activities", {
      title: v.title,
      kind: v.kind,
      startsAt: toApiTime(v.startsAt),
      endsAt: toApiTime(v.endsAt),
      dailyFreeChances: v.dailyFreeChances,
      shareChancesPerDay: v.shareChancesPerDay,
      cashBudget: v.cashBudget === undefined || v.cashBudget === null ? undefined : toFen(v.cashBudget),
      prizes: v.prizes.map((p) => ({
        kind: p.kind,
        name: p.name,
        probabilityBp: toBp(p.probability),
        amount: p.amount === undefined || p.amount === null ? undefined : p.kind === "cash" ? toFen(p.amount) : p.amount,
        couponTemplateId: p.kind === "coupon" ? p.couponTemplateId : undefined,
        stock: p.stock ?? undefined,
      })),
      questions: (v.questions ?? []).map((q) => ({ prompt: q.prompt, options: q.options, answer: q.answer })),
    });
    onSaved();
  };
  return (
    <FormModal<CreateForm>
      open
      title={t("campaigns.lottery.create")}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      width={980}
      testId="lottery-form"
      initialValues={{
        kind: "wheel",
        dailyFreeChances: 1,
        shareChancesPerDay: 3,
        prizes: [
          { kind: "points", name: t("campaigns.lottery.samplePoints"), probability: 20, amount: 100 },
          { kind: "thanks", name: t("campaigns.lottery.sampleThanks"), probability: 80 },
        ],
      }}
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="title" label={t("campaigns.lottery.title")} rules={[required, { max: 60 }]}>
            <Input data-testid="lottery-form-title" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="kind" label={t("campaigns.lottery.kind")} rules={[required]}>
            <Segmented options={[{ value: "wheel", label: t("campaigns.lottery.kind.wheel") }, { value: "grid", label: t("campaigns.lottery.kind.grid") }]} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item name="startsAt" label={t("campaigns.startsAt")} rules={[required]}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="endsAt" label={t("campaigns.endsAt")} rules={[required]}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="dailyFreeChances" label={t("campaigns.lottery.freeChances")} rules={[required]}>
            <InputNumber<number> min={0} max={100} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="shareChancesPerDay" label={t("campaigns.lottery.shareChances")} rules={[required]}>
            <InputNumber<number> min={0} max={100} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="cashBudget" label={t("campaigns.lottery.cashBudget")}>
            <YuanInput />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Title level={5}>
        {t("campaigns.lottery.prizes")}{" "}
        <Tag color={total === 10000 ? "green" : "red"} data-testid="lottery-form-total">
          {t("campaigns.lottery.total", { p: percent(total / 10000, 2) })}
        </Tag>
      </Typography.Title>
      <Form.List
        name="prizes"
        rules={[{ validator: async (_, list: PrizeForm[] | undefined) => ((list ?? []).reduce((sum, p) => sum + toBp(p?.probability ?? 0), 0) === 10000 ? undefined : Promise.reject(new Error(t("campaigns.lottery.sumRule")))) }]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            <Row gutter={8} style={{ marginBottom: 4 }}>
              {(["prizeKind", "prizeName", "odds", "value", "prizeStock"] as const).map((k, i) => (
                <Col key={k} span={[4, 5, 3, 4, 4][i]}>
                  <Typography.Text type="secondary">{t(`campaigns.lottery.${k}`)}</Typography.Text>
                </Col>
              ))}
            </Row>
            {fields.map((field, i) => {
              const kind = prizes[i]?.kind;
              return (
                <Row gutter={8} key={field.key}>
                  <Col span={4}>
                    <Form.Item name={[field.name, "kind"]} rules={[required]}>
                      <Select options={PRIZE_KINDS.map((k) => ({ value: k, label: t(`campaigns.lottery.prize.${k}`) }))} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[field.name, "name"]} rules={[required, { max: 40 }]}>
                      <Input placeholder={t("campaigns.lottery.prizeName")} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[field.name, "probability"]} rules={[required]}>
                      <PercentInput placeholder={t("campaigns.lottery.odds")} />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    {kind === "cash" && (
                      <Form.Item name={[field.name, "amount"]} rules={[required]}>
                        <YuanInput placeholder={t("campaigns.lottery.envelope")} />
                      </Form.Item>
                    )}
                    {kind === "points" && (
                      <Form.Item name={[field.name, "amount"]} rules={[required]}>
                        <InputNumber<number> min={1} precision={0} suffix={t("campaigns.unit.points")} style={{ width: "100%" }} />
                      </Form.Item>
                    )}
                    {kind === "coupon" && (
                      <Form.Item name={[field.name, "couponTemplateId"]} rules={[required]}>
                        <Select placeholder={t("campaigns.couponTemplate")} options={templates.map((c) => ({ value: c.id, label: c.name }))} />
                      </Form.Item>
                    )}
                  </Col>
                  <Col span={4}>
                    {kind !== "thanks" && (
                      <Form.Item name={[field.name, "stock"]} rules={kind === "goods" || kind === "coupon" ? [required] : []}>
                        <InputNumber<number> min={0} precision={0} placeholder={kind === "goods" || kind === "coupon" ? t("campaigns.stock") : t("campaigns.lottery.unlimited")} style={{ width: "100%" }} />
                      </Form.Item>
                    )}
                  </Col>
                  <Col span={2}>
                    {fields.length > 2 && (
                      <Button type="text" danger onClick={() => remove(field.name)}>
                        {t("campaigns.remove")}
                      </Button>
                    )}
                  </Col>
                </Row>
              );
            })}
            <ListErrors errors={errors} />
            {fields.length < 12 && (
              <Button type="dashed" onClick={() => add({ kind: "goods", probability: 0 })} style={{ marginBottom: 16 }}>
                {t("campaigns.lottery.addPrize")}
              </Button>
            )}
          </>
        )}
      </Form.List>
      <Typography.Title level={5}>{t("campaigns.lottery.quiz")}</Typography.Title>
      <Form.List name="questions">
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field) => (
              <Row gutter={8} key={field.key}>
                <Col span={8}>
                  <Form.Item name={[field.name, "prompt"]} rules={[required, { max: 200 }]}>
                    <Input placeholder={t("campaigns.lottery.prompt")} />
                  </Form.Item>
                </Col>
                <Col span={9}>
                  <Form.Item name={[field.name, "options"]} rules={[required]}>
                    <Select mode="tags" placeholder={t("campaigns.lottery.options")} open={false} />
                  </Form.Item>
                </Col>
                <Col span={5}>
                  <Form.Item noStyle dependencies={[["questions", field.name, "options"]]}>
                    {({ getFieldValue }) => (
                      <Form.Item name={[field.name, "answer"]} rules={[required]}>
                        <Select
                          placeholder={t("campaigns.lottery.answer")}
                          options={((getFieldValue(["questions", field.name, "options"]) as string[] | undefined) ?? []).map((o, idx) => ({ value: idx, label: o }))}
                        />
                      </Form.Item>
                    )}
                  </Form.Item>
                </Col>
                <Col span={2}>
                  <Button type="text" danger onClick={() => remove(field.name)}>
                    {t("campaigns.remove")}
                  </Button>
                </Col>
              </Row>
            ))}
            <ListErrors errors={errors} />
            <Button type="dashed" onClick={() => add()} style={{ marginBottom: 16 }}>
              {t("campaigns.lottery.addQuestion")}
            </Button>
          </>
        )}
      </Form.List>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t("campaigns.shanghaiNote")}</Typography.Paragraph>
    </FormModal>
  );
}

function ActivityDrawer({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const act = useAction();
  const [activity, setActivity] = useState<ActivityDetail | null>(null);
  const [fulfilment, setFulfilment] = useState<Fulfilment | "all">("all");
  const [reload, setReload] = useState(0);
  const [fulfilling, setFulfilling] = useState<Draw | null>(null);
  const [note, setNote] = useState("");
  const [verified, setVerified] = useState<Verification | null>(null);
  const load = useCallback(() => void api.get<ActivityDetail>(`/admin/lottery-activities/${id}`).then(setActivity), [id]);
  useEffect(load, [load, reload]);
  const fulfil = async () => {
    if (!fulfilling) return;
    const done = await act(() => api.post(`/admin/lottery-draws/${fulfilling.id}/fulfil`, { note }, { idempotencyKey: idempotencyKey() }), t("campaigns.lottery.fulfilled"));
    if (done) {
      setFulfilling(null);
      setNote("");
      setReload((n) => n + 1);
    }
  };
  const verify = async (draw: Draw) => {
    await act(async () => setVerified(await api.get<Verification>(`/admin/lottery-draws/${draw.id}/verify`)), t("campaigns.lottery.verifiedDone"));
  };
  const prizeName = (prizeId: string) => activity?.prizes.find((p) => p.id === prizeId)?.name ?? prizeId;
  return (
    <Drawer open size={1080} title={activity?.title ?? t("campaigns.loading")} onClose={onClose}>
      {activity && (
        <>
          <Descriptions
            size="small"
            column={3}
            items={[
              { key: "status", label: t("common.status"), children: <StateTag state={activity.status} /> },
              { key: "kind", label: t("campaigns.lottery.kind"), children: t(`campaigns.lottery.kind.${activity.kind}`) },
              { key: "draws", label: t("campaigns.lottery.draws"), children: activity.draws },
              { key: "window", label: t("campaigns.window"), children: `${shanghaiTime(activity.startsAt)} ~ ${shanghaiTime(activity.endsAt)}` },
              { key: "chances", label: t("campaigns.lottery.chances"), children: t("campaigns.lottery.chancesLine", { free: activity.dailyFreeChances, share: activity.shareChancesPerDay }) },
              { key: "cash", label: t("campaigns.lottery.cash"), children: activity.cashBudget ? `${yuan(activity.cashSpent)} / ${yuan(activity.cashBudget)}` : "—" },
              { key: "seed", label: t("campaigns.lottery.seedHash"), span: 3, children: <Typography.Text code copyable style={{ fontSize: 12 }}>{activity.seedHash}</Typography.Text> },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("campaigns.lottery.prizes")}
          </Typography.Title>
          <Table<Prize>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={activity.prizes}
            columns={[
              { title: t("campaigns.lottery.prizeName"), dataIndex: "name" },
              { title: t("campaigns.lottery.prizeKind"), dataIndex: "kind", render: (k: string) => t(`campaigns.lottery.prize.${k}`) },
              { title: t("campaigns.lottery.odds"), dataIndex: "probabilityBp", render: (bp: number) => percent(bp / 10000, 2) },
              { title: t("campaigns.lottery.value"), key: "value", render: (_, p) => prizeValue(p.kind, p.amount, t) },
              { title: t("campaigns.lottery.won"), key: "won", render: (_, p) => (p.stock === null ? p.won : `${p.won} / ${p.stock}`) },
            ]}
          />
          {activity.questions.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t("campaigns.lottery.quiz")}
              </Typography.Title>
              {activity.questions.map((q) => (
                <div key={q.id} style={{ marginBottom: 8 }}>
                  <Typography.Text strong>{q.prompt}</Typography.Text>{" "}
                  {q.options.map((o, i) => (
                    <Tag key={o} color={i === q.answer ? "green" : undefined}>
                      {o}
                    </Tag>
                  ))}
                </div>
              ))}
            </>
          )}
          <Space style={{ margin: "16px 0 8px" }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t("campaigns.lottery.drawList")}
            </Typography.Title>
            <Segmented<Fulfilment | "all">
              value={fulfilment}
              onChange={setFulfilment}
              options={[
                { value: "all", label: t("campaigns.all") },
                { value: "to_fulfil", label: t("campaigns.state.to_fulfil") },
                { value: "fulfilled", label: t("campaigns.state.fulfilled") },
                { value: "none", label: t("campaigns.lottery.nothingToHand") },
              ]}
            />
          </Space>
          <ServerTable<Draw>
            path={`/admin/lottery-activities/${id}/draws`}
            query={{ fulfilment: fulfilment === "all" ? undefined : fulfilment }}
            reloadKey={reload}
            columns={[
              { title: "#", dataIndex: "nonce" },
              { title: t("campaigns.user"), dataIndex: "userId", render: (u: string) => <ShortId id={u} /> },
              {
                title: t("campaigns.lottery.result"),
                key: "result",
                render: (_, d) => (
                  <Space size={4}>
                    <Tag color={d.outcome === "won" ? "red" : "default"}>{d.prize.name}</Tag>
                    {d.fallback && <Tag color="orange">{t(`campaigns.lottery.fallback.${d.fallback}`)}</Tag>}
                  </Space>
                ),
              },
              { title: t("campaigns.lottery.roll"), dataIndex: "roll" },
              { title: t("campaigns.lottery.chance"), dataIndex: "chanceSource", render: (s: string) => t(`campaigns.lottery.source.${s}`) },
              { title: t("campaigns.lottery.fulfilment"), dataIndex: "fulfilment", render: (f: string) => (f === "none" ? "—" : <StateTag state={f} />) },
              { title: t("campaigns.lottery.drawnAt"), dataIndex: "createdAt", render: shanghaiTime },
              {
                title: t("common.actions"),
                key: "actions",
                render: (_, d) => (
                  <Space>
                    {d.fulfilment === "to_fulfil" && (
                      <Button size="small" type="primary" onClick={() => setFulfilling(d)} data-testid={`lottery-fulfil-${d.id}`}>
                        {t("campaigns.lottery.fulfil")}
                      </Button>
                    )}
                    {can("audit") && (
                      <Button size="small" onClick={() => void verify(d)} data-testid={`lottery-verify-${d.id}`}>
                        {t("campaigns.lottery.verify")}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </>
      )}
      <Modal
        open={fulfilling !== null}
        title={t("campaigns.lottery.fulfilTitle", { prize: fulfilling?.prize.name ?? "" })}
        onCancel={() => setFulfilling(null)}
        onOk={() => void fulfil()}
        okButtonProps={{ disabled: note.trim() === "" }}
        okText={t("campaigns.lottery.fulfil")}
        cancelText={t("common.cancel")}
      >
        <Input.TextArea autoFocus rows={3} maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("campaigns.lottery.notePlaceholder")} data-testid="lottery-fulfil-note" />
      </Modal>
      <Modal open={verified !== null} title={t("campaigns.lottery.verifyTitle")} footer={null} onCancel={() => setVerified(null)} width={720}>
        {verified && (
          <>
            <Alert type={verified.reproduced && verified.seedMatchesHash ? "success" : "error"} showIcon title={t(verified.reproduced && verified.seedMatchesHash ? "campaigns.lottery.reproduced" : "campaigns.lottery.notReproduced")} style={{ marginBottom: 12 }} />
            <Descriptions
              size="small"
              column={1}
              bordered
              items={[
                { key: "seed", label: t("campaigns.lottery.serverSeed"), children: <Typography.Text code style={{ fontSize: 12, wordBreak: "break-all" }}>{verified.serverSeed}</Typography.Text> },
                { key: "hash", label: t("campaigns.lottery.seedHash"), children: <>{verified.seedMatchesHash ? <Tag color="green">{t("campaigns.lottery.matches")}</Tag> : <Tag color="red">{t("campaigns.lottery.differs")}</Tag>}<Typography.Text style={{ fontSize: 12, wordBreak: "break-all" }}>{verified.seedHash}</Typography.Text></> },
                { key: "nonce", label: "nonce", children: verified.nonce },
                { key: "roll", label: t("campaigns.lottery.roll"), children: t("campaigns.lottery.computedRecorded", { computed: verified.computed.roll, recorded: verified.recorded.roll }) },
                { key: "pick", label: t("campaigns.lottery.picked"), children: t("campaigns.lottery.computedRecorded", { computed: prizeName(verified.computed.pickedPrizeId), recorded: prizeName(verified.recorded.pickedPrizeId) }) },
                { key: "digest", label: t("campaigns.lottery.digest"), children: <Typography.Text style={{ fontSize: 12, wordBreak: "break-all" }}>{verified.computed.digest}</Typography.Text> },
              ]}
            />
          </>
        )}
      </Modal>
    </Drawer>
  );
}
