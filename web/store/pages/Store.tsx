import { useState } from "react";
import { useParams } from "react-router";
import { UploadOutline } from "antd-mobile-icons";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { ProductImage } from "../components/ProductCard";
import { ProductFeed } from "../components/ProductFeed";
import type { Storefront } from "../components/types";
import { LoadState, useLoad } from "../components/load";
import { ShareSheet } from "../fission/ShareSheet";

/** 店铺: a store's face and everything it sells; shared store links land here. */
export default function Store() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const { data: store, error } = useLoad(() => api.get<Storefront>(`/merchants/${id}`), [id]);
  const [sort, setSort] = useState<"newest" | "price_asc">("newest");
  const [sharing, setSharing] = useState(false);
  return (
    <Page
      title={store?.storeName ?? t("store.title")}
      testId="store-page"
      right={
        store && (
          <span onClick={() => setSharing(true)} style={{ cursor: "pointer", fontSize: 14 }} data-testid="store-share">
            <UploadOutline /> {t("product.share")}
          </span>
        )
      }
    >
      {!store ? (
        <LoadState error={error} />
      ) : (
        <>
          <section style={{ display: "flex", alignItems: "center", gap: 12, padding: 16, background: "linear-gradient(120deg,#434343,#000)", color: "#fff" }}>
            <ProductImage src={store.logo} title={store.storeName} size={56} />
            <div>
              <div style={{ fontSize: 18, fontWeight: 600 }}>{store.storeName}</div>
              {store.selfOperated && <span style={{ fontSize: 11, background: "var(--store-red)", borderRadius: 3, padding: "0 5px" }}>{t("product.selfOperated")}</span>}
            </div>
          </section>
          <div style={{ display: "flex", gap: 20, padding: "10px 16px", background: "#fff", fontSize: 14 }}>
            {(["newest", "price_asc"] as const).map((s) => (
              <span key={s} onClick={() => setSort(s)} style={{ cursor: "pointer", color: sort === s ? "var(--store-red)" : "#333", fontWeight: sort === s ? 600 : 400 }}>
                {t(`search.sort.${s}`)}
              </span>
            ))}
          </div>
          <div style={{ paddingTop: 8 }}>
            <ProductFeed query={{ merchantId: store.id, sort }} />
          </div>
          <ShareSheet visible={sharing} onClose={() => setSharing(false)} target={{ type: "store", id: store.id }} />
        </>
      )}
    </Page>
  );
}
