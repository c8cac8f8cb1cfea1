import { useState } from "react";
import { Alert, Card, Flex, Space, Spin, Table, type TableColumnsType, Tag, Typography } from "antd";
import { yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { lastDays, useServerToday } from "./clock";
import { CsvButton, type DayRange, DateRangeFilter } from "./controls";
import { named } from "./labels";
import type { CampaignRow, ChannelRow } from "./types";
import { useReport } from "./useReport";

/** What each campaign and each share channel brought in and cost (活动与渠道效果). */
export default function CampaignReport() {
  const today = useServerToday();
  if (!today) return <Spin style={{ margin: 80 }} />;
  return <CampaignTables today={today} />;
}

const byNumber = <R,>(key: keyof R) => (a: R, b: R) => Number(a[key] ?? -Infinity) - Number(b[key] ?? -Infinity);
const count = (n: number) => n.toLocaleString();

function CampaignTables({ today }: { today: string }) {
  const { t } = useI18n();
  const [range, setRange] = useState<DayRange>(() => lastDays(today, 30));
  const query = { from: range[0], to: range[1] };
  const campaigns = useReport<{ rows: CampaignRow[] }>("/admin/analytics/campaigns", query);
  const channels = useReport<{ rows: ChannelRow[] }>("/admin/analytics/channels", query);
  const roi = (r: number | null) => (r === null || !Number.isFinite(r) ? "—" : <span style={{ color: r >= 1 ? "#389e0d" : "#cf1322" }}>{r.toFixed(2)}</span>);

  const campaignColumns: TableColumnsType<CampaignRow> = [
    {
      title: t("growth.report.campaign"),
      dataIndex: "name",
      fixed: "left",
      render: (name: string | null, r) => (
        <Space size={6}>
          <Tag color="volcano">{named(t, "campaignType", r.campaignType)}</Tag>
          <span>{name ?? r.campaignId}</span>
        </Space>
      ),
    },
    { title: t("growth.kpi.gmv"), dataIndex: "gmv", align: "right", sorter: byNumber("gmv"), defaultSortOrder: "descend", render: yuan },
    { title: t("growth.kpi.orders"), dataIndex: "orders", align: "right", sorter: byNumber("orders"), render: count },
    { title: t("growth.kpi.newUsers"), dataIndex: "newUsers", align: "right", sorter: byNumber("newUsers"), render: count },
    { title: t("growth.report.rewardCost"), dataIndex: "rewardCost", align: "right", sorter: byNumber("rewardCost"), render: yuan },
    { title: t("growth.report.commissionCost"), dataIndex: "commissionCost", align: "right", sorter: byNumber("commissionCost"), render: yuan },
    { title: t("growth.report.roi"), dataIndex: "roi", align: "right", sorter: byNumber("roi"), render: roi },
  ];
  const channelColumns: TableColumnsType<ChannelRow> = [
    { title: t("growth.report.channel"), dataIndex: "channel", fixed: "left", render: (c: string | null) => named(t, "channel", c) },
    { title: t("growth.report.shares"), dataIndex: "shares", align: "right", sorter: byNumber("shares"), render: count },
    { title: t("growth.report.visits"), dataIndex: "visits", align: "right", sorter: byNumber("visits"), render: count },
    { title: t("growth.report.registrations"), dataIndex: "registrations", align: "right", sorter: byNumber("registrations"), render: count },
    { title: t("growth.kpi.orders"), dataIndex: "orders", align: "right", sorter: byNumber("orders"), render: count },
    { title: t("growth.kpi.gmv"), dataIndex: "gmv", align: "right", sorter: byNumber("gmv"), defaultSortOrder: "descend", render: yuan },
    { title: t("growth.report.rewardCost"), dataIndex: "rewardCost", align: "right", sorter: byNumber("rewardCost"), render: yuan },
    { title: t("growth.report.commissionCost"), dataIndex: "commissionCost", align: "right", sorter: byNumber("commissionCost"), render: yuan },
    { title: t("growth.report.roi"), dataIndex: "roi", align: "right", sorter: byNumber("roi"), render: roi },
  ];

  return (
    <Flex vertical gap={16} data-testid="growth-campaigns">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("nav.campaignReport")}
        </Typography.Title>
        <DateRangeFilter value={range} today={today} onChange={setRange} />
      </Flex>
      {(campaigns.error || channels.error) && <Alert type="error" showIcon title={campaigns.error ?? channels.error} />}
      <Card size="small" title={t("growth.report.byCampaign")} extra={<CsvButton path="/admin/analytics/campaigns" query={query} name="campaigns" />}>
        <Table<CampaignRow>
          data-testid="campaign-table"
          size="middle"
          rowKey="campaignId"
          loading={campaigns.loading}
          dataSource={campaigns.data?.rows}
          columns={campaignColumns}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("growth.empty.campaigns") }}
        />
      </Card>
      <Card size="small" title={t("growth.report.byChannel")} extra={<CsvButton path="/admin/analytics/channels" query={query} name="channels" />}>
        <Table<ChannelRow>
          data-testid="channel-table"
          size="middle"
          rowKey={(r) => r.channel ?? "none"}
          loading={channels.loading}
          dataSource={channels.data?.rows}
          columns={channelColumns}
          pagination={false}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("growth.empty.channels") }}
        />
      </Card>
    </Flex>
  );
}
