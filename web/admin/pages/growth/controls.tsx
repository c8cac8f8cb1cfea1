import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, DatePicker, Select } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useI18n } from "../../../shared/i18n";
import { downloadCsv } from "./csv";
import { CHANNELS, named, PATHS } from "./labels";
import { lastDays } from "./clock";
import { type Query, useReport } from "./useReport";

export type DayRange = [string, string];

/** A range of Asia/Shanghai days, with the usual presets counted back from the server's today. */
export function DateRangeFilter({ value, today, onChange }: { value: DayRange; today: string; onChange(v: DayRange): void }) {
  const { t } = useI18n();
  const preset = (days: number) => {
    const [from, to] = lastDays(today, days);
    return { label: t("growth.range.lastDays", { n: days }), value: [dayjs(from), dayjs(to)] as [dayjs.Dayjs, dayjs.Dayjs] };
  };
  return (
    <DatePicker.RangePicker
      data-testid="date-range"
      allowClear={false}
      value={[dayjs(value[0]), dayjs(value[1])]}
      maxDate={dayjs(today)}
      presets={[preset(7), preset(30), preset(90)]}
      onChange={(v) => v?.[0] && v[1] && onChange([v[0].format("YYYY-MM-DD"), v[1].format("YYYY-MM-DD")])}
    />
  );
}

/** Downloads the report's CSV (`?format=csv` of the same query). */
export function CsvButton({ path, query, name }: { path: string; query: Query; name: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await downloadCsv(path, { ...query, format: "csv" }, `${[name, query.from, query.to].filter(Boolean).join("-")}.csv`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void save()} data-testid={`csv-${name}`}>
      {t("common.exportCsv")}
    </Button>
  );
}

export interface Segment {
  channel?: string;
  campaignId?: string;
  path?: string;
}

/** Narrows a report to one share channel, campaign or fission path. */
export function SegmentFilters({ value, range, onChange }: { value: Segment; range: DayRange; onChange(v: Segment): void }) {
  const { t } = useI18n();
  const campaigns = useReport<{ rows: { campaignId: string; name: string | null; campaignType: string }[] }>("/admin/analytics/campaigns", { from: range[0], to: range[1] });
  return (
    <>
      <Select
        allowClear
        data-testid="filter-channel"
        style={{ width: 140 }}
        placeholder={t("growth.filter.channel")}
        value={value.channel}
        onChange={(channel?: string) => onChange({ ...value, channel })}
        options={CHANNELS.map((c) => ({ value: c, label: named(t, "channel", c) }))}
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: "label" }}
        data-testid="filter-campaign"
        style={{ width: 200 }}
        placeholder={t("growth.filter.campaign")}
        value={value.campaignId}
        loading={campaigns.loading}
        onChange={(campaignId?: string) => onChange({ ...value, campaignId })}
        options={(campaigns.data?.rows ?? []).map((c) => ({ value: c.campaignId, label: `${named(t, "campaignType", c.campaignType)} · ${c.name ?? c.campaignId}` }))}
      />
      <Select
        allowClear
        data-testid="filter-path"
        style={{ width: 140 }}
        placeholder={t("growth.filter.path")}
        value={value.path}
        onChange={(path?: string) => onChange({ ...value, path })}
        options={PATHS.map((p) => ({ value: p, label: named(t, "path", p) }))}
      />
    </>
  );
}
