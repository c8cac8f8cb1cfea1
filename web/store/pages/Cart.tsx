import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import Button from "antd-mobile/es/components/button";
import Checkbox from "antd-mobile/es/components/checkbox";
import ErrorBlock from "antd-mobile/es/components/error-block";
import Stepper from "antd-mobile/es/components/stepper";
import SwipeAction from "antd-mobile/es/components/swipe-action";
import Toast from "antd-mobile/es/components/toast";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { reportCart } from "../components/cartCount";
import { Price } from "../components/Price";
import { ProductImage } from "../components/ProductCard";
import { ProductFeed } from "../components/ProductFeed";
import { RequireLogin } from "../components/RequireLogin";
import type { Cart as CartView, CartItem, Storefront } from "../components/types";
import { LoadState, useErrorText } from "../components/load";

export default function Cart() {
  return (
    <RequireLogin>
      <CartPage />
    </RequireLogin>
  );
}

/** 购物车: lines grouped by store, each priced now; the selected ones go to checkout together. */
function CartPage() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [cart, setCart] = useState<CartView | null>(null);
  const [stores, setStores] = useState<Record<string, Storefront>>({});
  const [error, setError] = useState<unknown>(null);

  const apply = (next: CartView) => {
    setCart(next);
    reportCart(next);
  };
  useEffect(() => {
    api.get<CartView>("/cart").then(apply, setError);
  }, []);
  const merchantIds = [...new Set(cart?.items.map((i) => i.merchantId) ?? [])];
  useEffect(() => {
    for (const id of merchantIds.filter((m) => !stores[m])) {
      void api.get<Storefront>(`/merchants/${id}`).then((s) => setStores((prev) => ({ ...prev, [id]: s })), () => undefined);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [merchantIds.join(",")]);

  const change = async (call: () => Promise<CartView>) => {
    try {
      apply(await call());
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const update = (item: CartItem, body: { qty?: number; selected?: boolean }) => change(() => api.put<CartView>(`/cart/items/${item.skuId}`, body));
  const remove = (item: CartItem) => change(() => api.del<CartView>(`/cart/items/${item.skuId}`));
  const selectAll = async (selected: boolean) => {
    for (const item of cart!.items.filter((i) => i.selected !== selected && (i.purchasable || !selected))) await update(item, { selected });
  };

  if (!cart) return <LoadState error={error} />;
  const buyable = cart.items.filter((i) => i.purchasable);
  const chosen = cart.items.filter((i) => i.selected && i.purchasable);
  const allChosen = buyable.length > 0 && chosen.length === buyable.length;

  return (
    <div data-testid="cart-page" style={{ paddingBottom: 64 }}>
      <div style={{ position: "sticky", top: 0, zIndex: 50, background: "#fff", padding: "12px", fontSize: 17, fontWeight: 600, textAlign: "center" }}>
        {t("cart.title")}
        {cart.items.length > 0 && <span style={{ fontSize: 13, color: "#999", fontWeight: 400 }}> ({cart.items.length})</span>}
      </div>
      {cart.items.length === 0 ? (
        <>
          <ErrorBlock status="empty" title={t("cart.empty")} description={<Link to="/">{t("cart.goShopping")}</Link>} style={{ padding: "40px 0 20px" }} />
          <div style={{ textAlign: "center", margin: "10px 0", fontWeight: 600, color: "#333" }}>{t("home.forYou")}</div>
          <ProductFeed query={{ sort: "newest" }} />
        </>
      ) : (
        merchantIds.map((merchantId) => (
          <section key={merchantId} className="store-card" style={{ padding: "10px 0" }} data-testid="cart-store">
            <Link to={`/stores/${merchantId}`} style={{ display: "block", padding: "0 12px 8px", fontWeight: 600, color: "#333", textDecoration: "none" }}>
              {stores[merchantId]?.storeName ?? "…"}
            </Link>
            {cart.items
              .filter((i) => i.merchantId === merchantId)
              .map((item) => (
                <SwipeAction key={item.skuId} rightActions={[{ key: "delete", text: t("cart.remove"), color: "danger", onClick: () => void remove(item) }]}>
                  <div style={{ display: "flex", alignItems: "center", gap: 10, padding: "8px 12px", opacity: item.purchasable ? 1 : 0.55 }} data-testid="cart-item">
                    <Checkbox checked={item.selected && item.purchasable} disabled={!item.purchasable} onChange={(v) => void update(item, { selected: v })} data-testid="cart-item-select" />
                    <Link to={`/products/${item.productId}`}>
                      <ProductImage src={item.image} title={item.title} size={80} />
                    </Link>
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <div className="store-clamp-2" style={{ fontSize: 14 }}>
                        {item.title}
                      </div>
                      {Object.keys(item.specs).length > 0 && (
                        <div style={{ fontSize: 12, color: "#888", background: "#f7f7f7", display: "inline-block", padding: "1px 6px", borderRadius: 3, marginTop: 4 }}>{Object.values(item.specs).join(" / ")}</div>
                      )}
                      <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between", marginTop: 6 }}>
                        <Price fen={item.unitPrice} size="md" />
                        {item.purchasable ? (
                          <Stepper min={1} max={Math.max(1, item.available)} value={item.qty} onChange={(qty) => void update(item, { qty })} style={{ "--height": "26px", "--input-width": "36px" }} data-testid="cart-item-qty" />
                        ) : (
                          <span style={{ fontSize: 12, color: "#999" }}>{item.available > 0 ? t("cart.notEnough", { n: item.available }) : t("cart.unavailable")}</span>
                        )}
                      </div>
                    </div>
                  </div>
                </SwipeAction>
              ))}
          </section>
        ))
      )}
      {cart.items.length > 0 && (
        <div style={{ position: "fixed", left: 0, right: 0, bottom: "calc(50px + env(safe-area-inset-bottom))", zIndex: 60, display: "flex", alignItems: "center", gap: 10, background: "#fff", padding: "8px 12px", borderTop: "1px solid #eee" }} data-testid="cart-bar">
          <Checkbox checked={allChosen} indeterminate={chosen.length > 0 && !allChosen} onChange={(v) => void selectAll(v)} data-testid="cart-select-all">
            {t("cart.selectAll")}
          </Checkbox>
          <span style={{ flex: 1, textAlign: "right", fontSize: 13 }}>
            {t("cart.total")} <Price fen={cart.selectedTotal} size="md" testId="cart-total" />
          </span>
          <Button color="danger" shape="rounded" disabled={chosen.length === 0} onClick={() => navigate("/checkout?from=cart")} data-testid="cart-checkout">
            {t("cart.checkout", { n: chosen.reduce((n, i) => n + i.qty, 0) })}
          </Button>
        </div>
      )}
    </div>
  );
}
