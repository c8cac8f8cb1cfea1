/** The API's shapes this part of the console reads (money in fen, times as ISO strings). */

export type ProductStatus = "draft" | "on_sale" | "off_sale";
export type ProductRole = "basic" | "profit" | "value_added";

export interface Sku {
  id: string;
  code: string;
  specs: Record<string, string>;
  price: number;
  weightGrams: number;
  status: "active" | "inactive";
  components: { skuId: string; qty: number }[];
}

export interface Product {
  id: string;
  merchantId: string;
  categoryId: string;
  kind: "standard" | "bundle";
  title: string;
  subtitle: string;
  description: string;
  images: string[];
  role: ProductRole;
  afterSaleExempt: boolean;
  status: ProductStatus;
  tags: string[];
  priceFrom: number | null;
  createdAt: string;
  updatedAt: string;
  skus: Sku[];
}

export interface CategoryNode {
  id: string;
  parentId: string | null;
  name: string;
  icon: string | null;
  children: CategoryNode[];
}

export interface Attribute {
  id: string;
  name: string;
  values: string[];
}

export interface Warehouse {
  id: string;
  name: string;
  merchantId: string | null;
  isDefault: boolean;
}

export interface StockLevel {
  skuId: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface StockMovement {
  id: string;
  skuId: string;
  warehouseId: string;
  deltaOnHand: number;
  deltaReserved: number;
  reason: "reservation" | "release" | "sale" | "return" | "adjustment" | "receipt";
  ref: string | null;
  note: string | null;
  at: string;
}

export type OrderStatus = "pending_payment" | "paid" | "partially_shipped" | "shipped" | "delivered" | "completed" | "cancelled" | "closed";

export interface OrderSummary {
  id: string;
  userId: string;
  merchantId: string;
  status: OrderStatus;
  payable: number;
  refundedAmount: number;
  recipient: string;
  createdAt: string;
  paidAt: string | null;
  campaign: { type: string; ref: string } | null;
  items: { title: string; image: string | null; qty: number }[];
}

export interface OrderItem {
  id: string;
  skuId: string;
  productId: string;
  title: string;
  specs: Record<string, string>;
  image: string | null;
  unitPrice: number;
  listPrice: number;
  qty: number;
  lineTotal: number;
  refundedQty: number;
}

export interface Order {
  id: string;
  checkoutId: string;
  userId: string;
  merchantId: string;
  channel: string;
  status: OrderStatus;
  itemsTotal: number;
  shippingFee: number;
  discountTotal: number;
  payable: number;
  refundedAmount: number;
  note: string | null;
  address: { recipient: string; phone: string; province: string; city: string; district: string; detail: string; postalCode: string | null };
  paymentId: string | null;
  campaign: { type: string; ref: string } | null;
  fulfilmentHold: string | null;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  closedAt: string | null;
  items: OrderItem[];
  adjustments: { type: string; label: string; amount: number }[];
  timeline: { event: string; from: string | null; to: string; actorKind: string; note: string | null; at: string }[];
}

export interface Shipment {
  id: string;
  orderId: string;
  carrier: { code: string; name: string };
  trackingNo: string;
  status: "in_transit" | "delivered";
  createdAt: string;
  deliveredAt: string | null;
  items: { orderItemId: string; skuId: string; qty: number }[];
  events: { at: string; status: string; location: string | null; description: string }[];
}

export interface Payment {
  id: string;
  status: string;
  provider: string;
  amount: number;
  paidAt: string | null;
  createdAt: string;
}

export interface Refund {
  id: string;
  orderId: string;
  amount: number;
  status: string;
  reason: string | null;
  createdAt: string;
}

export type AftersaleType = "refund_only" | "return_refund" | "exchange" | "repair";
export type AftersaleStatus = "requested" | "approved" | "rejected" | "awaiting_return" | "returned" | "refunded" | "reshipped" | "repaired" | "cancelled";

export interface Aftersale {
  id: string;
  orderId: string;
  userId: string;
  merchantId: string;
  type: AftersaleType;
  status: AftersaleStatus;
  reason: { code: string; label: string };
  description: string;
  photos: string[];
  refundAmount: number;
  itemsShare: number;
  refundId: string | null;
  items: { orderItemId: string; skuId: string; title: string; qty: number }[];
  returnShipment: { carrier: string; trackingNo: string } | null;
  reshipment: { carrier: string; trackingNo: string } | null;
  rejectReason: string | null;
  createdAt: string;
  updatedAt: string;
  history: { event: string; from: string | null; to: string; actorKind: string; note: string | null; at: string }[];
}

export interface AftersaleTransition {
  event: string;
  types: AftersaleType[];
  from: AftersaleStatus[];
  to: AftersaleStatus;
}

export interface Review {
  id: string;
  productId: string;
  skuId: string;
  orderId: string;
  rating: number;
  text: string;
  photos: string[];
  author: string;
  anonymous: boolean;
  reply: string | null;
  repliedAt: string | null;
  status: "visible" | "hidden";
  hiddenReason: string | null;
  createdAt: string;
}

export interface RiskReview {
  id: string;
  subjectType: "reward" | "commission" | "withdrawal";
  subjectId: string;
  score: number;
  reasons: string[];
  status: "pending" | "approved" | "rejected";
  note: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface AuditEntry {
  id: string;
  actorId: string | null;
  actorName: string | null;
  actorKind: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  at: string;
}
