import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, type ButtonProps, Card, DatePicker, Flex, Form, Input, InputNumber, Modal, Progress, Select, Space, Spin, Table, Tag, Tooltip, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { ApiError } from "../../../shared/api";
import { shanghaiTime } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { showApiErrors } from "../../components/forms";
import { lastDays, useServerToday } from "./clock";
import { downloadCsv } from "./csv";
import { EVENT_TYPES, named } from "./labels";
import type { ExportJob } from "./types";
import { useReport } from "./useReport";

/** Reports an export job can produce; each takes the report route's own parameters. */
const REPORTS = ["overview", "funnel", "cohorts", "kfactor", "campaigns", "channels", "leaderboard", "invite-tree", "events"] as const;
type ReportName = (typeof REPORTS)[number];
const RUNNING_POLL_MS = 2_000;
const STATUS_COLOUR: Record<ExportJob["status"], string> = { queued: "default", running: "processing", done: "success", failed: "error" };

interface ExportForm {
  report: ReportName;
  range: [Dayjs, Dayjs];
  steps?: string[];
  windowHours?: number;
  weeks?: number;
  by?: "sharer" | "promoter";
  metric?: "gmv" | "registrations" | "orders";
  rootUserId?: string;
  depth?: number;
}

/** Export jobs (导出任务): long reports built in the background, with their progress and a download when done. */
export default function Exports() {
  const today = useServerToday();
  if (!today) return <Spin style={{ margin: 80 }} />;
  return <ExportJobs today={today} />;
}

function ExportJobs({ today }: { today: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [running, setRunning] = useState(false);
  const jobs = useReport<{ items: ExportJob[] }>("/admin/exports", {}, { pollMs: running ? RUNNING_POLL_MS : undefined });
  const items = jobs.data?.items ?? [];
  const anyRunning = items.some((j) => j.status === "queued" || j.status === "running");
  if (anyRunning !== running) setRunning(anyRunning);

  const download = async (job: ExportJob) => {
    try {
      await downloadCsv(`/admin/exports/${job.id}/download`, {}, `${job.report}-${job.id}.csv`);
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <Flex vertical gap={16} data-testid="growth-exports">
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("nav.exports")}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="export-new">
          {t("growth.export.new")}
        </Button>
      </Flex>
      {jobs.error && <Alert type="error" showIcon title={jobs.error} />}
      <Card size="small">
        <Table<ExportJob>
          data-testid="export-table"
          rowKey="id"
          size="middle"
          loading={jobs.loading && !jobs.data}
          dataSource={items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t("growth.empty.exports") }}
          columns={[
            { title: t("growth.export.report"), dataIndex: "report", render: (r: string) => named(t, "reportName", r) },
            { title: t("growth.export.range"), key: "range", render: (_, j) => (j.params?.from ? `${String(j.params.from)} ~ ${String(j.params.to ?? "")}` : "—") },
            { title: t("common.status"), dataIndex: "status", render: (s: ExportJob["status"]) => <Tag color={STATUS_COLOUR[s]}>{t(`growth.export.status.${s}`)}</Tag> },
            {
              title: t("growth.export.progress"),
              dataIndex: "progress",
              width: 220,
              render: (p: number, j) => <Progress percent={Math.round(p * 100)} size="small" status={j.status === "failed" ? "exception" : j.status === "done" ? "success" : "active"} />,
            },
            { title: t("growth.export.rows"), dataIndex: "rows", align: "right", render: (n: number | null) => (n === null ? "—" : n.toLocaleString()) },
            { title: t("common.createdAt"), dataIndex: "createdAt", render: (d?: string) => shanghaiTime(d) },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_, j) =>
                j.status === "done" ? (
                  <Button size="small" icon={<DownloadOutlined />} onClick={() => void download(j)} data-testid={`export-download-${j.id}`}>
                    {t("growth.export.download")}
                  </Button>
                ) : j.status === "failed" ? (
                  <Tooltip title={j.error}>
                    <Typography.Text type="danger">{t("growth.export.failed")}</Typography.Text>
                  </Tooltip>
                ) : null,
            },
          ]}
        />
      </Card>
      <NewExport
        open={creating}
        today={today}
        onClose={() => setCreating(false)}
        onStarted={() => {
          setCreating(false);
          jobs.reload();
        }}
      />
    </Flex>
  );
}

