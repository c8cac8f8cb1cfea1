import { Select } from "antd";
import { useEffect, useState } from "react";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import type { CursorPage } from "../../components/ServerTable";

interface CategoryNode {
  id: string;
  name: string;
  children: CategoryNode[];
}

export interface Named {
  id: string;
  label: string;
}

/** Every category, named by its path ("生鲜水果 / 时令水果"), from the public tree. */
export function useCategories(): Named[] {
  const [list, setList] = useState<Named[]>([]);
  useEffect(() => {
    const flatten = (nodes: CategoryNode[], path: string[]): Named[] => nodes.flatMap((n) => [{ id: n.id, label: [...path, n.name].join(" / ") }, ...flatten(n.children, [...path, n.name])]);
    void api.get<{ items: CategoryNode[] }>("/categories").then((r) => setList(flatten(r.items, [])), () => setList([]));
  }, []);
  return list;
}

/** Stores by name, for operators who may list them (others get an empty list and pick none). */
export function useMerchants(enabled: boolean): Named[] {
  const [list, setList] = useState<Named[]>([]);
  useEffect(() => {
    if (!enabled) return;
    void api.get<CursorPage<{ id: string; storeName: string }>>("/admin/merchants", { limit: 100 }).then((p) => setList(p.items.map((m) => ({ id: m.id, label: m.storeName }))), () => setList([]));
  }, [enabled]);
  return list;
}

/** Products on sale, searched by title (optionally one store's); keeps the labels of those already picked. */
export function ProductSelect(props: { value?: string | string[]; onChange?: (v: string | string[]) => void; multiple?: boolean; merchantId?: string; "data-testid"?: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Named[]>([]);
  const [known, setKnown] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void api.get<CursorPage<{ id: string; title: string }>>("/products", { q: q || undefined, merchantId: props.merchantId, limit: 30 }).then(
        (p) => {
          if (!live) return;
          setFound(p.items.map((x) => ({ id: x.id, label: x.title })));
          setKnown((k) => ({ ...k, ...Object.fromEntries(p.items.map((x) => [x.id, x.title])) }));
        },
        () => live && setFound([]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, props.merchantId]);
  const picked = (Array.isArray(props.value) ? props.value : props.value ? [props.value] : []).filter((id) => !found.some((f) => f.id === id));
  return (
    <Select
      data-testid={props["data-testid"]}
      mode={props.multiple ? "multiple" : undefined}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={props.value}
      onChange={props.onChange}
      placeholder={t("campaigns.product.placeholder")}
      options={[...picked.map((id) => ({ value: id, label: known[id] ?? id })), ...found.map((f) => ({ value: f.id, label: f.label }))]}
    />
  );
}
