import { lazy, type ReactNode, Suspense, useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import Badge from "antd-mobile/es/components/badge";
import Button from "antd-mobile/es/components/button";
import { GiftOutline, RightOutline, ShopbagOutline, StarOutline, UploadOutline } from "antd-mobile-icons";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { reportCart, useCartCount } from "../components/cartCount";
import { LiveCountdown } from "../components/serverClock";
import { Page } from "../components/Page";
import { Price } from "../components/Price";
import { ProductImage } from "../components/ProductCard";
import { useProductCampaigns } from "../components/productCampaigns";
import { loginPath } from "../components/RequireLogin";
import { Reviews } from "../components/Reviews";
import { Carousel } from "../components/Carousel";
import { describeChoice, type SkuAction } from "../components/skuChoice";
import { tracker } from "../components/tracker";
import type { Cart, Product as ProductView, ShareIntro, Sku } from "../components/types";
import { LoadState, useLoad } from "../components/load";
import { useSession } from "../session";

// Opened on a tap, so a friend landing from a shared link downloads neither up front.
const SkuPicker = lazy(() => import("../components/SkuPicker").then((m) => ({ default: m.SkuPicker })));
const ShareSheet = lazy(() => import("../fission/ShareSheet").then((m) => ({ default: m.ShareSheet })));

/** 商品详情: pictures, price, specs, the campaigns it is in, reviews; a friend's shared link lands here. */
export default function Product() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const { data: product, error } = useLoad(() => api.get<ProductView>(`/products/${id}`), [id]);
  const [sharing, setSharing] = useState(false);
  return (
    <Page
      title={t("product.title")}
      testId="product-page"
      right={
        product && (
          <span onClick={() => setSharing(true)} style={{ cursor: "pointer", fontSize: 14, display: "inline-flex", alignItems: "center", gap: 2 }} data-testid="product-share-top">
            <UploadOutline /> {t("product.share")}
          </span>
        )
      }
    >
      {product ? <ProductBody product={product} onShare={() => setSharing(true)} /> : <LoadState error={error} />}
      {product && sharing && (
        <Suspense fallback={null}>
          <ShareSheet visible onClose={() => setSharing(false)} target={{ type: "product", id: product.id }} />
        </Suspense>
      )}
    </Page>
  );
}

