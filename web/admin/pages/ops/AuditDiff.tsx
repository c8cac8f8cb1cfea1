import { Switch, Table, Typography } from "antd";
import { useState } from "react";
import { useI18n } from "../../../shared/i18n";

type Flat = Map<string, unknown>;

/** {a: {b: 1}, c: [x]} → a.b = 1, c.0 = x; leaves are primitives, empty objects and empty arrays. */
function flatten(value: unknown, prefix = "", out: Flat = new Map()): Flat {
  if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix || value !== null) {
    out.set(prefix || "·", value);
  }
  return out;
}

const show = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * Before and after of one audited change, field by field; changed fields are marked, and by default
 * only they are shown. A creation has only an after, a deletion only a before.
 */
export default function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useI18n();
  const [changedOnly, setChangedOnly] = useState(before !== null && after !== null);
  const b = flatten(before);
  const a = flatten(after);
  const rows = [...new Set([...b.keys(), ...a.keys()])].map((field) => ({ field, before: b.get(field), after: a.get(field), changed: show(b.get(field)) !== show(a.get(field)) }));
  const shown = changedOnly ? rows.filter((r) => r.changed) : rows;
  return (
    <div data-testid="audit-diff">
      <div style={{ marginBottom: 8 }}>
        <Switch size="small" checked={changedOnly} onChange={setChangedOnly} /> <Typography.Text type="secondary">{t("ops.audit.changedOnly", { n: rows.filter((r) => r.changed).length, total: rows.length })}</Typography.Text>
      </div>
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        dataSource={shown}
        columns={[
          { title: t("ops.audit.field"), dataIndex: "field", width: 220, render: (f: string) => <code>{f}</code> },
          {
            title: t("ops.audit.before"),
            render: (_, r) => <span style={{ background: r.changed && r.before !== undefined ? "#fff1f0" : undefined, wordBreak: "break-all" }}>{show(r.before)}</span>,
          },
          {
            title: t("ops.audit.after"),
            render: (_, r) => <span style={{ background: r.changed && r.after !== undefined ? "#f6ffed" : undefined, wordBreak: "break-all" }}>{show(r.after)}</span>,
          },
        ]}
      />
    </div>
  );
}
