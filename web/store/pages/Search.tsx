import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import SearchBar from "antd-mobile/es/components/search-bar";
import Tabs from "antd-mobile/es/components/tabs";
import { LeftOutline } from "antd-mobile-icons";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { type FeedQuery, ProductFeed } from "../components/ProductFeed";

const SORTS = ["newest", "price_asc", "price_desc"] as const;
type Sort = (typeof SORTS)[number];

/** 搜索: words, a category or a tag; newest first or by price. The query lives in the URL, so "back" keeps it. */
export default function Search() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const categoryId = params.get("categoryId") ?? undefined;
  const tag = params.get("tag") ?? undefined;
  const sort = (SORTS as readonly string[]).includes(params.get("sort") ?? "") ? (params.get("sort") as Sort) : "newest";
  const [text, setText] = useState(q);
  const [tags, setTags] = useState<{ tag: string }[]>([]);
  const browsing = Boolean(q || categoryId || tag);
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    if (!browsing) void api.get<{ items: { tag: string }[] }>("/tags").then((r) => setTags(r.items.slice(0, 12))).catch(() => undefined);
  }, [browsing]);

  const update = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) if (v) merged.set(k, v);
    else merged.delete(k);
    setParams(merged, { replace: true });
  };
  const query: FeedQuery = { q: q || undefined, categoryId, tag, sort };

  return (
    <div data-testid="search-page">
      <div style={{ position: "sticky", top: 0, zIndex: 50, background: "#fff" }}>
        <div style={{ display: "flex", alignItems: "center", gap: 4, padding: "6px 12px 6px 4px" }}>
          <LeftOutline fontSize={22} style={{ padding: 6, cursor: "pointer" }} onClick={() => (window.history.state?.idx > 0 ? navigate(-1) : navigate("/"))} />
          <div style={{ flex: 1 }}>
            <SearchBar
              value={text}
              onChange={setText}
              onSearch={(v) => update({ q: v.trim() || undefined, tag: undefined, categoryId: undefined, title: undefined })}
              onClear={() => update({ q: undefined })}
              placeholder={params.get("title") ?? t("home.searchHint")}
              autoFocus={!browsing}
              data-testid="search-input"
            />
          </div>
        </div>
        {browsing && (
          <Tabs activeKey={sort} onChange={(k) => update({ sort: k === "newest" ? undefined : k })} style={{ "--title-font-size": "14px" }}>
            {SORTS.map((s) => (
              <Tabs.Tab key={s} title={t(`search.sort.${s}`)} />
            ))}
          </Tabs>
        )}
      </div>
      {browsing ? (
        <div style={{ paddingTop: 8 }}>
          {(params.get("title") || tag) && <div style={{ padding: "0 12px 8px", fontSize: 13, color: "#666" }}>{t("search.filtered", { name: params.get("title") ?? tag ?? "" })}</div>}
          <ProductFeed query={query} />
        </div>
      ) : (
        <div className="store-card">
          <div style={{ fontWeight: 600, marginBottom: 10 }}>{t("search.hotTags")}</div>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
            {tags.map(({ tag: name }) => (
              <span key={name} onClick={() => update({ tag: name })} style={{ background: "#f5f5f5", borderRadius: 14, padding: "4px 12px", fontSize: 13, cursor: "pointer" }} data-testid="search-tag">
                {name}
              </span>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
