import { useEffect, useState } from "react";
import { api } from "../api";
import { syncServerTime } from "./serverClock";
import type { BargainActivity, FlashItem, FlashSlot, GroupbuyActivity, OpenTeam, Product } from "./types";

export interface ProductCampaigns {
  /** The product's flash price in the slot running now (or the next one to open). */
  flash: { slot: FlashSlot; item: FlashItem } | null;
  /** A group buy selling one of its SKUs, at its lowest group price, with teams one can still join. */
  groupbuy: { activity: GroupbuyActivity; groupPrice: number; teams: OpenTeam[] } | null;
  bargain: BargainActivity | null;
}

const NONE: ProductCampaigns = { flash: null, groupbuy: null, bargain: null };

async function flashOffer(skuIds: Set<string>): Promise<ProductCampaigns["flash"]> {
  const now = await api.get<{ serverTime: string; slots: FlashSlot[] }>("/flash/now");
  syncServerTime(now.serverTime);
  const live = now.slots.filter((s) => s.state !== "ended").sort((a, b) => (a.state === "open" ? -1 : b.state === "open" ? 1 : 0));
  for (const slot of live) {
    const view = await api.get<FlashSlot & { items: FlashItem[] }>(`/flash/slots/${slot.id}`);
    const item = view.items.find((i) => skuIds.has(i.skuId));
    if (item) return { slot: view, item };
  }
  return null;
}

async function groupbuyOffer(productId: string): Promise<ProductCampaigns["groupbuy"]> {
  const { items } = await api.get<{ items: GroupbuyActivity[] }>("/groupbuy/activities");
  const activity = items.find((a) => a.skus.some((s) => s.productId === productId));
  if (!activity) return null;
  const detail = await api.get<{ openTeams: OpenTeam[] }>(`/groupbuy/activities/${activity.id}`);
  const groupPrice = Math.min(...activity.skus.filter((s) => s.productId === productId).map((s) => s.groupPrice));
  return { activity, groupPrice, teams: detail.openTeams };
}

async function bargainOffer(productId: string): Promise<BargainActivity | null> {
  const { items } = await api.get<{ items: BargainActivity[] }>("/bargain-activities");
  return items.find((a) => a.productId === productId && a.unitsLeft > 0) ?? null;
}

/** The campaigns a product page leads into: each looked up on its own, so one failing hides only itself. */
export function useProductCampaigns(product: Product | null): ProductCampaigns {
  const [campaigns, setCampaigns] = useState<ProductCampaigns>(NONE);
  const id = product?.id;
  useEffect(() => {
    setCampaigns(NONE);
    if (!product) return;
    let live = true;
    const skuIds = new Set(product.skus.map((s) => s.id));
    const set = (patch: Partial<ProductCampaigns>) => live && setCampaigns((c) => ({ ...c, ...patch }));
    flashOffer(skuIds).then((flash) => set({ flash }), () => undefined);
    groupbuyOffer(product.id).then((groupbuy) => set({ groupbuy }), () => undefined);
    bargainOffer(product.id).then((bargain) => set({ bargain }), () => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return campaigns;
}
