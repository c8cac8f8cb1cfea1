import type { Deps } from "../../deps.js";
import { systemActor } from "../../platform/auth/principal.js";
import type { Db } from "../../platform/db/database.js";
import { AppError } from "../../platform/errors.js";
import { getActivity as bargainActivity } from "../bargain/activities.service.js";
import { CAMPAIGN as BARGAIN, activityOfBargain } from "../bargain/bargains.service.js";
import { getTemplate } from "../coupons/coupon-templates.service.js";
import { CAMPAIGN as FLASH, slotOfAttempt } from "../flashsale/attempts.service.js";
import { slotView } from "../flashsale/slots.service.js";
import { getActivity as groupbuyActivity } from "../groupbuy/activities.service.js";
import { CAMPAIGN as GROUPBUY, activityOfMember } from "../groupbuy/teams.service.js";
import { activityRow as lotteryActivity } from "../lottery/activities.service.js";

/** Campaign ids carry their kind in the prefix; each kind's module knows the campaign's name. */
const KINDS: Record<string, { type: string; name: (deps: Deps, id: string) => Promise<string> }> = {
  gba: { type: "groupbuy", name: async (deps, id) => (await groupbuyActivity(deps, id)).title },
  bga: { type: "bargain", name: async (deps, id) => (await bargainActivity(deps, id)).title },
  lot: { type: "lottery", name: async (deps, id) => (await lotteryActivity(deps, id)).title },
  fss: { type: "flashsale", name: async (deps, id) => (await slotView(deps, id, { staff: true })).title },
  cpt: { type: "coupon", name: async (deps, id) => (await getTemplate(deps, systemActor, id)).name },
};

export interface CampaignLabel {
  campaignType: string;
  name: string;
}

/** Type and name of each campaign; one that no longer exists (or is of an unknown kind) shows its id. */
export async function campaignLabels(deps: Deps, ids: string[]): Promise<Map<string, CampaignLabel>> {
  const labels = new Map<string, CampaignLabel>();
  for (const id of ids) {
    const kind = KINDS[id.split("_")[0]];
    let name = id;
    if (kind) {
      try {
        name = await kind.name(deps, id);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 404) throw err;
      }
    }
    labels.set(id, { campaignType: kind?.type ?? "campaign", name });
  }
  return labels;
}

/**
 * An order placed through a campaign module carries that module's own reference, which may name one
 * purchase rather than the campaign (a flash order names its attempt); each kind that can answer turns
 * it into the campaign id the report groups by.
 */
const ORDER_CAMPAIGNS: Record<string, (db: Db, ref: string) => Promise<string | null>> = {
  [FLASH]: slotOfAttempt,
  [GROUPBUY]: activityOfMember,
  [BARGAIN]: activityOfBargain,
};

/** The campaign an order was placed in, by the order's own campaign reference; null when there is none to report. */
export async function orderCampaignId(db: Db, campaign: { type: string; ref: string } | null | undefined): Promise<string | null> {
  const resolve = campaign?.ref ? ORDER_CAMPAIGNS[campaign.type] : undefined;
  return resolve ? resolve(db, campaign!.ref) : null;
}
