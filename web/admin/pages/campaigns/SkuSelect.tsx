import { Select } from "antd";
import { useEffect, useState } from "react";
import { yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import type { CursorPage } from "../../components/ServerTable";

export interface SkuChoice {
  skuId: string;
  productId: string;
  title: string;
  specs: Record<string, string>;
  price: number;
}

interface AdminProduct {
  id: string;
  kind: "standard" | "bundle";
  title: string;
  skus: Array<{ id: string; specs: Record<string, string>; price: number; status: string }>;
}

/** The SKU's name as operators read it: product title, then its specs. */
export const skuLabel = (s: Pick<SkuChoice, "title" | "specs">) => [s.title, ...Object.values(s.specs)].join(" · ");

/**
 * Picks one SKU of a product on sale, searched by title. Bundles are left out where a campaign cannot
 * sell them (group buys, flash sales, bargains all sell one SKU's own stock).
 */
export function SkuSelect(props: { value?: string; onChange?: (skuId: string) => void; onPick?: (sku: SkuChoice) => void; "data-testid"?: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState("");
  const [choices, setChoices] = useState<SkuChoice[]>([]);
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState<SkuChoice | null>(null);
  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .get<CursorPage<AdminProduct>>("/admin/products", { status: "on_sale", q: q || undefined, limit: 30 })
        .then((page) => {
          if (!live) return;
          setChoices(
            page.items
              .filter((p) => p.kind === "standard")
              .flatMap((p) => p.skus.filter((s) => s.status === "active").map((s) => ({ skuId: s.id, productId: p.id, title: p.title, specs: s.specs, price: s.price }))),
          );
        })
        .catch(() => live && setChoices([]))
        .finally(() => live && setLoading(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  return (
    <Select
      data-testid={props["data-testid"]}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={props.value}
      loading={loading}
      placeholder={t("campaigns.sku.placeholder")}
      notFoundContent={loading ? t("campaigns.loading") : t("campaigns.sku.none")}
      options={[...(picked && !choices.some((c) => c.skuId === picked.skuId) ? [picked] : []), ...choices].map((c) => ({ value: c.skuId, label: `${skuLabel(c)} — ${yuan(c.price)}` }))}
      onChange={(skuId: string) => {
        props.onChange?.(skuId);
        const choice = choices.find((c) => c.skuId === skuId);
        if (choice) {
          setPicked(choice);
          props.onPick?.(choice);
        }
      }}
    />
  );
}
