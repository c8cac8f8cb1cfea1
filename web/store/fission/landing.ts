/**
 * The store page for a shared id, by its prefix: a campaign share (`/campaigns/<id>`) names the activity
 * it promotes (a group buy, a bargain, a lucky draw, a flash slot, a coupon), which has its own page.
 */
const PAGES: Record<string, (id: string) => string> = {
  prd: (id) => `/products/${id}`,
  gba: (id) => `/groupbuy/${id}`,
  gbt: (id) => `/teams/${id}`,
  bga: (id) => `/bargain/${id}`,
  bgn: (id) => `/bargains/${id}`,
  lot: (id) => `/lottery/${id}`,
  fss: () => "/flash",
  cpt: (id) => `/coupons/${id}`,
  mch: (id) => `/stores/${id}`,
};

/** The page of a shared id, carrying the share token on; null for an id no page shows. */
export function landingFor(id: string, search: URLSearchParams): string | null {
  const page = PAGES[id.split("_")[0]];
  if (!page) return null;
  const qs = search.toString();
  return qs ? `${page(id)}?${qs}` : page(id);
}
