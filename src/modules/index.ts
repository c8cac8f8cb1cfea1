import type { Module } from "../module.js";
import { cartModule } from "./cart/index.js";
import { identityModule } from "./identity/index.js";
import { merchantsModule } from "./merchants/index.js";
import { catalogModule } from "./catalog/index.js";
import { inventoryModule } from "./inventory/index.js";
import { ordersModule } from "./orders/index.js";
import { groupbuyModule } from "./groupbuy/index.js";
import { bargainModule } from "./bargain/index.js";
import { lotteryModule } from "./lottery/index.js";
import { flashsaleModule } from "./flashsale/index.js";
import { paymentsModule } from "./payments/index.js";
import { shippingModule } from "./shipping/index.js";
import { aftersalesModule } from "./aftersales/index.js";
import { mediaModule } from "./media/index.js";
import { reviewsModule } from "./reviews/index.js";
import { referralModule } from "./referral/index.js";
import { sharingModule } from "./sharing/index.js";
import { postersModule } from "./posters/index.js";
import { promotionsModule } from "./promotions/index.js";
import { couponsModule } from "./coupons/index.js";
import { distributionModule } from "./distribution/index.js";
import { riskModule } from "./risk/index.js";
import { rewardsModule } from "./rewards/index.js";
import { analyticsModule } from "./analytics/index.js";

/** Every capability, in dependency order. A new module is added here and nowhere else. */
export const modules: Module[] = [identityModule, merchantsModule, catalogModule, inventoryModule, cartModule, ordersModule, groupbuyModule, bargainModule, lotteryModule, flashsaleModule, paymentsModule, shippingModule, aftersalesModule, mediaModule, reviewsModule, referralModule, sharingModule, postersModule, riskModule, promotionsModule, couponsModule, distributionModule, rewardsModule, analyticsModule];
