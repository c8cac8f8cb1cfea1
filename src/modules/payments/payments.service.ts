import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, badRequest, notFound } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import { markOrdersPaid, payableOrders } from "../orders/orders.service.js";
import { nextPaymentStatus, type PaymentStatus } from "./payment-machine.js";
import type { NotificationOutcome, PaymentsTables } from "./payments.tables.js";
import { NotificationRejected, type ParsedNotification, type PaymentAction, type PaymentProvider, type ProviderAck, type ProviderName, ProviderError, type RawNotification } from "./providers/provider.js";

type PaymentRow = PaymentsTables["payments"];

export function providerOf(deps: Deps, name: string): PaymentProvider {
  const provider = deps.adapters.payments[name as ProviderName];
  if (!provider) throw badRequest("provider_unavailable", `payment provider ${name} is not configured here`, [{ field: "provider", message: "not configured" }]);
  return provider;
}

export interface PaymentView {
  id: string;
  userId: string;
  provider: ProviderName;
  amount: number;
  status: PaymentStatus;
  providerTxnId: string | null;
  orders: { orderId: string; amount: number }[];
  createdAt: Date;
  paidAt: Date | null;
}

function view(p: PaymentRow, orders: { order_id: string; amount: number }[]): PaymentView {
  return {
    id: p.id,
    userId: p.user_id,
    provider: p.provider,
    amount: p.amount,
    status: p.status,
    providerTxnId: p.provider_txn_id,
    orders: orders.map((o) => ({ orderId: o.order_id, amount: o.amount })),
    createdAt: p.created_at,
    paidAt: p.paid_at,
  };
}

/**
 * Starts paying the caller's orders in one payment. Asking again for the same orders with the same
 * provider while unpaid reuses the payment (providers accept the same out_trade_no again), so a buyer
 * who returns to the pay step does not accumulate payments.
 */
export async function startPayment(
  deps: Deps,
  userId: string,
  input: { orderIds: string[]; provider: string; openid?: string; ip?: string },
): Promise<{ paymentId: string; amount: number; provider: ProviderName; action: PaymentAction }> {
  const provider = providerOf(deps, input.provider);
  const orderIds = [...new Set(input.orderIds)].sort();
  const payment = await deps.db.transaction().execute(async (trx) => {
    const owed = await payableOrders(trx, userId, orderIds);
    const amount = owed.reduce((s, o) => s + o.payable, 0);
    if (amount <= 0) throw badRequest("nothing_to_pay", "these orders have nothing left to pay");
    const reusable = await openPaymentFor(trx, userId, provider.name, owed);
    if (reusable) return { id: reusable, amount };
    const id = newId("pay");
    await trx.insertInto("payments").values({ id, user_id: userId, provider: provider.name, amount, status: "created", provider_txn_id: null, payer_hash: null, created_at: deps.clock.now(), paid_at: null }).execute();
    await trx.insertInto("payment_orders").values(owed.map((o) => ({ payment_id: id, order_id: o.orderId, amount: o.payable }))).execute();
    return { id, amount };
  });
  const description = orderIds.length === 1 ? `订单 ${orderIds[0]}` : `订单 ${orderIds[0]} 等 ${orderIds.length} 笔`;
  try {
    const action = await provider.createPayment({ paymentId: payment.id, amount: payment.amount, description, payer: { openid: input.openid, ip: input.ip } });
    return { paymentId: payment.id, amount: payment.amount, provider: provider.name, action };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    deps.log.error({ err, paymentId: payment.id }, "payment provider refused to start a payment");
    throw new AppError(502, "provider_error", `${provider.name} could not start the payment; try again`, { paymentId: payment.id });
  }
}

/** An unpaid payment of this user and provider over exactly these orders and amounts, if one exists. */
async function openPaymentFor(trx: Db, userId: string, provider: ProviderName, owed: { orderId: string; payable: number }[]): Promise<string | undefined> {
  const candidates = await trx
    .selectFrom("payments")
    .innerJoin("payment_orders", "payment_orders.payment_id", "payments.id")
    .select("payments.id")
    .where("payments.user_id", "=", userId)
    .where("payments.provider", "=", provider)
    .where("payments.status", "=", "created")
    .where("payment_orders.order_id", "=", owed[0].orderId)
    .execute();
  for (const { id } of candidates) {
    const lines = await trx.selectFrom("payment_orders").select(["order_id", "amount"]).where("payment_id", "=", id).orderBy("order_id").execute();
    if (lines.length === owed.length && lines.every((l, i) => l.order_id === owed[i].orderId && l.amount === owed[i].payable)) return id;
  }
  return undefined;
}

