import { DeleteOutlined } from "@ant-design/icons";
import { Button, Card, Form, type FormListFieldData, Input, InputNumber, Select, Space, Switch, Table } from "antd";
import { useI18n } from "../../../shared/i18n";
import { YuanInput } from "../../components/YuanInput";
import { useAttributes } from "./lookups";
import type { SpecDimension } from "./sku-grid";

/**
 * A product form's `skus`: the spec dimensions (颜色, 尺码 …) whose combinations make the rows, and each
 * row's code, price (typed in yuan, held in fen), weight and — for saved SKUs — whether it is sold.
 * `dims` is null for a bundle, whose one SKU has no specs.
 */
export default function SkuTable({ dims, fixedDims, creating, onDimsChange }: { dims: SpecDimension[] | null; fixedDims: Set<string>; creating: boolean; onDimsChange(dims: SpecDimension[]): void }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const attributes = useAttributes();
  const valuesOf = (name: string) => attributes.find((a) => a.name === name)?.values ?? [];
  const unused = attributes.filter((a) => !dims?.some((d) => d.name === a.name));

  return (
    <Card size="small" title={t("ops.product.skus")}>
      {dims && (
        <div style={{ marginBottom: 12 }}>
          {dims.map((d, i) => (
            <Space key={d.name} style={{ display: "flex", marginBottom: 8 }} align="center">
              <span style={{ width: 56, display: "inline-block" }}>{d.name}</span>
              <Select
                // An attribute with a value list offers those; one without takes what is typed.
                mode={valuesOf(d.name).length ? "multiple" : "tags"}
                style={{ width: 560 }}
                value={d.values}
                data-testid={`spec-values-${d.name}`}
                placeholder={t("ops.product.specValues")}
                options={valuesOf(d.name).map((v) => ({ value: v, label: v }))}
                onChange={(values: string[]) => onDimsChange(dims.map((x, j) => (j === i ? { ...x, values } : x)))}
              />
              {!fixedDims.has(d.name) && <Button icon={<DeleteOutlined />} onClick={() => onDimsChange(dims.filter((_, j) => j !== i))} aria-label={t("ops.common.remove")} />}
            </Space>
          ))}
          {unused.length > 0 && (
            <Select
              style={{ width: 200 }}
              value={null}
              placeholder={t("ops.product.addSpec")}
              data-testid="spec-add"
              options={unused.map((a) => ({ value: a.name, label: a.name }))}
              onChange={(name: string) => onDimsChange([...dims, { name, values: [] }])}
            />
          )}
        </div>
      )}
      <Form.List name="skus">
        {(fields) => (
          <Table<FormListFieldData>
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={fields}
            data-testid="sku-table"
            columns={[
              { title: t("ops.product.specs"), width: 150, render: (_, f) => <SpecsCell row={f.name} markNew={!creating} /> },
              {
                title: t("ops.product.skuCode"),
                render: (_, f) => (
                  <Form.Item name={[f.name, "code"]} style={{ margin: 0 }} rules={[{ required: true, message: t("ops.form.required") }]}>
                    <Input data-testid={`sku-code-${f.name}`} />
                  </Form.Item>
                ),
              },
              {
                title: t("ops.product.price"),
                width: 160,
                render: (_, f) => (
                  <Form.Item name={[f.name, "price"]} style={{ margin: 0 }} rules={[{ required: true, message: t("ops.form.required") }]}>
                    <YuanInput data-testid={`sku-price-${f.name}`} />
                  </Form.Item>
                ),
              },
              {
                title: t("ops.product.weight"),
                width: 130,
                render: (_, f) => (
                  <Form.Item name={[f.name, "weightGrams"]} style={{ margin: 0 }}>
                    <InputNumber min={0} precision={0} suffix="g" style={{ width: "100%" }} data-testid={`sku-weight-${f.name}`} />
                  </Form.Item>
                ),
              },
              // A new SKU is created active; switching one off is a change to a saved SKU.
              ...(creating
                ? []
                : [
                    {
                      title: t("ops.product.skuActive"),
                      width: 90,
                      render: (_: unknown, f: FormListFieldData) =>
                        form.getFieldValue(["skus", f.name, "id"]) ? (
                          <Form.Item name={[f.name, "status"]} style={{ margin: 0 }} getValueProps={(v) => ({ checked: v === "active" })} getValueFromEvent={(on: boolean) => (on ? "active" : "inactive")}>
                            <Switch size="small" data-testid={`sku-active-${f.name}`} />
                          </Form.Item>
                        ) : null,
                    },
                  ]),
            ]}
          />
        )}
      </Form.List>
    </Card>
  );
}

/** A row's specs; in an edit, rows that will become new SKUs say so. */
function SpecsCell({ row, markNew }: { row: number; markNew: boolean }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  return (
    <Form.Item noStyle shouldUpdate>
      {() => {
        const specs = (form.getFieldValue(["skus", row, "specs"]) ?? {}) as Record<string, string>;
        const fresh = markNew && !form.getFieldValue(["skus", row, "id"]);
        const text = Object.values(specs).join(" / ") || t("ops.product.noSpecs");
        return !fresh ? (
          text
        ) : (
          <Space size={4}>
            {text}
            <span style={{ color: "#52c41a", fontSize: 12 }}>{t("ops.product.newSku")}</span>
          </Space>
        );
      }}
    </Form.Item>
  );
}