function NewExport({ open, today, onClose, onStarted }: { open: boolean; today: string; onClose(): void; onStarted(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ExportForm>();
  const [busy, setBusy] = useState(false);
  const report = Form.useWatch("report", form);
  const [from, to] = lastDays(today, 30);

  const submit = async (v: ExportForm) => {
    const params: Record<string, unknown> = { from: v.range[0].format("YYYY-MM-DD"), to: v.range[1].format("YYYY-MM-DD") };
    if (v.report === "funnel") Object.assign(params, { steps: v.steps?.join(","), windowHours: v.windowHours });
    if (v.report === "cohorts") params.weeks = v.weeks;
    if (v.report === "leaderboard") Object.assign(params, { by: v.by, metric: v.metric });
    if (v.report === "invite-tree") Object.assign(params, { rootUserId: v.rootUserId?.trim() || undefined, depth: v.depth });
    setBusy(true);
    try {
      await api.post("/admin/exports", { report: v.report, params });
      void message.success(t("growth.export.started"));
      form.resetFields();
      onStarted();
    } catch (e) {
      const rest = showApiErrors(form, e);
      if (rest) void message.error(rest);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t("growth.export.new")} onCancel={onClose} onOk={() => form.submit()} okText={t("growth.export.start")} confirmLoading={busy} destroyOnHidden okButtonProps={{ "data-testid": "export-start" } as ButtonProps}>
      <Form<ExportForm>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ report: "overview", range: [dayjs(from), dayjs(to)], steps: ["product_view", "add_to_cart", "order", "payment"], windowHours: 24, weeks: 8, by: "sharer", metric: "gmv", depth: 4 }}
      >
        <Form.Item name="report" label={t("growth.export.report")} rules={[{ required: true }]}>
          <Select data-testid="export-report" options={REPORTS.map((r) => ({ value: r, label: named(t, "reportName", r) }))} />
        </Form.Item>
        <Form.Item name="range" label={t("growth.range.label")} rules={[{ required: true }]}>
          <DatePicker.RangePicker allowClear={false} maxDate={dayjs(today)} style={{ width: "100%" }} />
        </Form.Item>
        {report === "funnel" && (
          <Space align="start" style={{ width: "100%" }}>
            <Form.Item name="steps" label={t("growth.funnel.steps")} rules={[{ required: true, type: "array", min: 2 }]} style={{ width: 340 }}>
              <Select mode="multiple" options={EVENT_TYPES.map((e) => ({ value: e, label: named(t, "event", e) }))} />
            </Form.Item>
            <Form.Item name="windowHours" label={t("growth.funnel.window")}>
              <InputNumber min={1} max={720} suffix={t("growth.funnel.hours")} />
            </Form.Item>
          </Space>
        )}
        {report === "cohorts" && (
          <Form.Item name="weeks" label={t("growth.cohort.weeksLabel")}>
            <Select options={[4, 8, 12].map((n) => ({ value: n, label: t("growth.cohort.weeks", { n }) }))} />
          </Form.Item>
        )}
        {report === "leaderboard" && (
          <Space>
            <Form.Item name="by" label={t("growth.board.kind")}>
              <Select style={{ width: 160 }} options={(["sharer", "promoter"] as const).map((v) => ({ value: v, label: t(`growth.board.${v}`) }))} />
            </Form.Item>
            <Form.Item name="metric" label={t("growth.board.metric")}>
              <Select style={{ width: 160 }} options={(["gmv", "registrations", "orders"] as const).map((v) => ({ value: v, label: t(`growth.board.metric.${v}`) }))} />
            </Form.Item>
          </Space>
        )}
        {report === "invite-tree" && (
          <Space align="start">
            <Form.Item name="rootUserId" label={t("growth.export.rootUser")} style={{ width: 280 }}>
              <Input placeholder={t("growth.export.rootUserHint")} />
            </Form.Item>
            <Form.Item name="depth" label={t("growth.tree.depth")}>
              <InputNumber min={1} max={10} />
            </Form.Item>
          </Space>
        )}
      </Form>
    </Modal>
  );
}
