import crypto from "node:crypto";
import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, notFound, unprocessable } from "../../platform/errors.js";
import { publish } from "../../platform/events/outbox.js";
import { newId } from "../../platform/ids.js";
import type { RefundStatus } from "./payment-machine.js";
import { providerOf } from "./payments.service.js";
import { ProviderError } from "./providers/provider.js";

/**
 * Our refund number at the provider, derived from the caller's idempotency key: if the caller's
 * transaction fails after the provider refunded, the retry sends the same number and the provider
 * answers with the earlier refund instead of paying again. 32 characters of [A-Za-z0-9_-], which both
 * WeChat Pay (out_refund_no) and Alipay (out_request_no) accept.
 */
function outRefundNo(key: string): string {
  return `rf${crypto.createHash("sha256").update(key).digest("base64url").slice(0, 30)}`;
}

/**
 * Refunds `amount` fen of an order's share of its payment, at most once per `key` (the after-sales
 * request id, say). Runs in the caller's transaction; the payment row is locked so two refunds of one
 * payment cannot both pass the "what is left" check. Publishes `refund.succeeded` when the money is back.
 */
export async function refundOrder(deps: Deps, trx: Db, input: { orderId: string; amount: number; reason: string; key: string }): Promise<{ refundId: string; status: string }> {
  const now = deps.clock.now();
  const covering = await trx
    .selectFrom("payment_orders")
    .innerJoin("payments", "payments.id", "payment_orders.payment_id")
    .select(["payments.id"])
    .where("payment_orders.order_id", "=", input.orderId)
    .where("payments.status", "=", "succeeded")
    .executeTakeFirst();
  if (!covering) throw notFound(`a succeeded payment for order ${input.orderId}`);
  const payment = await trx.selectFrom("payments").selectAll().where("id", "=", covering.id).forUpdate().executeTakeFirstOrThrow();

  const earlier = await trx.selectFrom("refunds").select(["id", "status", "order_id", "amount"]).where("key", "=", input.key).executeTakeFirst();
  if (earlier) {
    if (earlier.order_id !== input.orderId || earlier.amount !== input.amount) {
      throw unprocessable("refund_key_reused", "this refund key was used for another order or amount", { refundId: earlier.id });
    }
    return { refundId: earlier.id, status: earlier.status };
  }

  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw unprocessable("refund_amount_invalid", "a refund is a positive whole number of fen");
  const share = await trx.selectFrom("payment_orders").select("amount").where("payment_id", "=", payment.id).where("order_id", "=", input.orderId).executeTakeFirstOrThrow();
  const { refunded } = await trx
    .selectFrom("refunds")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount"), eb.lit(0)).as("refunded"))
    .where("order_id", "=", input.orderId)
    .where("payment_id", "=", payment.id)
    .where("status", "in", ["pending", "succeeded"])
    .executeTakeFirstOrThrow();
  const left = share.amount - Number(refunded);
  if (input.amount > left) throw unprocessable("refund_exceeds_paid", `only ${left} fen of this order are left to refund`, { refundable: left, requested: input.amount });

  const refundId = newId("rfd");
  const requestNo = outRefundNo(input.key);
  await trx
    .insertInto("refunds")
    .values({ id: refundId, payment_id: payment.id, order_id: input.orderId, amount: input.amount, reason: input.reason, status: "pending", key: input.key, out_refund_no: requestNo, provider_refund_id: null, created_at: now, completed_at: null })
    .execute();

  let result: { providerRefundId: string; status: "succeeded" | "pending" };
  try {
    result = await providerOf(deps, payment.provider).refund({
      paymentId: payment.id,
      refundId: requestNo,
      amount: input.amount,
      total: payment.amount,
      reason: input.reason,
      providerTxnId: payment.provider_txn_id ?? "",
    });
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    deps.log.error({ err, refundId, paymentId: payment.id }, "payment provider refused a refund");
    throw new AppError(502, "provider_error", `${payment.provider} refused the refund: ${err.message}`, err.details);
  }
  const status: RefundStatus = result.status;
  await trx
    .updateTable("refunds")
    .set({ status, provider_refund_id: result.providerRefundId, completed_at: status === "succeeded" ? now : null })
    .where("id", "=", refundId)
    .execute();
  if (status === "succeeded") await publish(trx, "refund.succeeded", refundId, { refundId, orderId: input.orderId, paymentId: payment.id, amount: input.amount }, now);
  return { refundId, status };
}

export async function listRefunds(deps: Deps, q: { status?: RefundStatus; orderId?: string; limit: number; after?: string }) {
  let query = deps.db.selectFrom("refunds").selectAll().orderBy("id", "desc").limit(q.limit + 1);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.orderId) query = query.where("order_id", "=", q.orderId);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.execute();
  const items = rows.slice(0, q.limit).map((r) => ({
    id: r.id,
    paymentId: r.payment_id,
    orderId: r.order_id,
    amount: r.amount,
    reason: r.reason,
    status: r.status,
    providerRefundId: r.provider_refund_id,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  }));
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}
