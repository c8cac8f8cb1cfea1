import type { IdentityTables } from "./modules/identity/identity.tables.js";
import type { MerchantsTables } from "./modules/merchants/merchants.tables.js";
import type { CatalogTables } from "./modules/catalog/catalog.tables.js";
import type { InventoryTables } from "./modules/inventory/inventory.tables.js";
import type { CartTables } from "./modules/cart/cart.tables.js";
import type { OrdersTables } from "./modules/orders/orders.tables.js";
import type { PaymentsTables } from "./modules/payments/payments.tables.js";
import type { ShippingTables } from "./modules/shipping/shipping.tables.js";
import type { AftersalesTables } from "./modules/aftersales/aftersales.tables.js";
import type { MediaTables } from "./modules/media/media.tables.js";
import type { ReviewsTables } from "./modules/reviews/reviews.tables.js";
import type { ReferralTables } from "./modules/referral/referral.tables.js";
import type { SharingTables } from "./modules/sharing/sharing.tables.js";
import type { PostersTables } from "./modules/posters/posters.tables.js";
import type { PromotionsTables } from "./modules/promotions/promotions.tables.js";
import type { CouponsTables } from "./modules/coupons/coupons.tables.js";
import type { DistributionTables } from "./modules/distribution/distribution.tables.js";
import type { RiskTables } from "./modules/risk/risk.tables.js";
import type { RewardsTables } from "./modules/rewards/rewards.tables.js";
import type { FlashsaleTables } from "./modules/flashsale/flashsale.tables.js";
import type { GroupbuyTables } from "./modules/groupbuy/groupbuy.tables.js";
import type { BargainTables } from "./modules/bargain/bargain.tables.js";
import type { LotteryTables } from "./modules/lottery/lottery.tables.js";
import type { AnalyticsTables } from "./modules/analytics/analytics.tables.js";
import type { PlatformTables } from "./platform/tables.js";

/**
 * The whole schema as Kysely sees it: the platform's tables plus each module's own. A module reads and
 * writes only the tables it declares; it reaches other modules through their service functions.
 */
export interface Database extends PlatformTables, IdentityTables, MerchantsTables, CatalogTables, InventoryTables, CartTables, OrdersTables, PaymentsTables, ShippingTables, AftersalesTables, MediaTables, ReviewsTables, ReferralTables, SharingTables, PostersTables, PromotionsTables, CouponsTables, DistributionTables, RiskTables, RewardsTables, FlashsaleTables, GroupbuyTables, BargainTables, LotteryTables, AnalyticsTables {}
