import { Alert, App, Button, Checkbox, Descriptions, Drawer, Form, Image, Input, Modal, Popconfirm, Select, Space, Spin, Table, Timeline } from "antd";
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { Link } from "react-router";
import { ApiError, idempotencyKey } from "../../../shared/api";
import { shanghaiTime, yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { clearApiErrorsOnChange, showApiErrors } from "../../components/forms";
import { IdText, StatusTag, usePhraseOr } from "./labels";
import { useAftersaleTransitions, useCarriers } from "./lookups";
import TextModal from "./TextModal";
import type { Aftersale } from "./types";

/** What staff may do to a request (the buyer's own moves — send back, cancel — are not theirs). */
const STAFF_EVENTS = ["approve", "reject", "receive_return", "refund", "reship"] as const;
type StaffEvent = (typeof STAFF_EVENTS)[number];

/**
 * One after-sales request with its history; the buttons offered are exactly the moves the API's
 * state machine (GET /aftersales/rules) allows for the request's type and state.
 */
export default function AftersaleDrawer({ id, onClose, onChanged }: { id: string | null; onClose(): void; onChanged(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const transitions = useAftersaleTransitions();
  const phraseOr = usePhraseOr();
  const [request, setRequest] = useState<Aftersale | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acting, setActing] = useState<StaffEvent | null>(null);
  const [busy, setBusy] = useState(false);
  const [restock, setRestock] = useState(true);

  const load = useCallback(async () => {
    if (!id) return;
    setError(null);
    try {
      setRequest(await api.get<Aftersale>(`/admin/aftersales/${id}`));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }, [id]);

  useEffect(() => {
    setRequest(null);
    void load();
  }, [load]);

  const allowed = request
    ? STAFF_EVENTS.filter((e) => transitions.some((tr) => tr.event === e && tr.types.includes(request.type) && tr.from.includes(request.status)))
    : [];

  const act = async (event: StaffEvent, body: Record<string, unknown> = {}) => {
    const path = { approve: "approve", reject: "reject", receive_return: "receive-return", refund: "refund", reship: "reship" }[event];
    setRequest(await api.post<Aftersale>(`/admin/aftersales/${request!.id}/${path}`, body, { idempotencyKey: idempotencyKey() }));
    message.success(t(`ops.aftersale.done.${event}`));
    onChanged();
  };

  const runNow = async (event: StaffEvent, body: Record<string, unknown> = {}) => {
    setBusy(true);
    try {
      await act(event, body);
      setActing(null);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const buttons: Record<StaffEvent, ReactNode> = {
    approve: (
      <Button type="primary" onClick={() => setActing("approve")} data-testid="aftersale-approve">
        {t("ops.aftersale.approve")}
      </Button>
    ),
    reject: (
      <Button danger onClick={() => setActing("reject")} data-testid="aftersale-reject">
        {t("ops.aftersale.reject")}
      </Button>
    ),
    receive_return: (
      <Button type="primary" onClick={() => setActing("receive_return")} data-testid="aftersale-receive">
        {t("ops.aftersale.receive")}
      </Button>
    ),
    refund: request && (
      <Popconfirm title={t("ops.aftersale.refundConfirm", { amount: yuan(request.refundAmount) })} onConfirm={() => runNow("refund")}>
        <Button type="primary" loading={busy} data-testid="aftersale-refund">
          {t("ops.aftersale.refund")}
        </Button>
      </Popconfirm>
    ),
    reship: (
      <Button type="primary" onClick={() => setActing("reship")} data-testid="aftersale-reship">
        {t(request?.type === "repair" ? "ops.aftersale.shipRepaired" : "ops.aftersale.reship")}
      </Button>
    ),
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={820}
      title={
        <Space>
          {t("ops.aftersale.detail")}
          {request && <StatusTag kind="aftersale" status={request.status} />}
        </Space>
      }
      extra={<Space>{allowed.map((e) => <span key={e}>{buttons[e]}</span>)}</Space>}
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!request && !error && <Spin style={{ display: "block", margin: 48 }} />}
      {request && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }} data-testid="aftersale-detail">
          {allowed.length === 0 && <Alert type="info" showIcon title={t(`ops.aftersale.waiting.${request.status}`)} />}
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t("ops.aftersale.number")}>
              <IdText id={request.id} />
            </Descriptions.Item>
            <Descriptions.Item label={t("ops.aftersale.order")}>
              <Link to={`/ops/orders?order=${request.orderId}`}>{request.orderId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t("ops.aftersale.type")}>{t(`ops.aftersale.type.${request.type}`)}</Descriptions.Item>
            <Descriptions.Item label={t("ops.aftersale.reasonLabel")}>{t(`ops.aftersale.reason.${request.reason.code}`)}</Descriptions.Item>
            <Descriptions.Item label={t("ops.aftersale.refundAmount")}>
              {yuan(request.refundAmount)}
              {request.refundAmount !== request.itemsShare && <span style={{ color: "#888" }}> {t("ops.aftersale.itemsShare", { amount: yuan(request.itemsShare) })}</span>}
            </Descriptions.Item>
            <Descriptions.Item label={t("common.createdAt")}>{shanghaiTime(request.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t("ops.aftersale.description")} span={2}>
              {request.description || "—"}
            </Descriptions.Item>
            {request.photos.length > 0 && (
              <Descriptions.Item label={t("ops.aftersale.photos")} span={2}>
                <Image.PreviewGroup>
                  <Space>
                    {request.photos.map((p) => (
                      <Image key={p} src={p} width={64} height={64} style={{ objectFit: "cover" }} />
                    ))}
                  </Space>
                </Image.PreviewGroup>
              </Descriptions.Item>
            )}
            {request.returnShipment && (
              <Descriptions.Item label={t("ops.aftersale.returnParcel")} span={2}>
                {request.returnShipment.carrier} <IdText id={request.returnShipment.trackingNo} />
              </Descriptions.Item>
            )}
            {request.reshipment && (
              <Descriptions.Item label={t("ops.aftersale.reshipParcel")} span={2}>
                {request.reshipment.carrier} <IdText id={request.reshipment.trackingNo} />
              </Descriptions.Item>
            )}
            {request.rejectReason && (
              <Descriptions.Item label={t("ops.aftersale.rejectReason")} span={2}>
                {request.rejectReason}
              </Descriptions.Item>
            )}
            {request.refundId && (
              <Descriptions.Item label={t("ops.order.refundNo")} span={2}>
                <IdText id={request.refundId} />
              </Descriptions.Item>
            )}
          </Descriptions>
          <Table
            size="small"
            rowKey="orderItemId"
            pagination={false}
            dataSource={request.items}
            columns={[
              { title: t("ops.order.item"), dataIndex: "title" },
              { title: t("ops.order.qty"), dataIndex: "qty", width: 80, align: "right" },
            ]}
          />
          <Timeline
            data-testid="aftersale-history"
            items={request.history.map((h) => ({
              title: shanghaiTime(h.at),
              content: (
                <>
                  <b>{t(`ops.aftersale.event.${h.event}`)}</b> → {t(`ops.aftersale.status.${h.to}`)}
                  <div style={{ color: "#888", fontSize: 12 }}>
                    {phraseOr(`ops.actor.${h.actorKind}`, h.actorKind)}
                    {h.note ? ` · ${h.note}` : ""}
                  </div>
                </>
              ),
            }))}
          />
        </Space>
      )}
      <TextModal
        open={acting === "approve"}
        title={t("ops.aftersale.approve")}
        label={t("ops.aftersale.note")}
        field="note"
        maxLength={500}
        testId="aftersale-approve"
        onClose={() => setActing(null)}
        onSubmit={(body) => act("approve", body)}
      />
      <TextModal
        open={acting === "reject"}
        title={t("ops.aftersale.reject")}
        label={t("ops.aftersale.rejectReason")}
        field="reason"
        required
        danger
        maxLength={500}
        testId="aftersale-reject"
        onClose={() => setActing(null)}
        onSubmit={(body) => act("reject", body)}
      />
      <Modal
        open={acting === "receive_return"}
        title={t("ops.aftersale.receive")}
        onCancel={() => setActing(null)}
        onOk={() => void runNow("receive_return", { restock })}
        confirmLoading={busy}
        destroyOnHidden
      >
        <p>{t("ops.aftersale.receiveHelp")}</p>
        <Checkbox checked={restock} onChange={(e) => setRestock(e.target.checked)} data-testid="aftersale-restock">
          {t("ops.aftersale.restock")}
        </Checkbox>
      </Modal>
      {request && <ParcelModal open={acting === "reship"} title={t(request.type === "repair" ? "ops.aftersale.shipRepaired" : "ops.aftersale.reship")} onClose={() => setActing(null)} onSubmit={(body) => act("reship", body)} />}
    </Drawer>
  );
}

/** Carrier and tracking number of the parcel that goes back to the buyer. */
function ParcelModal({ open, title, onClose, onSubmit }: { open: boolean; title: string; onClose(): void; onSubmit(body: { carrier: string; trackingNo: string }): Promise<unknown> }) {
  const { t } = useI18n();
  const carriers = useCarriers();
  const [form] = Form.useForm<{ carrier: string; trackingNo: string }>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    setFormError(null);
    try {
      await onSubmit({ carrier: v.carrier, trackingNo: v.trackingNo.trim() });
      onClose();
    } catch (err) {
      setFormError(showApiErrors(form, err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={title} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onValuesChange={clearApiErrorsOnChange(form)}>
        <Form.Item name="carrier" label={t("ops.ship.carrier")} rules={[{ required: true, message: t("ops.form.required") }]}>
          <Select options={carriers.map((c) => ({ value: c.code, label: c.name }))} />
        </Form.Item>
        <Form.Item name="trackingNo" label={t("ops.ship.trackingNo")} rules={[{ required: true, message: t("ops.form.required") }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