/** One payment; a buyer sees only their own (anyone else gets "not found"). */
export async function getPayment(deps: Deps, paymentId: string, viewer: { userId: string } | "operator"): Promise<PaymentView> {
  const p = await deps.db.selectFrom("payments").selectAll().where("id", "=", paymentId).executeTakeFirst();
  if (!p || (viewer !== "operator" && p.user_id !== viewer.userId)) throw notFound("payment");
  const orders = await deps.db.selectFrom("payment_orders").select(["order_id", "amount"]).where("payment_id", "=", paymentId).orderBy("order_id").execute();
  return view(p, orders);
}

export async function listPayments(deps: Deps, q: { status?: PaymentStatus; provider?: ProviderName; limit: number; after?: string }) {
  let query = deps.db.selectFrom("payments").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.provider) query = query.where("provider", "=", q.provider);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const orders = rows.length ? await deps.db.selectFrom("payment_orders").selectAll().where("payment_id", "in", rows.map((r) => r.id)).orderBy("order_id").execute() : [];
  const items = rows.slice(0, q.limit).map((r) => view(r, orders.filter((o) => o.payment_id === r.id)));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

/** Whether two users have each paid from one and the same provider account. */
export async function sharePayer(db: Db, userA: string, userB: string): Promise<boolean> {
  const row = await db
    .selectFrom("payments as a")
    .innerJoin("payments as b", "b.payer_hash", "a.payer_hash")
    .select("a.id")
    .where("a.user_id", "=", userA)
    .where("b.user_id", "=", userB)
    .where("a.payer_hash", "is not", null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every notification received for a payment, oldest first (finance reads these when a payment is disputed). */
export async function notificationsOf(deps: Deps, paymentId: string) {
  const rows = await deps.db
    .selectFrom("payment_notifications")
    .select(["id", "provider", "verified", "outcome", "reason", "received_at"])
    .where("payment_id", "=", paymentId)
    .orderBy("id")
    .execute();
  return rows.map((n) => ({ id: n.id, provider: n.provider, verified: n.verified, outcome: n.outcome, reason: n.reason, receivedAt: n.received_at }));
}

async function logNotification(
  db: Db,
  at: Date,
  provider: string,
  req: RawNotification,
  entry: { verified: boolean; outcome: NotificationOutcome; reason?: string; paymentId?: string },
): Promise<void> {
  await db
    .insertInto("payment_notifications")
    .values({
      id: newId("pnt"),
      provider,
      verified: entry.verified,
      outcome: entry.outcome,
      reason: entry.reason ?? null,
      payment_id: entry.paymentId ?? null,
      headers: JSON.stringify(req.headers),
      body: req.rawBody,
      received_at: at,
    })
    .execute();
}

/**
 * Processes a provider's notification: verify it, then, in one transaction holding the payment's row
 * lock, apply it at most once. A forged or tampered notification is refused and logged; a replay is
 * acknowledged and changes nothing; a different amount flags the payment and pays no order.
 */
export async function handleNotification(deps: Deps, providerName: string, req: RawNotification): Promise<ProviderAck> {
  const provider = deps.adapters.payments[providerName as ProviderName];
  if (!provider) throw notFound(`payment provider ${providerName}`);
  const now = deps.clock.now();
  let parsed: ParsedNotification;
  try {
    parsed = await provider.parseNotification(req);
  } catch (err) {
    const reason = err instanceof NotificationRejected ? err.message : `unreadable: ${(err as Error).message}`;
    deps.log.warn({ provider: providerName, reason }, "payment notification rejected");
    await logNotification(deps.db, now, providerName, req, { verified: false, outcome: "rejected", reason });
    return provider.ack(false);
  }

  try {
    const outcome = await deps.db.transaction().execute(async (trx) => {
      const payment = await trx.selectFrom("payments").selectAll().where("id", "=", parsed.paymentId).forUpdate().executeTakeFirst();
      const record = (outcome: NotificationOutcome, reason?: string) =>
        logNotification(trx, now, providerName, req, { verified: true, outcome, reason, paymentId: parsed.paymentId }).then(() => outcome);
      if (!payment || payment.provider !== provider.name) return record("unknown_payment", "no such payment for this provider");
      if (payment.status === "succeeded" || payment.status === "amount_mismatch") return record("replayed", `payment is already ${payment.status}`);
      if (!parsed.success) {
        if (payment.status !== "created") return record("replayed", `payment is already ${payment.status}`);
        await trx.updateTable("payments").set({ status: nextPaymentStatus(payment.status, "fail") }).where("id", "=", payment.id).execute();
        return record("failed", "the provider reports the trade as not paid");
      }
      const payer_hash = parsed.payerId ? deps.cipher.hash(`${provider.name}:${parsed.payerId}`) : null;
      if (parsed.amount !== payment.amount) {
        const status = nextPaymentStatus(payment.status, "flag_amount");
        await trx.updateTable("payments").set({ status, provider_txn_id: parsed.providerTxnId, payer_hash }).where("id", "=", payment.id).execute();
        await publish(trx, "payment.amount_mismatch", payment.id, { paymentId: payment.id, userId: payment.user_id, expected: payment.amount, received: parsed.amount, provider: provider.name, providerTxnId: parsed.providerTxnId }, now);
        deps.log.error({ paymentId: payment.id, expected: payment.amount, received: parsed.amount }, "payment amount mismatch: orders left unpaid");
        return record("amount_mismatch", `expected ${payment.amount} fen, provider reports ${parsed.amount}`);
      }
      const status = nextPaymentStatus(payment.status, "succeed");
      await trx.updateTable("payments").set({ status, provider_txn_id: parsed.providerTxnId, payer_hash, paid_at: now }).where("id", "=", payment.id).execute();
      const orderIds = (await trx.selectFrom("payment_orders").select("order_id").where("payment_id", "=", payment.id).orderBy("order_id").execute()).map((o) => o.order_id);
      await publish(trx, "payment.succeeded", payment.id, { paymentId: payment.id, userId: payment.user_id, orderIds, amount: payment.amount, provider: provider.name, providerTxnId: parsed.providerTxnId }, now);
      await record("paid");
      // Last: it ends by committing the orders' stock, whose rows every buyer of the same goods waits on.
      await markOrdersPaid(deps, trx, { orderIds, paymentId: payment.id, provider: provider.name, paidAt: now });
      return "paid" as const;
    });
    if (outcome === "paid" || outcome === "amount_mismatch") deps.events.poke();
    return provider.ack(true);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // Money arrived that cannot be applied (the orders were cancelled meanwhile, or another payment paid
    // them): keep the record and flag it for finance; retries from the provider would change nothing.
    await deps.db.transaction().execute(async (trx) => {
      await logNotification(trx, now, providerName, req, { verified: true, outcome: "error", reason: err.message, paymentId: parsed.paymentId });
      await publish(trx, "payment.unapplied", parsed.paymentId, { paymentId: parsed.paymentId, provider: provider.name, providerTxnId: parsed.providerTxnId, amount: parsed.amount, reason: err.message }, now);
    });
    deps.log.error({ paymentId: parsed.paymentId, reason: err.message }, "payment received but not applied to its orders");
    deps.events.poke();
    return provider.ack(true);
  }
}

/** A payment covering a cancelled order can no longer pay it: close it so late money is flagged, not applied. */
export async function closePaymentsOfOrder(trx: Db, orderId: string): Promise<void> {
  const open = await trx
    .selectFrom("payments")
    .innerJoin("payment_orders", "payment_orders.payment_id", "payments.id")
    .select(["payments.id", "payments.status"])
    .where("payment_orders.order_id", "=", orderId)
    .where("payments.status", "in", ["created", "failed"])
    .forUpdate()
    .execute();
  for (const p of open) {
    await trx.updateTable("payments").set({ status: nextPaymentStatus(p.status, "close") }).where("id", "=", p.id).where("status", "=", p.status).execute();
  }
}
