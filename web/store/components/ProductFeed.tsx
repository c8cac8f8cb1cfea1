import { useState } from "react";
import InfiniteScroll from "antd-mobile/es/components/infinite-scroll";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { ProductTile } from "./ProductCard";
import type { Paged, ProductCard as Card } from "./types";

export interface FeedQuery {
  q?: string;
  categoryId?: string;
  tag?: string;
  merchantId?: string;
  sort?: "newest" | "price_asc" | "price_desc";
}

/** A two-column grid of products on sale that loads the next page as the shopper nears the end. */
export function ProductFeed(props: { query: FeedQuery; pageSize?: number }) {
  // A new query is a new list: remounting drops the old pages and any answer still on its way.
  return <Feed key={JSON.stringify(props.query)} {...props} />;
}

function Feed({ query, pageSize = 10 }: { query: FeedQuery; pageSize?: number }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Card[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const loadMore = async () => {
    const page = await api.get<Paged<Card>>("/products", { ...query, limit: pageSize, after: cursor ?? undefined });
    setItems((prev) => [...prev, ...page.items]);
    setCursor(page.nextCursor);
  };

  const done = cursor === null;
  return (
    <div data-testid="product-feed">
      {done && items.length === 0 ? (
        <div style={{ textAlign: "center", padding: "48px 0", color: "#999" }} data-testid="product-feed-empty">
          <div style={{ fontSize: 15, color: "#666" }}>{t("feed.empty")}</div>
          <div style={{ fontSize: 13, marginTop: 6 }}>{t("feed.emptyHint")}</div>
        </div>
      ) : (
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 8, padding: "0 8px" }}>
          {items.map((p) => (
            <ProductTile key={p.id} product={p} />
          ))}
        </div>
      )}
      <InfiniteScroll loadMore={loadMore} hasMore={!done}>
        {(hasMore, failed, retry) =>
          failed ? (
            <span onClick={retry} style={{ color: "var(--store-red)" }}>
              {t("feed.retry")}
            </span>
          ) : hasMore ? (
            <span className="store-muted">{t("feed.loading")}</span>
          ) : items.length > 0 ? (
            <span className="store-muted">{t("feed.end")}</span>
          ) : null
        }
      </InfiniteScroll>
    </div>
  );
}
