import type { Module } from "../module.js";
import { cartModule } from "./cart/index.js";
import { identityModule } from "./identity/index.js";
import { merchantsModule } from "./merchants/index.js";
import { catalogModule } from "./catalog/index.js";
import { inventoryModule } from "./inventory/index.js";
import { ordersModule } from "./orders/index.js";
import { paymentsModule } from "./payments/index.js";
import { shippingModule } from "./shipping/index.js";
import { aftersalesModule } from "./aftersales/index.js";
import { mediaModule } from "./media/index.js";
import { reviewsModule } from "./reviews/index.js";

/** Every capability, in dependency order. A new module is added here and nowhere else. */
export const modules: Module[] = [identityModule, merchantsModule, catalogModule, inventoryModule, cartModule, ordersModule, paymentsModule, shippingModule, aftersalesModule, mediaModule, reviewsModule];
