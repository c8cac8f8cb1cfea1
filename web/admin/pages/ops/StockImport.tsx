import { ImportOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Input, Modal, Progress, Space, Table, Typography, Upload } from "antd";
import { useRef, useState } from "react";
import { ApiError } from "../../../shared/api";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import { MONO } from "./labels";

/** One line of a stock file: `skuId,onHand[,warehouseId][,ref]`. */
interface Line {
  line: number;
  skuId: string;
  onHand: number;
  warehouseId?: string;
  ref?: string;
}

interface Failure {
  line: number;
  message: string;
}

/** Reads the file's lines; a first line naming the columns is skipped, a malformed line is a failure before anything is sent. */
export function parseStockCsv(text: string): { lines: Line[]; failures: Failure[] } {
  const lines: Line[] = [];
  const failures: Failure[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const cells = raw.split(",").map((c) => c.trim());
    if (cells.every((c) => c === "") || (i === 0 && /sku/i.test(cells[0]) && !/^sku_/i.test(cells[0]))) return;
    const [skuId, onHand, warehouseId, ref] = cells;
    if (!/^sku_[0-9A-HJKMNP-TV-Z]{26}$/.test(skuId ?? "") || !/^\d+$/.test(onHand ?? "")) {
      failures.push({ line: i + 1, message: raw });
      return;
    }
    lines.push({ line: i + 1, skuId, onHand: Number(onHand), warehouseId: warehouseId || undefined, ref: ref || undefined });
  });
  return { lines, failures };
}

/**
 * Sets many SKUs' on-hand counts from a CSV (a stock-take or a delivery note), one request per line
 * so that each line succeeds or fails on its own; progress shows as it goes and can be stopped.
 */
export default function StockImport({ onImported }: { onImported(): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [done, setDone] = useState(0);
  const [succeeded, setSucceeded] = useState(0);
  const [total, setTotal] = useState(0);
  const [running, setRunning] = useState(false);
  const [failures, setFailures] = useState<Failure[]>([]);
  const stop = useRef(false);
  const parsed = parseStockCsv(text);

  const run = async () => {
    const { lines, failures: bad } = parseStockCsv(text);
    stop.current = false;
    setRunning(true);
    setFailures(bad.map((f) => ({ line: f.line, message: t("ops.import.malformed", { text: f.message }) })));
    setTotal(lines.length);
    setDone(0);
    setSucceeded(0);
    for (const [i, l] of lines.entries()) {
      if (stop.current) break;
      try {
        await api.put("/admin/stock", { skuId: l.skuId, onHand: l.onHand, reason: t("ops.import.reason"), ...(l.warehouseId ? { warehouseId: l.warehouseId } : {}), ...(l.ref ? { ref: l.ref } : {}) });
        setSucceeded((n) => n + 1);
      } catch (err) {
        setFailures((f) => [...f, { line: l.line, message: err instanceof ApiError ? err.message : String(err) }]);
      }
      setDone(i + 1);
    }
    setRunning(false);
    onImported();
  };

  return (
    <>
      <Button icon={<ImportOutlined />} onClick={() => setOpen(true)} data-testid="stock-import">
        {t("ops.import.button")}
      </Button>
      <Modal
        open={open}
        title={t("ops.import.title")}
        width={720}
        onCancel={() => (running ? (stop.current = true) : setOpen(false))}
        footer={
          <Space>
            {running ? (
              <Button onClick={() => (stop.current = true)}>{t("ops.import.stop")}</Button>
            ) : (
              <Button onClick={() => setOpen(false)}>{t("ops.import.close")}</Button>
            )}
            <Button type="primary" disabled={running || parsed.lines.length === 0} onClick={() => void run()} data-testid="stock-import-run">
              {t("ops.import.run", { n: parsed.lines.length })}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t("ops.import.help")}</Typography.Paragraph>
        <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(file) => (void file.text().then(setText), false)}>
          <Button icon={<UploadOutlined />} style={{ marginBottom: 8 }} disabled={running}>
            {t("ops.import.file")}
          </Button>
        </Upload>
        <Input.TextArea rows={6} value={text} onChange={(e) => setText(e.target.value)} placeholder={"skuId,onHand,warehouseId,ref\nsku_01J…,120,,PO-2026-0601"} style={MONO} data-testid="stock-import-text" />
        {total > 0 && <Progress percent={Math.round((done / total) * 100)} format={() => `${done}/${total}`} status={running ? "active" : failures.length ? "exception" : "success"} style={{ marginTop: 12 }} data-testid="stock-import-progress" />}
        {!running && total > 0 && <Alert style={{ marginTop: 8 }} type={failures.length ? "warning" : "success"} showIcon title={t("ops.import.summary", { ok: succeeded, failed: failures.length })} />}
        {failures.length > 0 && (
          <Table<Failure>
            size="small"
            rowKey="line"
            style={{ marginTop: 8 }}
            pagination={{ pageSize: 5 }}
            dataSource={failures}
            columns={[
              { title: t("ops.import.line"), dataIndex: "line", width: 70 },
              { title: t("ops.import.error"), dataIndex: "message" },
            ]}
          />
        )}
      </Modal>
    </>
  );
}
