import { lazy, type ComponentType, type LazyExoticComponent } from "react";

/** One page of the console: where it lives, what it is called, and who may open it. */
export interface NavPage {
  path: string;
  /** i18n key of the menu label. */
  label: string;
  group: "overview" | "growth" | "operations" | "campaigns" | "system";
  /** The operator permission the page's API calls need (admin implies all). */
  permission?: string;
  /** Merchant staff see this page, scoped by the API to their own store. */
  merchant?: boolean;
  component: LazyExoticComponent<ComponentType>;
}

/** The console's map: the menu, the routes and the role filter all read this one list. */
export const PAGES: NavPage[] = [
  { path: "/dashboard", label: "nav.dashboard", group: "overview", permission: "users", component: lazy(() => import("./pages/growth/Dashboard")) },
  { path: "/growth/funnels", label: "nav.funnels", group: "growth", permission: "users", component: lazy(() => import("./pages/growth/Funnels")) },
  { path: "/growth/cohorts", label: "nav.cohorts", group: "growth", permission: "users", component: lazy(() => import("./pages/growth/Cohorts")) },
  { path: "/growth/campaigns", label: "nav.campaignReport", group: "growth", permission: "users", component: lazy(() => import("./pages/growth/CampaignReport")) },
  { path: "/growth/leaderboards", label: "nav.leaderboards", group: "growth", permission: "users", component: lazy(() => import("./pages/growth/Leaderboards")) },
  { path: "/growth/invite-tree", label: "nav.inviteTree", group: "growth", permission: "users", component: lazy(() => import("./pages/growth/InviteTree")) },
  { path: "/ops/products", label: "nav.products", group: "operations", permission: "catalog", merchant: true, component: lazy(() => import("./pages/ops/Products")) },
  { path: "/ops/stock", label: "nav.stock", group: "operations", permission: "catalog", merchant: true, component: lazy(() => import("./pages/ops/Stock")) },
  { path: "/ops/orders", label: "nav.orders", group: "operations", permission: "orders", merchant: true, component: lazy(() => import("./pages/ops/Orders")) },
  { path: "/ops/aftersales", label: "nav.aftersales", group: "operations", permission: "aftersales", merchant: true, component: lazy(() => import("./pages/ops/Aftersales")) },
  { path: "/ops/reviews", label: "nav.reviews", group: "operations", permission: "orders", merchant: true, component: lazy(() => import("./pages/ops/Reviews")) },
  { path: "/campaigns/groupbuy", label: "nav.groupbuy", group: "campaigns", permission: "catalog", component: lazy(() => import("./pages/campaigns/Groupbuy")) },
  { path: "/campaigns/bargains", label: "nav.bargains", group: "campaigns", permission: "catalog", component: lazy(() => import("./pages/campaigns/Bargains")) },
  { path: "/campaigns/flash", label: "nav.flash", group: "campaigns", permission: "catalog", component: lazy(() => import("./pages/campaigns/Flash")) },
  { path: "/campaigns/lottery", label: "nav.lottery", group: "campaigns", permission: "catalog", component: lazy(() => import("./pages/campaigns/Lottery")) },
  { path: "/campaigns/coupons", label: "nav.coupons", group: "campaigns", permission: "catalog", merchant: true, component: lazy(() => import("./pages/campaigns/Coupons")) },
  { path: "/campaigns/rewards", label: "nav.rewardRules", group: "campaigns", permission: "users", component: lazy(() => import("./pages/campaigns/RewardRules")) },
  { path: "/campaigns/distribution", label: "nav.distribution", group: "campaigns", permission: "finance", component: lazy(() => import("./pages/campaigns/Distribution")) },
  { path: "/system/risk", label: "nav.risk", group: "system", permission: "users", component: lazy(() => import("./pages/ops/Risk")) },
  { path: "/system/exports", label: "nav.exports", group: "system", permission: "users", component: lazy(() => import("./pages/growth/Exports")) },
  { path: "/system/audit", label: "nav.audit", group: "system", permission: "audit", component: lazy(() => import("./pages/ops/Audit")) },
];
