import { useEffect, useMemo, useState } from "react";
import Button from "antd-mobile/es/components/button";
import Popup from "antd-mobile/es/components/popup";
import Selector from "antd-mobile/es/components/selector";
import Stepper from "antd-mobile/es/components/stepper";
import Toast from "antd-mobile/es/components/toast";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { useErrorText } from "./load";
import { Price } from "./Price";
import { ProductImage } from "./ProductCard";
import { describeChoice, matches, type SkuAction, skuOf } from "./skuChoice";
import type { Product, Sku } from "./types";

/**
 * The spec picker (规格选择): one row per spec; a value no SKU in stock has, given the other choices,
 * cannot be picked. Shows the chosen SKU's price and stock, and the quantity, at most the stock.
 */
export function SkuPicker(props: {
  product: Product;
  visible: boolean;
  chosen: Record<string, string>;
  onChange(chosen: Record<string, string>): void;
  actions: SkuAction[];
  onClose(): void;
  /** Does the action; what it resolves to is shown as a toast, and an error's reason likewise. */
  onConfirm(action: SkuAction, sku: Sku, qty: number): Promise<string | void>;
}) {
  const { product, chosen } = props;
  const { t } = useI18n();
  const errorText = useErrorText();
  const [qty, setQty] = useState(1);
  const [busy, setBusy] = useState<SkuAction | null>(null);
  const sku = skuOf(product, chosen);
  const prices = useMemo(() => product.skus.map((s) => s.price), [product]);
  const choice = describeChoice(product, chosen);
  const stock = sku ? sku.stock : product.skus.reduce((n, s) => n + s.stock, 0);
  useEffect(() => {
    if (sku && qty > sku.stock) setQty(Math.max(1, sku.stock));
  }, [sku, qty]);

  const pick = (name: string, value: string | undefined) => {
    const next = { ...chosen };
    if (value) next[name] = value;
    else delete next[name];
    props.onChange(next);
  };
  const confirm = async (action: SkuAction) => {
    if (!sku) return;
    setBusy(action);
    try {
      const done = await props.onConfirm(action, sku, qty);
      if (done) Toast.show({ icon: "success", content: done });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Popup visible={props.visible} onMaskClick={props.onClose} onClose={props.onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: "80vh", overflowY: "auto" }}>
      <div style={{ padding: 16 }} data-testid="sku-picker">
        <div style={{ display: "flex", gap: 12 }}>
          <ProductImage src={product.images[0]} title={product.title} size={96} />
          <div style={{ display: "flex", flexDirection: "column", justifyContent: "flex-end", gap: 4 }}>
            {sku ? <Price fen={sku.price} was={sku.listPrice} size="lg" testId="sku-price" /> : <Price fen={Math.min(...prices)} size="lg" />}
            {sku?.memberPrice != null && <span style={{ color: "#b8860b", fontSize: 12 }}>{t("sku.memberPrice", { price: yuan(sku.memberPrice) })}</span>}
            <span className="store-muted" data-testid="sku-stock">
              {t("sku.stock", { n: stock })}
            </span>
            {product.specs.length > 0 && <span style={{ fontSize: 13 }}>{t(choice.done ? "sku.chosen" : "sku.choose", { specs: choice.text })}</span>}
          </div>
        </div>
        {product.specs.map((spec) => (
          <div key={spec.name} style={{ marginTop: 16 }}>
            <div style={{ fontSize: 14, marginBottom: 8 }}>{spec.name}</div>
            <Selector
              columns={3}
              showCheckMark={false}
              value={chosen[spec.name] ? [chosen[spec.name]] : []}
              onChange={(v) => pick(spec.name, v[0])}
              options={spec.values.map((value) => ({
                label: value,
                value,
                disabled: !product.skus.some((s) => s.stock > 0 && s.specs[spec.name] === value && matches(s, chosen, spec.name)),
              }))}
              data-testid={`sku-spec-${spec.name}`}
            />
          </div>
        ))}
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", marginTop: 20 }}>
          <span>{t("sku.qty")}</span>
          <Stepper min={1} max={Math.max(1, sku?.stock ?? 1)} value={qty} onChange={setQty} data-testid="sku-qty" />
        </div>
        <div style={{ display: "flex", gap: 8, marginTop: 20 }}>
          {props.actions.map((action) => (
            <Button
              key={action}
              block
              shape="rounded"
              color={action === "buy" ? "danger" : "warning"}
              disabled={!sku || sku.stock === 0}
              loading={busy === action}
              onClick={() => void confirm(action)}
              data-testid={`sku-confirm-${action}`}
            >
              {sku && sku.stock === 0 ? t("sku.soldOut") : t(action === "buy" ? "product.buyNow" : "product.addToCart")}
            </Button>
          ))}
        </div>
      </div>
    </Popup>
  );
}
