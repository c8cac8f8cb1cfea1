import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import SideBar from "antd-mobile/es/components/side-bar";
import { SearchOutline } from "antd-mobile-icons";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { ProductFeed } from "../components/ProductFeed";
import type { Category } from "../components/types";
import { LoadState } from "../components/load";

/** 分类: the top-level categories down the side; their subcategories and products beside them. */
export default function Categories() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [tree, setTree] = useState<Category[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<{ items: Category[] }>("/categories").then((r) => setTree(r.items), setError);
  }, []);
  if (!tree) return <LoadState error={error} />;
  const top = tree.find((c) => c.id === params.get("c")) ?? tree[0];
  const sub = top?.children.find((c) => c.id === params.get("sub"));
  const choose = (c: string, s?: string) => setParams(s ? { c, sub: s } : { c }, { replace: true });

  return (
    <div data-testid="categories-page">
      <div style={{ position: "sticky", top: 0, zIndex: 50, background: "#fff", padding: "8px 12px" }}>
        <Link to="/search" style={{ display: "flex", alignItems: "center", gap: 6, background: "#f5f5f5", borderRadius: 18, padding: "7px 12px", color: "#999", fontSize: 13, textDecoration: "none" }}>
          <SearchOutline />
          {t("home.searchHint")}
        </Link>
      </div>
      <div style={{ display: "flex", alignItems: "flex-start" }}>
        <SideBar activeKey={top?.id} onChange={(k) => choose(k)} style={{ position: "sticky", top: 50, width: 92, flex: "none", "--width": "92px" }} data-testid="category-sidebar">
          {tree.map((c) => (
            <SideBar.Item key={c.id} title={c.name} />
          ))}
        </SideBar>
        <div style={{ flex: 1, minWidth: 0, paddingBottom: 12 }}>
          {top && top.children.length > 0 && (
            <div style={{ display: "flex", flexWrap: "wrap", gap: 8, padding: "10px 8px" }}>
              {[{ id: "", name: t("categories.all") }, ...top.children].map((c) => {
                const active = (sub?.id ?? "") === c.id;
                return (
                  <span
                    key={c.id || "all"}
                    onClick={() => choose(top.id, c.id || undefined)}
                    data-testid="subcategory"
                    style={{ padding: "4px 12px", borderRadius: 14, fontSize: 13, cursor: "pointer", background: active ? "#fdecea" : "#fff", color: active ? "var(--store-red)" : "#333", border: active ? "1px solid var(--store-red)" : "1px solid #eee" }}
                  >
                    {c.name}
                  </span>
                );
              })}
            </div>
          )}
          {top ? <ProductFeed query={{ categoryId: sub?.id ?? top.id }} /> : null}
        </div>
      </div>
    </div>
  );
}
