import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Flex, InputNumber, Progress, Row, Select, Space, Spin, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { percent } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { EChart } from "../../components/charts/EChart";
import { lastDays, useServerToday } from "./clock";
import { CsvButton, type DayRange, DateRangeFilter, type Segment, SegmentFilters } from "./controls";
import { funnelOption } from "./funnelChart";
import { EVENT_TYPES, named } from "./labels";
import type { Funnel, FunnelStep } from "./types";
import { useReport } from "./useReport";

/** Ready-made funnels; the operator can start from one and change any step. */
const TEMPLATES: Record<string, string[]> = {
  purchase: ["product_view", "add_to_cart", "order", "payment"],
  fission: ["share_created", "click", "registration", "order"],
  acquisition: ["page_view", "registration", "add_to_cart", "payment"],
};
const MAX_STEPS = 8;

/** The funnel builder (漏斗分析): any ordered list of events, a window to complete them in, a segment. */
export default function Funnels() {
  const today = useServerToday();
  if (!today) return <Spin style={{ margin: 80 }} />;
  return <FunnelBuilder today={today} />;
}

function FunnelBuilder({ today }: { today: string }) {
  const { t } = useI18n();
  const [steps, setSteps] = useState<string[]>(TEMPLATES.purchase);
  const [windowHours, setWindowHours] = useState(24);
  const [range, setRange] = useState<DayRange>(() => lastDays(today, 30));
  const [segment, setSegment] = useState<Segment>({});
  const query = { steps: steps.join(","), windowHours, from: range[0], to: range[1], ...segment };
  const report = useReport<Funnel>(steps.length >= 2 ? "/admin/analytics/funnel" : null, query);
  const rows = report.data?.steps ?? [];
  const label = (s: string) => named(t, "event", s);
  const option = useMemo(() => funnelOption(rows, (s) => named(t, "event", s), t), [rows, t]);
  const template = Object.keys(TEMPLATES).find((k) => TEMPLATES[k].join() === steps.join());

  const move = (i: number, by: number) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setSteps(next);
  };

  return (
    <Flex vertical gap={16} data-testid="growth-funnels">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t("nav.funnels")}
      </Typography.Title>
      <Card size="small" title={t("growth.funnel.builder")}>
        <Row gutter={[24, 16]}>
          <Col xs={24} lg={12}>
            <Flex vertical gap={8}>
              <Space wrap>
                <Typography.Text type="secondary">{t("growth.funnel.template")}</Typography.Text>
                <Select
                  data-testid="funnel-template"
                  style={{ width: 180 }}
                  value={template}
                  placeholder={t("growth.funnel.custom")}
                  onChange={(k: string) => setSteps(TEMPLATES[k])}
                  options={Object.keys(TEMPLATES).map((k) => ({ value: k, label: t(`growth.funnel.template.${k}`) }))}
                />
              </Space>
              {steps.map((s, i) => (
                <Space key={i} data-testid={`funnel-step-${i}`}>
                  <Tag color="red" style={{ width: 28, textAlign: "center", marginInlineEnd: 0 }}>
                    {i + 1}
                  </Tag>
                  <Select style={{ width: 200 }} value={s} onChange={(v: string) => setSteps(steps.map((x, j) => (j === i ? v : x)))} options={EVENT_TYPES.map((e) => ({ value: e, label: label(e) }))} />
                  <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t("growth.funnel.up")} />
                  <Button size="small" icon={<ArrowDownOutlined />} disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={t("growth.funnel.down")} />
                  <Button size="small" icon={<DeleteOutlined />} disabled={steps.length <= 2} onClick={() => setSteps(steps.filter((_, j) => j !== i))} aria-label={t("growth.funnel.remove")} />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                style={{ width: 316 }}
                disabled={steps.length >= MAX_STEPS}
                onClick={() => setSteps([...steps, EVENT_TYPES.find((e) => !steps.includes(e)) ?? "payment"])}
                data-testid="funnel-add-step"
              >
                {t("growth.funnel.addStep")}
              </Button>
            </Flex>
          </Col>
          <Col xs={24} lg={12}>
            <Flex vertical gap={12}>
              <Space wrap>
                <Typography.Text type="secondary">{t("growth.funnel.window")}</Typography.Text>
                <InputNumber data-testid="funnel-window" min={1} max={720} value={windowHours} onChange={(v) => v && setWindowHours(v)} suffix={t("growth.funnel.hours")} style={{ width: 130 }} />
              </Space>
              <Space wrap>
                <Typography.Text type="secondary">{t("growth.range.label")}</Typography.Text>
                <DateRangeFilter value={range} today={today} onChange={setRange} />
              </Space>
              <Space wrap>
                <Typography.Text type="secondary">{t("growth.filter.segment")}</Typography.Text>
                <SegmentFilters value={segment} range={range} onChange={setSegment} />
              </Space>
            </Flex>
          </Col>
        </Row>
      </Card>

      {report.error && <Alert type="error" showIcon title={report.error} />}
      <Card
        size="small"
        title={
          rows.length > 1 ? t("growth.funnel.overall", { rate: percent(rows[rows.length - 1].fromFirst), first: label(rows[0].step), last: label(rows[rows.length - 1].step) }) : t("growth.funnel.result")
        }
        extra={<CsvButton path="/admin/analytics/funnel" query={query} name="funnel" />}
      >
        <Row gutter={[24, 16]}>
          <Col xs={24} xl={11}>
            <EChart testId="chart-funnel" option={option} height={340} loading={report.loading} empty={!rows[0]?.users} emptyText={t("growth.empty.funnel")} />
          </Col>
          <Col xs={24} xl={13}>
            <Table<FunnelStep & { index: number }>
              data-testid="funnel-table"
              size="middle"
              rowKey="index"
              pagination={false}
              loading={report.loading}
              dataSource={rows.map((r, index) => ({ ...r, index }))}
              columns={[
                { title: "#", dataIndex: "index", width: 40, render: (i: number) => i + 1 },
                { title: t("growth.funnel.step"), dataIndex: "step", render: (s: string) => label(s) },
                { title: t("growth.funnel.users"), dataIndex: "users", align: "right", render: (n: number) => n.toLocaleString() },
                { title: t("growth.funnel.fromPrevious"), dataIndex: "fromPrevious", align: "right", render: (r: number, row) => (row.index === 0 ? "—" : percent(r)) },
                { title: t("growth.funnel.fromFirst"), dataIndex: "fromFirst", width: 180, render: (r: number) => <Progress percent={r * 100} format={() => percent(r)} size="small" strokeColor="#e02e24" /> },
              ]}
            />
          </Col>
        </Row>
      </Card>
    </Flex>
  );
}
