import { Alert, Button, Card, Col, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Popconfirm, Progress, Row, Space, Table, Tabs, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { type HTMLAttributes, useCallback, useEffect, useState } from "react";
import { idempotencyKey } from "../../../shared/api";
import { countdown, shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { ServerTable } from "../../components/ServerTable";
import { FormModal, useAction } from "./FormModal";
import { toFen, toYuan, withinListPrice, YuanInput } from "./money";
import { ShortId } from "./ShortId";
import { SkuSelect } from "./SkuSelect";
import { StateTag, stateLabel } from "./StateTag";
import { fromApiTime, PICKER_FORMAT, serverNow, toApiTime } from "./time";

interface Slot {
  id: string;
  title: string;
  opensAt: string;
  closesAt: string;
  state: "upcoming" | "open" | "ended";
  msToOpen: number;
  msToClose: number;
}

type Units = Record<"queued" | "ordered" | "paid" | "released" | "failed", number>;

interface Item {
  id: string;
  skuId: string;
  title: string | null;
  listPrice: number | null;
  flashPrice: number;
  stock: number;
  remaining: number | null;
  perUserLimit: number;
  paymentMinutes: number;
  units: Units;
}

interface SlotDetail extends Slot {
  items: Item[];
}

interface ItemCheck {
  itemId: string;
  stock: number;
  heldInDb: number;
  heldInCounter: number;
  remaining: number | null;
  restored: boolean;
  missingInCounter: string[];
  extraInCounter: string[];
  inFlight: string[];
  termsDiffer: boolean;
  countsDiffer: boolean;
  requeued: string[];
  consistent: boolean;
}

interface Reconciliation {
  checkedAt: string;
  repaired: boolean;
  consistent: boolean;
  items: ItemCheck[];
}

interface SlotForm {
  title: string;
  opensAt: Dayjs;
  closesAt: Dayjs;
}

interface ItemForm {
  skuId: string;
  flashPrice: number;
  stock: number;
  perUserLimit: number;
  paymentMinutes: number;
}

/** 秒杀: time slots and their items, what each sold, and the counter checked against the database. */
export default function Flash() {
  const { t } = useI18n();
  return (
    <Card title={t("nav.flash")}>
      <Tabs
        destroyOnHidden
        items={[
          { key: "slots", label: t("campaigns.flash.slots"), children: <Slots /> },
          { key: "reconciliation", label: t("campaigns.flash.reconciliation"), children: <ReconciliationView /> },
        ]}
      />
    </Card>
  );
}

function Slots() {
  const { t } = useI18n();
  const act = useAction();
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<Slot | "new" | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const remove = async (slot: Slot) => {
    if (await act(() => api.del(`/admin/flash/slots/${slot.id}`))) setReload((n) => n + 1);
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" data-testid="flash-slot-create" onClick={() => setEditing("new")}>
          {t("campaigns.flash.createSlot")}
        </Button>
        <Button onClick={() => setReload((n) => n + 1)}>{t("common.refresh")}</Button>
      </Space>
      <ServerTable<Slot>
        path="/admin/flash/slots"
        reloadKey={reload}
        onRow={(s) => ({ "data-testid": `flash-slot-row-${s.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("campaigns.flash.slot"), dataIndex: "title", render: (title: string) => <Typography.Text strong>{title}</Typography.Text> },
          { title: t("campaigns.flash.opensAt"), dataIndex: "opensAt", render: shanghaiTime },
          { title: t("campaigns.flash.closesAt"), dataIndex: "closesAt", render: shanghaiTime },
          { title: t("common.status"), dataIndex: "state", render: (s: string) => <StateTag state={s} scope="slot" /> },
          {
            title: t("campaigns.flash.countdown"),
            key: "countdown",
            render: (_, s) => (s.state === "upcoming" ? t("campaigns.flash.opensIn", { time: countdown(s.msToOpen) }) : s.state === "open" ? t("campaigns.flash.closesIn", { time: countdown(s.msToClose) }) : "—"),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, s) => (
              <Space wrap>
                <Button size="small" type="primary" ghost onClick={() => setOpen(s.id)} data-testid={`flash-slot-items-${s.id}`}>
                  {t("campaigns.flash.items")}
                </Button>
                {s.state === "upcoming" && (
                  <>
                    <Button size="small" onClick={() => setEditing(s)}>
                      {t("common.edit")}
                    </Button>
                    <Popconfirm title={t("campaigns.flash.deleteConfirm")} onConfirm={() => remove(s)} okText={t("campaigns.delete")} cancelText={t("common.cancel")}>
                      <Button size="small" danger>
                        {t("campaigns.delete")}
                      </Button>
                    </Popconfirm>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && <SlotModal slot={editing === "new" ? null : editing} onClose={() => setEditing(null)} onSaved={() => setReload((n) => n + 1)} />}
      {open && <SlotDrawer slotId={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function SlotModal({ slot, onClose, onSaved }: { slot: Slot | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<SlotForm>();
  useEffect(() => {
    if (slot) form.setFieldsValue({ title: slot.title, opensAt: fromApiTime(slot.opensAt), closesAt: fromApiTime(slot.closesAt) });
    else void serverNow().then((now) => form.setFieldsValue({ opensAt: now.add(1, "hour").minute(0), closesAt: now.add(3, "hour").minute(0) }));
  }, [form, slot]);
  const submit = async (v: SlotForm) => {
    const body = { title: v.title, opensAt: toApiTime(v.opensAt), closesAt: toApiTime(v.closesAt) };
    if (slot) await api.patch(`/admin/flash/slots/${slot.id}`, body);
    else await api.post("/admin/flash/slots", body, { idempotencyKey: idempotencyKey() });
    onSaved();
  };
  const required = { required: true, message: t("campaigns.required") };
  return (
    <FormModal<SlotForm> open title={t(slot ? "campaigns.flash.editSlot" : "campaigns.flash.createSlot")} form={form} onClose={onClose} onSubmit={submit} testId="flash-slot-form" width={520}>
      <Form.Item name="title" label={t("campaigns.flash.slot")} rules={[required, { max: 60 }]}>
        <Input placeholder={t("campaigns.flash.slotPlaceholder")} data-testid="flash-slot-form-title" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="opensAt" label={t("campaigns.flash.opensAt")} rules={[required]}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="closesAt" label={t("campaigns.flash.closesAt")} rules={[required]}>
            <DatePicker showTime format={PICKER_FORMAT} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t("campaigns.shanghaiNote")}</Typography.Paragraph>
    </FormModal>
  );
}

function SlotDrawer({ slotId, onClose }: { slotId: string; onClose(): void }) {
  const { t } = useI18n();
  const act = useAction();
  const [slot, setSlot] = useState<SlotDetail | null>(null);
  const [editing, setEditing] = useState<Item | "new" | null>(null);
  const load = useCallback(() => void api.get<SlotDetail>(`/admin/flash/slots/${slotId}`).then(setSlot), [slotId]);
  useEffect(load, [load]);
  const upcoming = slot?.state === "upcoming";
  const remove = async (item: Item) => {
    if (await act(() => api.del(`/admin/flash/items/${item.id}`))) load();
  };
  return (
    <Drawer open size={1080} title={slot ? slot.title : t("campaigns.loading")} onClose={onClose} extra={upcoming && <Button type="primary" onClick={() => setEditing("new")} data-testid="flash-item-create">{t("campaigns.flash.addItem")}</Button>}>
      {slot && (
        <>
          <Descriptions
            size="small"
            column={3}
            items={[
              { key: "state", label: t("common.status"), children: <StateTag state={slot.state} scope="slot" /> },
              { key: "opens", label: t("campaigns.flash.opensAt"), children: shanghaiTime(slot.opensAt) },
              { key: "closes", label: t("campaigns.flash.closesAt"), children: shanghaiTime(slot.closesAt) },
            ]}
          />
          {!upcoming && <Alert type="info" showIcon style={{ margin: "12px 0" }} title={t("campaigns.flash.frozen")} />}
          <Table<Item>
            rowKey="id"
            size="middle"
            pagination={false}
            dataSource={slot.items}
            style={{ marginTop: 12 }}
            locale={{ emptyText: t("campaigns.flash.noItems") }}
            columns={[
              { title: t("campaigns.product"), dataIndex: "title", render: (title: string | null, i) => title ?? <ShortId id={i.skuId} /> },
              {
                title: t("campaigns.flash.priceColumn"),
                key: "price",
                render: (_, i) => (
                  <span>
                    <Typography.Text type="danger">{yuan(i.flashPrice)}</Typography.Text> <del style={{ color: "#999", fontSize: 12 }}>{yuan(i.listPrice)}</del>
                  </span>
                ),
              },
              {
                title: t("campaigns.flash.sales"),
                key: "sales",
                render: (_, i) => {
                  const taken = i.units.queued + i.units.ordered + i.units.paid;
                  return (
                    <div style={{ minWidth: 180 }}>
                      <Progress size="small" percent={Math.round((taken / i.stock) * 100)} success={{ percent: Math.round((i.units.paid / i.stock) * 100) }} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t("campaigns.flash.remaining", { left: i.remaining ?? "—", stock: i.stock })}
                      </Typography.Text>
                    </div>
                  );
                },
              },
              {
                title: t("campaigns.flash.units"),
                key: "units",
                render: (_, i) => (
                  <Space size={4} wrap>
                    {(Object.keys(i.units) as (keyof Units)[]).map((k) => (
                      <Tag key={k}>{`${stateLabel(t, k, "attempt")} ${i.units[k]}`}</Tag>
                    ))}
                  </Space>
                ),
              },
              { title: t("campaigns.perUserLimit"), dataIndex: "perUserLimit" },
              { title: t("campaigns.paymentMinutes"), dataIndex: "paymentMinutes", render: (m: number) => t("campaigns.minutes", { n: m }) },
              {
                title: t("common.actions"),
                key: "actions",
                render: (_, i) =>
                  upcoming ? (
                    <Space>
                      <Button size="small" onClick={() => setEditing(i)}>
                        {t("common.edit")}
                      </Button>
                      <Popconfirm title={t("campaigns.flash.removeConfirm")} onConfirm={() => remove(i)} okText={t("campaigns.remove")} cancelText={t("common.cancel")}>
                        <Button size="small" danger>
                          {t("campaigns.remove")}
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
      )}
      {editing && <ItemModal slotId={slotId} item={editing === "new" ? null : editing} onClose={() => setEditing(null)} onSaved={load} />}
    </Drawer>
  );
}

function ItemModal({ slotId, item, onClose, onSaved }: { slotId: string; item: Item | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<ItemForm>();
  const [listPrice, setListPrice] = useState<number | null>(item?.listPrice ?? null);
  const submit = async (v: ItemForm) => {
    const terms = { flashPrice: toFen(v.flashPrice), stock: v.stock, perUserLimit: v.perUserLimit, paymentMinutes: v.paymentMinutes };
    if (item) await api.patch(`/admin/flash/items/${item.id}`, terms);
    else await api.post(`/admin/flash/slots/${slotId}/items`, { skuId: v.skuId, ...terms }, { idempotencyKey: idempotencyKey() });
    onSaved();
  };
  const required = { required: true, message: t("campaigns.required") };
  return (
    <FormModal<ItemForm>
      open
      title={t(item ? "campaigns.flash.editItem" : "campaigns.flash.addItem")}
      form={form}
      onClose={onClose}
      onSubmit={submit}
      testId="flash-item-form"
      width={560}
      initialValues={item ? { flashPrice: toYuan(item.flashPrice), stock: item.stock, perUserLimit: item.perUserLimit, paymentMinutes: item.paymentMinutes } : { perUserLimit: 1, paymentMinutes: 5 }}
    >
      {!item && (
        <Form.Item name="skuId" label={t("campaigns.sku")} rules={[required]}>
          <SkuSelect data-testid="flash-item-form-sku" onPick={(s) => setListPrice(s.price)} />
        </Form.Item>
      )}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="flashPrice" label={t("campaigns.flash.flashPrice")} rules={[required, withinListPrice(listPrice ?? undefined, t("campaigns.aboveListPrice", { price: yuan(listPrice) }))]} extra={listPrice !== null ? t("campaigns.listPrice", { price: yuan(listPrice) }) : undefined}>
            <YuanInput data-testid="flash-item-form-price" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="stock" label={t("campaigns.stock")} rules={[required]}>
            <InputNumber<number> min={1} max={1_000_000} precision={0} style={{ width: "100%" }} data-testid="flash-item-form-stock" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="perUserLimit" label={t("campaigns.perUserLimit")} rules={[required]}>
            <InputNumber<number> min={1} max={100} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="paymentMinutes" label={t("campaigns.paymentMinutes")} rules={[required]}>
            <InputNumber<number> min={1} max={60} precision={0} suffix={t("campaigns.unit.minutes")} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}

function ReconciliationView() {
  const { t } = useI18n();
  const act = useAction();
  const [result, setResult] = useState<Reconciliation | null>(null);
  const [loading, setLoading] = useState(false);
  const check = useCallback(async () => {
    setLoading(true);
    try {
      setResult(await api.get<Reconciliation>("/admin/flash/reconciliation"));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void check(), [check]);
  const repair = async () => {
    setLoading(true);
    await act(async () => setResult(await api.post<Reconciliation>("/admin/flash/reconciliation", {}, { idempotencyKey: idempotencyKey() })), t("campaigns.flash.repaired"));
    setLoading(false);
  };
  const list = (ids: string[]) => (ids.length ? <Tag color="orange">{ids.length}</Tag> : "0");
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button onClick={() => void check()} loading={loading} data-testid="flash-reconcile-check">
          {t("campaigns.flash.check")}
        </Button>
        <Popconfirm title={t("campaigns.flash.repairConfirm")} onConfirm={repair} okText={t("campaigns.flash.repair")} cancelText={t("common.cancel")}>
          <Button type="primary" loading={loading}>
            {t("campaigns.flash.repair")}
          </Button>
        </Popconfirm>
        {result && <Typography.Text type="secondary">{t("campaigns.flash.checkedAt", { at: shanghaiTime(result.checkedAt) })}</Typography.Text>}
      </Space>
      {result && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={result.consistent ? "success" : "warning"}
          title={t(result.consistent ? "campaigns.flash.consistent" : "campaigns.flash.inconsistent", { n: result.items.length })}
          description={t("campaigns.flash.reconcileHint")}
        />
      )}
      <Table<ItemCheck>
        rowKey="itemId"
        size="middle"
        loading={loading}
        pagination={false}
        dataSource={result?.items ?? []}
        locale={{ emptyText: t("campaigns.flash.nothingToCheck") }}
        columns={[
          { title: t("campaigns.flash.item"), dataIndex: "itemId", render: (id: string) => <ShortId id={id} /> },
          { title: t("campaigns.stock"), dataIndex: "stock" },
          { title: t("campaigns.flash.heldInDb"), dataIndex: "heldInDb" },
          { title: t("campaigns.flash.heldInCounter"), dataIndex: "heldInCounter" },
          { title: t("campaigns.flash.left"), dataIndex: "remaining", render: (n: number | null) => n ?? "—" },
          { title: t("campaigns.flash.missing"), dataIndex: "missingInCounter", render: list },
          { title: t("campaigns.flash.extra"), dataIndex: "extraInCounter", render: list },
          { title: t("campaigns.flash.inFlight"), dataIndex: "inFlight", render: list },
          { title: t("campaigns.flash.requeued"), dataIndex: "requeued", render: list },
          {
            title: t("campaigns.flash.result"),
            key: "result",
            render: (_, i) => (
              <Space size={4} wrap>
                <Tag color={i.consistent ? "green" : "red"}>{t(i.consistent ? "campaigns.flash.ok" : "campaigns.flash.mismatch")}</Tag>
                {i.restored && <Tag color="blue">{t("campaigns.flash.restored")}</Tag>}
                {i.termsDiffer && <Tag color="orange">{t("campaigns.flash.termsDiffer")}</Tag>}
                {i.countsDiffer && <Tag color="orange">{t("campaigns.flash.countsDiffer")}</Tag>}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
