import { type ReactNode, useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import { RightOutline, SearchOutline } from "antd-mobile-icons";
import { yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Carousel } from "../components/Carousel";
import { Price } from "../components/Price";
import { ProductImage } from "../components/ProductCard";
import { ProductFeed } from "../components/ProductFeed";
import type { BargainActivity, Category, FlashItem, FlashSlot, GroupbuyActivity } from "../components/types";
import { LiveCountdown, syncServerTime } from "../components/serverClock";

interface Campaigns {
  slot: (FlashSlot & { items: FlashItem[] }) | null;
  groupbuys: GroupbuyActivity[];
  bargains: BargainActivity[];
}

/** The slot to show: the one running now, else the next to open. */
async function loadFlash(): Promise<Campaigns["slot"]> {
  const now = await api.get<{ serverTime: string; slots: FlashSlot[] }>("/flash/now");
  syncServerTime(now.serverTime);
  const slot = now.slots.find((s) => s.state === "open") ?? now.slots.find((s) => s.state === "upcoming");
  if (!slot) return null;
  return api.get<FlashSlot & { items: FlashItem[] }>(`/flash/slots/${slot.id}`);
}

async function loadCampaigns(): Promise<Campaigns> {
  const quiet = <T,>(p: Promise<T>, fallback: T) => p.catch(() => fallback);
  const [slot, groupbuys, bargains] = await Promise.all([
    quiet(loadFlash(), null),
    quiet(api.get<{ items: GroupbuyActivity[] }>("/groupbuy/activities").then((r) => r.items), []),
    quiet(api.get<{ items: BargainActivity[] }>("/bargain-activities").then((r) => r.items), []),
  ]);
  return { slot, groupbuys, bargains };
}

const TILE_COLORS = ["#ff7a45", "#f759ab", "#597ef7", "#36cfc9", "#ffa940", "#73d13d", "#9254de", "#ff4d4f"];

/** 首页: search, banners, categories, the campaigns running now and a feed of products. */
export default function Home() {
  const { t } = useI18n();
  const [categories, setCategories] = useState<Category[] | null>(null);
  const [campaigns, setCampaigns] = useState<Campaigns | null>(null);
  useEffect(() => {
    void api.get<{ items: Category[] }>("/categories").then((r) => setCategories(r.items)).catch(() => setCategories([]));
    void loadCampaigns().then(setCampaigns);
  }, []);

  return (
    <div data-testid="home">
      <header style={{ background: "linear-gradient(180deg, #e02e24 0%, #f0523f 100%)", padding: "12px 12px 40px", color: "#fff" }}>
        <div style={{ display: "flex", alignItems: "center", gap: 10 }}>
          <div style={{ fontSize: 20, fontWeight: 700, letterSpacing: 1, whiteSpace: "nowrap" }}>{t("app.brand")}</div>
          <Link to="/search" data-testid="home-search" style={{ flex: 1, display: "flex", alignItems: "center", gap: 6, background: "#fff", borderRadius: 18, padding: "7px 12px", color: "#999", fontSize: 13, textDecoration: "none" }}>
            <SearchOutline />
            {t("home.searchHint")}
          </Link>
        </div>
      </header>
      <div style={{ margin: "-30px 10px 0" }}>
        <Banners campaigns={campaigns} />
      </div>
      <CategoryGrid categories={categories} />
      {campaigns?.slot && <FlashSection slot={campaigns.slot} />}
      {campaigns && campaigns.groupbuys.length > 0 && <GroupbuySection activities={campaigns.groupbuys} />}
      {campaigns && campaigns.bargains.length > 0 && <BargainSection activities={campaigns.bargains} />}
      <div style={{ display: "flex", alignItems: "center", justifyContent: "center", gap: 8, margin: "18px 0 10px", fontWeight: 600, color: "#333" }}>
        <span style={{ width: 24, height: 1, background: "#ccc" }} />
        {t("home.forYou")}
        <span style={{ width: 24, height: 1, background: "#ccc" }} />
      </div>
      <ProductFeed query={{}} />
    </div>
  );
}

interface Banner {
  key: string;
  to: string;
  title: string;
  subtitle: string;
  background: string;
  countdownTo?: string;
}

function Banners({ campaigns }: { campaigns: Campaigns | null }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const banners: Banner[] = [];
  const slot = campaigns?.slot;
  if (slot?.state === "open") banners.push({ key: "flash", to: "/flash", title: t("home.banner.flash"), subtitle: t("home.banner.flashSub"), background: "linear-gradient(120deg,#ff512f,#dd2476)", countdownTo: slot.closesAt });
  const gb = campaigns?.groupbuys[0];
  if (gb && gb.skus[0]) banners.push({ key: "groupbuy", to: `/groupbuy/${gb.id}`, title: t("home.banner.groupbuy", { n: gb.teamSize }), subtitle: gb.title, background: "linear-gradient(120deg,#f7971e,#ff5e62)" });
  const bg = campaigns?.bargains[0];
  if (bg) banners.push({ key: "bargain", to: `/bargain/${bg.id}`, title: t("home.banner.bargain"), subtitle: bg.title, background: "linear-gradient(120deg,#8e2de2,#e94057)" });
  banners.push({ key: "invite", to: "/invite", title: t("home.banner.invite"), subtitle: t("home.banner.inviteSub"), background: "linear-gradient(120deg,#ff9a44,#fc6076)" });
  banners.push({ key: "coupons", to: "/coupons", title: t("home.banner.coupons"), subtitle: t("home.banner.couponsSub"), background: "linear-gradient(120deg,#11998e,#38ef7d)" });
  return (
    <Carousel height={120} testId="home-banners">
      {banners.map((b) => (
        <div key={b.key} onClick={() => navigate(b.to)} data-testid={`banner-${b.key}`} style={{ height: "100%", background: b.background, color: "#fff", padding: "18px 20px", boxSizing: "border-box", cursor: "pointer", display: "flex", flexDirection: "column", justifyContent: "center", gap: 6 }}>
          <div style={{ fontSize: 22, fontWeight: 700 }}>{b.title}</div>
          <div style={{ fontSize: 13, opacity: 0.92 }} className="store-clamp-2">
            {b.subtitle}
            {b.countdownTo && (
              <>
                {" "}
                <LiveCountdown until={b.countdownTo} style={{ fontWeight: 600 }} />
              </>
            )}
          </div>
          <span style={{ alignSelf: "flex-start", marginTop: 4, background: "rgba(255,255,255,.25)", borderRadius: 12, padding: "2px 10px", fontSize: 12 }}>{t("home.banner.go")}</span>
        </div>
      ))}
    </Carousel>
  );
}

function CategoryGrid({ categories }: { categories: Category[] | null }) {
  const { t } = useI18n();
  const shown = (categories ?? []).slice(0, 9);
  return (
    <div className="store-card" style={{ display: "grid", gridTemplateColumns: "repeat(5, 1fr)", rowGap: 12, minHeight: 150 }} data-testid="home-categories">
      {shown.map((c, i) => (
        <Link key={c.id} to={`/search?categoryId=${c.id}&title=${encodeURIComponent(c.name)}`} style={{ textAlign: "center", color: "#333", textDecoration: "none", fontSize: 12 }}>
          <div style={{ width: 44, height: 44, margin: "0 auto 6px", borderRadius: 14, background: TILE_COLORS[i % TILE_COLORS.length], color: "#fff", fontSize: 18, fontWeight: 600, display: "flex", alignItems: "center", justifyContent: "center" }}>
            {[...c.name][0]}
          </div>
          {c.name}
        </Link>
      ))}
      {categories && (
        <Link to="/categories" style={{ textAlign: "center", color: "#333", textDecoration: "none", fontSize: 12 }}>
          <div style={{ width: 44, height: 44, margin: "0 auto 6px", borderRadius: 14, background: "#f0f0f0", color: "#666", fontSize: 18, display: "flex", alignItems: "center", justifyContent: "center" }}>⋯</div>
          {t("home.allCategories")}
        </Link>
      )}
    </div>
  );
}

function SectionTitle({ title, to, extra }: { title: string; to: string; extra?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="store-section-title">
      <span style={{ display: "flex", alignItems: "center", gap: 8 }}>
        {title}
        {extra}
      </span>
      <Link to={to} style={{ fontSize: 12, color: "#999", fontWeight: 400, textDecoration: "none" }}>
        {t("home.more")} <RightOutline />
      </Link>
    </div>
  );
}

function FlashSection({ slot }: { slot: Campaigns["slot"] & object }) {
  const { t } = useI18n();
  const running = slot.state === "open";
  return (
    <section className="store-card" data-testid="home-flash">
      <SectionTitle
        title={t("home.flash")}
        to="/flash"
        extra={
          <span style={{ fontSize: 12, fontWeight: 400, color: "#fff", background: "var(--store-red)", borderRadius: 4, padding: "1px 6px" }} data-testid="home-flash-countdown">
            {t(running ? "home.flashEndsIn" : "home.flashStartsIn")} <LiveCountdown until={running ? slot.closesAt : slot.opensAt} />
          </span>
        }
      />
      <div className="store-hscroll">
        {slot.items.map((item) => (
          <Link key={item.id} to="/flash" style={{ width: 96, flex: "none", color: "inherit", textDecoration: "none" }}>
            <ProductImage src={item.image} title={item.title ?? ""} size={96} />
            <div style={{ marginTop: 4 }}>
              <Price fen={item.flashPrice} size="sm" />
            </div>
            {item.listPrice != null && <div style={{ fontSize: 11, color: "#999", textDecoration: "line-through" }}>{yuan(item.listPrice)}</div>}
          </Link>
        ))}
      </div>
    </section>
  );
}

function GroupbuySection({ activities }: { activities: GroupbuyActivity[] }) {
  const { t } = useI18n();
  const offers = activities.flatMap((a) => (a.skus[0] ? [{ activity: a, sku: a.skus[0] }] : []));
  return (
    <section className="store-card" data-testid="home-groupbuy">
      <SectionTitle title={t("home.groupbuy")} to={`/groupbuy/${offers[0]?.activity.id ?? ""}`} />
      <div className="store-hscroll">
        {offers.map(({ activity, sku }) => (
          <Link key={activity.id} to={`/groupbuy/${activity.id}`} style={{ width: 120, flex: "none", color: "inherit", textDecoration: "none" }}>
            <ProductImage src={sku.image} title={sku.title} size={120} />
            <div className="store-clamp-2" style={{ fontSize: 12, marginTop: 4, minHeight: 32 }}>
              {activity.title}
            </div>
            <div style={{ display: "flex", alignItems: "baseline", gap: 4 }}>
              <span style={{ fontSize: 10, color: "#fff", background: "var(--store-orange)", borderRadius: 3, padding: "0 3px" }}>{t("home.teamOf", { n: activity.teamSize })}</span>
              <Price fen={sku.groupPrice} size="sm" />
            </div>
          </Link>
        ))}
      </div>
    </section>
  );
}

function BargainSection({ activities }: { activities: BargainActivity[] }) {
  const { t } = useI18n();
  return (
    <section className="store-card" data-testid="home-bargain">
      <SectionTitle title={t("home.bargain")} to={`/bargain/${activities[0].id}`} />
      {activities.slice(0, 3).map((a) => (
        <Link key={a.id} to={`/bargain/${a.id}`} style={{ display: "flex", gap: 10, padding: "8px 0", color: "inherit", textDecoration: "none", borderTop: "1px solid #f5f5f5" }}>
          <ProductImage src={a.image} title={a.title} size={72} />
          <div style={{ flex: 1, minWidth: 0, display: "flex", flexDirection: "column", justifyContent: "space-between" }}>
            <div className="store-clamp-2" style={{ fontSize: 14 }}>
              {a.title}
            </div>
            <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between" }}>
              <span style={{ fontSize: 12, color: "#666" }}>
                {t("home.bargainTo")} <Price fen={a.floorPrice} was={a.originalPrice} size="sm" />
              </span>
              <span style={{ background: "var(--store-red)", color: "#fff", borderRadius: 14, padding: "3px 12px", fontSize: 12 }}>{t("home.bargainGo")}</span>
            </div>
          </div>
        </Link>
      ))}
    </section>
  );
}
