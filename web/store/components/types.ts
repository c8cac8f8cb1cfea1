/** The API's shapes as the store pages read them (money in integer fen, times as ISO strings). */

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  icon: string | null;
  children: Category[];
}

export interface ProductCard {
  id: string;
  merchantId: string;
  title: string;
  subtitle: string;
  image: string | null;
  priceFrom: number;
  tags: string[];
}

export interface Sku {
  id: string;
  code: string;
  specs: Record<string, string>;
  listPrice: number;
  price: number;
  memberPrice: number | null;
  stock: number;
}

export interface Storefront {
  id: string;
  storeName: string;
  logo: string | null;
  selfOperated: boolean;
}

export interface Product extends Omit<ProductCard, "image"> {
  kind: "standard" | "bundle";
  description: string;
  images: string[];
  afterSaleExempt: boolean;
  merchant: Storefront;
  specs: { name: string; values: string[] }[];
  skus: Sku[];
}

export interface Review {
  id: string;
  rating: number;
  text: string;
  photos: string[];
  author: string;
  reply: string | null;
  createdAt: string;
}

export interface ReviewPage extends Paged<Review> {
  summary: { count: number; average: number | null; withPhotos: number };
}

export interface CartItem {
  skuId: string;
  qty: number;
  selected: boolean;
  productId: string;
  merchantId: string;
  title: string;
  specs: Record<string, string>;
  image: string | null;
  unitPrice: number;
  available: number;
  purchasable: boolean;
}

export interface Cart {
  items: CartItem[];
  selectedTotal: number;
}

export interface Address {
  id: string;
  recipient: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postalCode?: string | null;
  isDefault: boolean;
}

export interface Adjustment {
  type: string;
  label: string;
  amount: number;
}

export interface CheckoutLine {
  skuId: string;
  productId: string;
  title: string;
  specs: Record<string, string>;
  image: string | null;
  unitPrice: number;
  listPrice: number;
  qty: number;
  lineTotal: number;
}

export interface CheckoutPreview {
  parts: { merchantId: string; lines: CheckoutLine[]; itemsTotal: number; adjustments: Adjustment[]; payable: number }[];
  itemsTotal: number;
  shippingFee: number;
  discountTotal: number;
  payable: number;
}

export type OrderStatus = "pending_payment" | "paid" | "partially_shipped" | "shipped" | "delivered" | "completed" | "cancelled" | "closed";

export interface OrderItem extends CheckoutLine {
  id: string;
  afterSaleExempt: boolean;
  refundedQty: number;
}

export interface Order {
  id: string;
  merchantId: string;
  status: OrderStatus;
  itemsTotal: number;
  shippingFee: number;
  discountTotal: number;
  payable: number;
  refundedAmount: number;
  note: string | null;
  campaign: { type: string; ref: string } | null;
  fulfilmentHold: string | null;
  createdAt: string;
  expiresAt: string | null;
  paidAt: string | null;
  shippedAt: string | null;
  completedAt: string | null;
  address: Omit<Address, "id" | "isDefault">;
  items: OrderItem[];
  adjustments: Adjustment[];
  timeline: { event: string; from: string | null; to: string; actorKind: string; note: string | null; at: string }[];
}

/** An order as lists show it: its lines reduced to what a card draws. */
export interface OrderSummary extends Omit<Order, "items" | "adjustments" | "timeline" | "address"> {
  items: { title: string; image: string | null; qty: number }[];
}

export interface Shipment {
  id: string;
  carrier: { code: string; name: string };
  trackingNo: string;
  status: string;
  createdAt: string;
  items: { orderItemId: string; qty: number }[];
  events: { at: string; status: string; location: string | null; description: string }[];
}

export interface Coupon {
  id: string;
  name: string;
  kind: "fixed" | "percent" | "threshold" | "free_shipping";
  amount: number | null;
  percentOff: number | null;
  maxOff: number | null;
  threshold: number;
  merchantId: string | null;
  validUntil: string;
}

export interface FlashSlot {
  id: string;
  title: string;
  opensAt: string;
  closesAt: string;
  state: "upcoming" | "open" | "ended";
}

export interface FlashItem {
  id: string;
  skuId: string;
  flashPrice: number;
  stock: number;
  remaining: number | null;
  title: string | null;
  image: string | null;
  listPrice: number | null;
}

export interface GroupbuyActivity {
  id: string;
  title: string;
  teamSize: number;
  endsAt: string;
  skus: { skuId: string; productId: string; title: string; image: string | null; listPrice: number; groupPrice: number; leaderPrice: number; stockLeft: number }[];
}

export interface OpenTeam {
  id: string;
  size: number;
  seatsLeft: number;
  deadlineAt: string;
  members: { displayName: string }[];
}

export interface BargainActivity {
  id: string;
  title: string;
  skuId: string;
  productId: string;
  image: string | null;
  originalPrice: number;
  floorPrice: number;
  helpersNeeded: number;
  unitsLeft: number;
  endsAt: string;
}

export interface ShareIntro {
  token: string;
  sharerName: string;
  targetType: string;
  targetId: string;
  campaignId: string | null;
}
