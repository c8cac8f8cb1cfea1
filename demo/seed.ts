import type { Deps } from "../src/deps.js";
import { reconcile } from "../src/modules/flashsale/reconcile.js";
import { systemActor } from "../src/platform/auth/principal.js";
import { DAY, HOUR } from "../src/platform/clock.js";
import { createAdmin, createStaff, DEMO_ACCOUNTS, type DemoAccount, demoState, signUpDemoConsumers } from "./accounts.js";
import { launchCampaigns, liveFlashSlots } from "./campaigns.js";
import { seedDemoCatalog } from "./catalog.js";
import { Crowd } from "./crowd.js";
import { Dice } from "./dice.js";
import { HISTORY_DAYS, type HistorySummary, playHistory, shanghaiMidnight } from "./history.js";
import { wirePast } from "./past.js";

export { DEMO_ACCOUNTS, type DemoAccount };

export interface SeedOptions {
  /**
   * Play the eight weeks before now (default): sign-ups, orders, shares, group buys, bargains, rewards
   * and commissions, so every report has something to show. Off, the store opens with its catalog,
   * accounts and live campaigns only — what browser tests want, quickly.
   */
  history?: boolean;
}

/**
 * Loads the demo store into an empty database and returns the demo accounts to print. A database that
 * already has the admin account (created last) is left alone.
 *
 * Everything goes through the modules' own services, on a second wiring of the application whose clock
 * starts in the past and walks up to now, so what happened carries the dates it happened on and every
 * outbox event and job ran as it would have.
 */
export async function seedDemoStore(deps: Deps, opts: SeedOptions = {}): Promise<DemoAccount[]> {
  const state = await demoState(deps);
  if (state === "loaded") return DEMO_ACCOUNTS;
  if (state === "partial") throw new Error("the demo store of an earlier start was not loaded completely (interrupted?): start from an empty database, or set LIEBIAN_DEMO_DATA=0");
  const started = Date.now();
  const history = opts.history ?? true;
  if (history) deps.log.info("loading the demo store and its eight weeks of history (a first start takes a little while)");
  const now = deps.clock.now();
  // Without history the clock still starts a little early, so the running flash sale can be set up before it opens.
  const from = history ? new Date(shanghaiMidnight(now).getTime() - (HISTORY_DAYS - 1) * DAY) : new Date(now.getTime() - 2 * HOUR);
  const past = await wirePast(deps, from);
  let played: HistorySummary | undefined;
  try {
    const catalog = await past.deps.db.transaction().execute((trx) => seedDemoCatalog(past.deps, trx));
    const staff = await createStaff(past.deps, catalog);
    const campaigns = await launchCampaigns(past.deps, systemActor, catalog, { from, now });
    const dice = new Dice(20261130);
    const crowd = new Crowd(dice);
    const demo = await signUpDemoConsumers(past.deps, crowd, staff.support);
    if (history) {
      played = await playHistory(past, { catalog, campaigns, staff, demo, crowd, dice }, now);
    } else {
      await liveFlashSlots(past.deps, systemActor, catalog, now);
      await past.walkTo(now);
    }
    await createAdmin(past.deps);
  } finally {
    await past.close();
  }
  // The flash sales' units were counted by the past's counter until now; the server's own takes over.
  await reconcile(deps, deps.db, { repair: true });
  if (played) deps.log.info({ ...played, days: HISTORY_DAYS, seconds: (Date.now() - started) / 1000 }, "demo store loaded with its history");
  return DEMO_ACCOUNTS;
}
