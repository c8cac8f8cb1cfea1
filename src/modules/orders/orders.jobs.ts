import type { Deps } from "../../deps.js";
import { systemActor } from "../../platform/auth/principal.js";
import type { JobHandler } from "../../platform/jobs/jobs.js";
import { publish } from "../../platform/events/outbox.js";
import { JOB_AFTERSALE_WINDOW, JOB_AUTO_CANCEL, JOB_AUTO_CONFIRM, cancelOrder, confirmReceipt } from "./orders.service.js";

/** What happens to orders on the clock. Each job re-reads the order: a paid order is not cancelled. */
export function orderJobs(deps: Deps): Record<string, JobHandler> {
  const status = async (trx: Parameters<JobHandler>[0], orderId: string) =>
    (await trx.selectFrom("orders").select("status").where("id", "=", orderId).executeTakeFirst())?.status;
  return {
    [JOB_AUTO_CANCEL]: async (trx, { orderId }: { orderId: string }) => {
      if ((await status(trx, orderId)) !== "pending_payment") return;
      await cancelOrder(deps, trx, orderId, { ...systemActor, kind: "system" }, "payment timeout");
    },
    [JOB_AUTO_CONFIRM]: async (trx, { orderId }: { orderId: string }) => {
      const s = await status(trx, orderId);
      if (s !== "shipped" && s !== "delivered") return;
      await confirmReceipt(deps, trx, orderId, { ...systemActor, kind: "system" });
    },
    // Rewards, commissions and settlement wait for this: after it, the order can no longer be returned.
    [JOB_AFTERSALE_WINDOW]: async (trx, { orderId }: { orderId: string }, now) => {
      await publish(trx, "order.aftersale_window_closed", orderId, { orderId }, now);
    },
  };
}
