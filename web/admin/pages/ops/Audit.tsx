import { AutoComplete, Button, Card, DatePicker, Form, Input, Space, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { type ReactNode, useState } from "react";
import { shanghaiTime } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { ServerTable } from "../../components/ServerTable";
import AuditDiff from "./AuditDiff";
import { MONO, usePhraseOr } from "./labels";
import type { AuditEntry } from "./types";

/** What the log records changes of; the box also takes any other entity name. */
const ENTITIES = ["product", "sku", "category", "attribute", "warehouse", "order", "shipment", "aftersale_request", "review", "risk_review", "risk_setting", "merchant", "user", "coupon_template", "promotion", "reward_rule", "withdrawal"];

interface Filters {
  entity?: string;
  entityId?: string;
  action?: string;
  actorId?: string;
  requestId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** A calendar day in the console's zone (Asia/Shanghai), as the instant it starts. */
const shanghaiMidnight = (d: Dayjs) => new Date(`${d.format("YYYY-MM-DD")}T00:00:00+08:00`).toISOString();

/** Who did what, when, from which request, with the before and after of each change. */
export default function Audit() {
  const { t } = useI18n();
  const [form] = Form.useForm<Filters>();
  const [query, setQuery] = useState<Record<string, string | undefined>>({});
  const phraseOr = usePhraseOr();

  const apply = (f: Filters) => {
    const [from, to] = f.range ?? [null, null];
    const clean = (s?: string) => s?.trim() || undefined;
    setQuery({
      entity: clean(f.entity),
      entityId: clean(f.entityId),
      action: clean(f.action),
      actorId: clean(f.actorId),
      requestId: clean(f.requestId),
      since: from ? shanghaiMidnight(from) : undefined,
      until: to ? shanghaiMidnight(to.add(1, "day")) : undefined,
    });
  };

  /** Clicking a value in a row narrows the log to it: one actor's actions, one object's history, one request's changes. */
  const narrow = (field: "actorId" | "entityId" | "requestId", value: string) => {
    form.setFieldValue(field, value);
    apply(form.getFieldsValue());
  };
  const narrowing = (field: "actorId" | "entityId" | "requestId", value: string | null, label: ReactNode) =>
    value ? (
      <Typography.Link onClick={() => narrow(field, value)} title={t("ops.audit.narrow")} style={field === "actorId" ? undefined : MONO}>
        {label}
      </Typography.Link>
    ) : (
      "—"
    );

  return (
    <Card title={t("nav.audit")}>
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="entity">
          <AutoComplete
            allowClear
            style={{ width: 170 }}
            placeholder={t("ops.audit.entity")}
            options={ENTITIES.map((e) => ({ value: e, label: `${t(`ops.audit.entity.${e}`)} (${e})` }))}
            showSearch={{ filterOption: (input, option) => String(option?.label ?? "").toLowerCase().includes(input.toLowerCase()) }}
            data-testid="audit-entity"
          />
        </Form.Item>
        <Form.Item name="entityId">
          <Input allowClear placeholder={t("ops.audit.entityId")} style={{ width: 200 }} data-testid="audit-entity-id" />
        </Form.Item>
        <Form.Item name="action">
          <Input allowClear placeholder={t("ops.audit.actionHint")} style={{ width: 170 }} data-testid="audit-action" />
        </Form.Item>
        <Form.Item name="actorId">
          <Input allowClear placeholder={t("ops.audit.actorId")} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="requestId">
          <Input allowClear placeholder={t("ops.audit.requestId")} style={{ width: 200 }} data-testid="audit-request-id" />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="audit-search">
            {t("common.search")}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setQuery({});
            }}
          >
            {t("ops.common.reset")}
          </Button>
        </Space>
      </Form>
      <ServerTable<AuditEntry>
        path="/admin/audit-log"
        query={query}
        testId="audit-table"
        expandable={{ expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} />, rowExpandable: (e) => e.before !== null || e.after !== null }}
        columns={[
          { title: t("ops.audit.at"), dataIndex: "at", width: 160, render: (at: string) => shanghaiTime(at) },
          {
            title: t("ops.audit.actor"),
            width: 180,
            render: (_, e) => (
              <>
                <Tag color={e.actorKind === "operator" ? "blue" : e.actorKind === "merchant" ? "orange" : "default"}>{phraseOr(`ops.actor.${e.actorKind}`, e.actorKind)}</Tag>
                {narrowing("actorId", e.actorId, e.actorName ?? e.actorId)}
              </>
            ),
          },
          { title: t("ops.audit.action"), dataIndex: "action", width: 180, render: (a: string) => <code>{a}</code> },
          {
            title: t("ops.audit.target"),
            render: (_, e) => (
              <>
                {phraseOr(`ops.audit.entity.${e.entity}`, e.entity)}
                <div>{narrowing("entityId", e.entityId, e.entityId)}</div>
              </>
            ),
          },
          { title: t("ops.audit.requestId"), dataIndex: "requestId", width: 250, render: (id: string | null) => narrowing("requestId", id, id) },
        ]}
      />
    </Card>
  );
}