function ProductBody({ product, onShare }: { product: ProductView; onShare(): void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const cartCount = useCartCount();
  const campaigns = useProductCampaigns(product);
  useEffect(() => tracker.track("product_view", { productId: product.id }), [product.id]);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [picker, setPicker] = useState<SkuAction[] | null>(null);
  const prices = product.skus.map((s) => s.price);
  const lowest = Math.min(...prices);
  const listLowest = Math.min(...product.skus.map((s) => s.listPrice));
  const stock = product.skus.reduce((n, s) => n + s.stock, 0);
  const member = product.skus.map((s) => s.memberPrice).filter((p): p is number => p != null);
  const choice = describeChoice(product, chosen);

  const act = async (action: SkuAction, sku: Sku, qty: number) => {
    if (!user) return navigate(loginPath(location.pathname + location.search));
    if (action === "buy") return navigate(`/checkout?sku=${sku.id}&qty=${qty}`);
    reportCart(await api.post<Cart>("/cart/items", { skuId: sku.id, qty }));
    tracker.track("add_to_cart", { productId: product.id, props: { skuId: sku.id, qty } });
    setPicker(null);
    return t("product.added");
  };

  const flash = campaigns.flash;
  return (
    <>
      <ShareIntroBanner product={product} />
      <div style={{ background: "#fff" }} data-testid="product-images">
        <Carousel intervalMs={0} radius={0}>
          {(product.images.length > 0 ? product.images : [null]).map((src, i) => (
            <ProductImage key={src ?? i} src={src} title={product.title} radius={0} />
          ))}
        </Carousel>
      </div>

      {flash?.slot.state === "open" ? (
        <Link to="/flash" data-testid="product-flash" style={{ display: "flex", alignItems: "center", justifyContent: "space-between", padding: "10px 12px", background: "linear-gradient(90deg,#ff512f,#dd2476)", color: "#fff", textDecoration: "none" }}>
          <div>
            <div style={{ fontSize: 12, opacity: 0.9 }}>{t("product.flashNow")}</div>
            <Price fen={flash.item.flashPrice} size="lg" color="#fff" />
            <span style={{ fontSize: 12, textDecoration: "line-through", marginLeft: 6, opacity: 0.8 }}>{yuan(lowest)}</span>
          </div>
          <div style={{ textAlign: "right", fontSize: 12 }}>
            <div>{t("product.flashEndsIn")}</div>
            <LiveCountdown until={flash.slot.closesAt} style={{ fontSize: 16, fontWeight: 600 }} />
          </div>
        </Link>
      ) : null}

      <section style={{ background: "#fff", padding: "12px 12px 14px" }}>
        <div style={{ display: "flex", alignItems: "baseline", justifyContent: "space-between" }}>
          <span>
            <Price fen={lowest} was={listLowest} size="lg" testId="product-price" />
            {prices.some((p) => p !== lowest) && <span style={{ color: "var(--store-red)", fontSize: 12 }}> {t("product.from")}</span>}
          </span>
          <span className="store-muted" data-testid="product-stock">
            {stock > 0 ? t("product.stock", { n: stock }) : t("sku.soldOut")}
          </span>
        </div>
        {member.length > 0 && (
          <div style={{ marginTop: 4, fontSize: 12, color: "#b8860b" }}>{t("product.memberPrice", { price: yuan(Math.min(...member)) })}</div>
        )}
        <h1 style={{ fontSize: 17, lineHeight: 1.4, margin: "8px 0 4px", fontWeight: 600 }} data-testid="product-title">
          {product.title}
        </h1>
        {product.subtitle && <div style={{ fontSize: 13, color: "#888" }}>{product.subtitle}</div>}
        {product.tags.length > 0 && (
          <div style={{ display: "flex", gap: 6, marginTop: 8, flexWrap: "wrap" }}>
            {product.tags.map((tag) => (
              <span key={tag} style={{ fontSize: 11, color: "var(--store-red)", background: "#fdecea", borderRadius: 3, padding: "1px 5px" }}>
                {tag}
              </span>
            ))}
          </div>
        )}
      </section>

      <CampaignEntries campaigns={campaigns} />

      <section className="store-card" style={{ padding: 0 }}>
        <Row label={t("product.choose")} onClick={() => setPicker(["cart", "buy"])} testId="product-choose">
          <span style={{ color: choice.done ? "#333" : "#999" }}>{product.specs.length === 0 ? t("product.singleSku") : choice.done ? choice.text : t("product.chooseSpecs", { specs: choice.text })}</span>
        </Row>
        <Row label={t("product.service")}>
          <span style={{ color: "#666" }}>
            {t("product.freeShipping")} · {product.afterSaleExempt ? t("product.noReturns") : t("product.sevenDayReturns")}
          </span>
        </Row>
      </section>

      <Link to={`/stores/${product.merchant.id}`} className="store-card" style={{ display: "flex", alignItems: "center", gap: 10, color: "inherit", textDecoration: "none" }} data-testid="product-store">
        <ProductImage src={product.merchant.logo} title={product.merchant.storeName} size={40} />
        <div style={{ flex: 1 }}>
          <div style={{ fontWeight: 600 }}>{product.merchant.storeName}</div>
          {product.merchant.selfOperated && <span style={{ fontSize: 10, color: "#fff", background: "var(--store-red)", borderRadius: 3, padding: "0 4px" }}>{t("product.selfOperated")}</span>}
        </div>
        <span style={{ fontSize: 13, color: "#666" }}>
          {t("product.visitStore")} <RightOutline />
        </span>
      </Link>

      <Reviews productId={product.id} />

      <section className="store-card">
        <div className="store-section-title">{t("product.details")}</div>
        <div style={{ fontSize: 14, lineHeight: 1.7, color: "#444", whiteSpace: "pre-wrap" }}>{product.description}</div>
        {product.images.map((src) => (
          <img key={src} src={src} alt="" loading="lazy" style={{ width: "100%", marginTop: 8, borderRadius: 6, display: "block" }} />
        ))}
      </section>

      <div
        style={{ position: "fixed", left: 0, right: 0, bottom: 0, zIndex: 60, display: "flex", alignItems: "center", gap: 6, background: "#fff", padding: "6px 10px calc(6px + env(safe-area-inset-bottom))", boxShadow: "0 -2px 8px rgba(0,0,0,.06)" }}
        data-testid="product-actions"
      >
        <IconAction icon={<StarOutline />} label={t("product.store")} onClick={() => navigate(`/stores/${product.merchant.id}`)} />
        <IconAction icon={<Badge content={cartCount > 0 ? cartCount : null}><ShopbagOutline /></Badge>} label={t("tab.cart")} onClick={() => navigate("/cart")} testId="product-go-cart" />
        <IconAction icon={<GiftOutline />} label={t("product.share")} onClick={onShare} testId="product-share" />
        <Button color="warning" shape="rounded" style={{ flex: 1, fontSize: 15, whiteSpace: "nowrap", padding: "9px 0" }} disabled={stock === 0} onClick={() => setPicker(["cart"])} data-testid="product-add-to-cart">
          {t("product.addToCart")}
        </Button>
        <Button color="danger" shape="rounded" style={{ flex: 1, fontSize: 15, whiteSpace: "nowrap", padding: "9px 0" }} disabled={stock === 0} onClick={() => setPicker(["buy"])} data-testid="product-buy-now">
          {t("product.buyNow")}
        </Button>
      </div>
      <div style={{ height: 64 }} />
      {picker && (
        <Suspense fallback={null}>
          <SkuPicker product={product} visible chosen={chosen} onChange={setChosen} actions={picker} onClose={() => setPicker(null)} onConfirm={act} />
        </Suspense>
      )}
    </>
  );
}

function Row({ label, children, onClick, testId }: { label: string; children: ReactNode; onClick?: () => void; testId?: string }) {
  return (
    <div onClick={onClick} data-testid={testId} style={{ display: "flex", alignItems: "center", gap: 12, padding: "12px", fontSize: 14, cursor: onClick ? "pointer" : "default", borderBottom: "1px solid #f7f7f7" }}>
      <span style={{ color: "#999", width: 40, flex: "none" }}>{label}</span>
      <span style={{ flex: 1, minWidth: 0 }}>{children}</span>
      {onClick && <RightOutline color="#bbb" />}
    </div>
  );
}

function IconAction({ icon, label, onClick, testId }: { icon: ReactNode; label: string; onClick(): void; testId?: string }) {
  return (
    <div onClick={onClick} data-testid={testId} style={{ width: 38, flex: "none", textAlign: "center", cursor: "pointer", fontSize: 20, color: "#555" }}>
      {icon}
      <div style={{ fontSize: 10 }}>{label}</div>
    </div>
  );
}

/** The group buy, bargain and upcoming flash sale this product is in, each leading to its page. */
function CampaignEntries({ campaigns }: { campaigns: ReturnType<typeof useProductCampaigns> }) {
  const { t } = useI18n();
  const { groupbuy, bargain, flash } = campaigns;
  if (!groupbuy && !bargain && flash?.slot.state !== "upcoming") return null;
  return (
    <section className="store-card" style={{ padding: "4px 12px" }} data-testid="product-campaigns">
      {groupbuy && (
        <div style={{ padding: "8px 0", borderBottom: "1px solid #f7f7f7" }}>
          <Link to={`/groupbuy/${groupbuy.activity.id}`} style={{ display: "flex", alignItems: "center", gap: 8, color: "inherit", textDecoration: "none" }} data-testid="product-groupbuy">
            <CampaignTag color="var(--store-orange)">{t("product.teamOf", { n: groupbuy.activity.teamSize })}</CampaignTag>
            <span style={{ flex: 1 }}>
              <Price fen={groupbuy.groupPrice} size="sm" /> <span style={{ fontSize: 13, color: "#666" }}>{t("product.groupbuyHint")}</span>
            </span>
            <span style={{ color: "var(--store-orange)", fontSize: 13 }}>
              {t("product.startTeam")} <RightOutline />
            </span>
          </Link>
          {groupbuy.teams.slice(0, 2).map((team) => (
            <Link key={team.id} to={`/teams/${team.id}`} style={{ display: "flex", alignItems: "center", gap: 8, marginTop: 8, padding: "6px 8px", background: "#fff7f0", borderRadius: 8, color: "inherit", textDecoration: "none", fontSize: 13 }} data-testid="product-open-team">
              <span style={{ flex: 1 }}>
                {t("product.teamNeeds", { name: team.members[0]?.displayName ?? "", n: team.seatsLeft })}
                <span className="store-muted">
                  {" "}
                  · <LiveCountdown until={team.deadlineAt} />
                </span>
              </span>
              <span style={{ background: "var(--store-orange)", color: "#fff", borderRadius: 12, padding: "2px 10px", fontSize: 12 }}>{t("product.joinTeam")}</span>
            </Link>
          ))}
        </div>
      )}
      {bargain && (
        <Link to={`/bargain/${bargain.id}`} style={{ display: "flex", alignItems: "center", gap: 8, padding: "10px 0", color: "inherit", textDecoration: "none", borderBottom: "1px solid #f7f7f7" }} data-testid="product-bargain">
          <CampaignTag color="#9254de">{t("product.bargainTag")}</CampaignTag>
          <span style={{ flex: 1, fontSize: 13 }}>
            {t("product.bargainHint", { n: bargain.helpersNeeded })} <Price fen={bargain.floorPrice} size="sm" />
          </span>
          <span style={{ color: "#9254de", fontSize: 13 }}>
            {t("product.startBargain")} <RightOutline />
          </span>
        </Link>
      )}
      {flash?.slot.state === "upcoming" && (
        <Link to="/flash" style={{ display: "flex", alignItems: "center", gap: 8, padding: "10px 0", color: "inherit", textDecoration: "none" }} data-testid="product-flash-upcoming">
          <CampaignTag color="var(--store-red)">{t("product.flashTag")}</CampaignTag>
          <span style={{ flex: 1, fontSize: 13 }}>
            <Price fen={flash.item.flashPrice} size="sm" /> {t("product.flashOpensIn")} <LiveCountdown until={flash.slot.opensAt} />
          </span>
          <RightOutline color="#bbb" />
        </Link>
      )}
    </section>
  );
}

function CampaignTag({ color, children }: { color: string; children: ReactNode }) {
  return <span style={{ fontSize: 11, color: "#fff", background: color, borderRadius: 4, padding: "1px 6px", whiteSpace: "nowrap" }}>{children}</span>;
}

/**
 * What a friend's shared link says on arrival: who shared it and the offer, and — for a visitor not yet
 * signed in — the way to sign up, which credits the friend.
 */
function ShareIntroBanner({ product }: { product: ProductView }) {
  const { t } = useI18n();
  const { user } = useSession();
  const location = useLocation();
  const [params] = useSearchParams();
  const token = params.get("share");
  const [intro, setIntro] = useState<ShareIntro | null>(null);
  useEffect(() => {
    setIntro(null);
    if (token) api.get<ShareIntro>(`/shares/${encodeURIComponent(token)}`).then(setIntro, () => undefined);
  }, [token]);
  if (!intro) return null;
  return (
    <div style={{ display: "flex", alignItems: "center", gap: 10, padding: "10px 12px", background: "linear-gradient(90deg,#fff1e6,#ffe4e1)", borderBottom: "1px solid #ffd8bf" }} data-testid="share-intro">
      <div style={{ width: 36, height: 36, borderRadius: 18, background: "var(--store-orange)", color: "#fff", display: "flex", alignItems: "center", justifyContent: "center", fontWeight: 600, flex: "none" }}>{[...intro.sharerName][0] ?? "·"}</div>
      <div style={{ flex: 1, minWidth: 0 }}>
        <div style={{ fontSize: 14, fontWeight: 600 }} data-testid="share-intro-name">
          {t("shareIntro.title", { name: intro.sharerName })}
        </div>
        <div style={{ fontSize: 12, color: "#8c5a2b" }}>{t("shareIntro.offer", { price: yuan(Math.min(...product.skus.map((s) => s.price))) })}</div>
      </div>
      {!user && (
        <Link to={loginPath(location.pathname + location.search)} style={{ background: "var(--store-red)", color: "#fff", borderRadius: 14, padding: "4px 12px", fontSize: 12, textDecoration: "none", flex: "none" }} data-testid="share-intro-login">
          {t("shareIntro.join")}
        </Link>
      )}
    </div>
  );
}
