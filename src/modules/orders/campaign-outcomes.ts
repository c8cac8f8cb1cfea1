import type { Db } from "../../platform/db/database.js";
import type { Subscriber } from "../../platform/events/dispatcher.js";
import type { DomainEvent } from "../../platform/events/outbox.js";
import type { CampaignRef } from "./orders.service.js";

export type CampaignOutcome = "paid" | "cancelled";

/**
 * How a campaign module (秒杀, 拼团, 砍价) hears that one of its orders was paid or cancelled: `ref` is
 * the reference it gave the order. Orders of other campaigns, and ordinary ones, pass it by without a
 * transaction.
 */
export function campaignOutcomes(name: string, type: string, onOutcome: (trx: Db, outcome: CampaignOutcome, ref: string, orderId: string) => Promise<void>): Subscriber {
  const campaignOf = (event: DomainEvent<{ campaign?: CampaignRef | null }>) => event.payload.campaign;
  return {
    name,
    events: ["order.paid", "order.cancelled"],
    when: (event) => campaignOf(event)?.type === type,
    handle: (trx, event) => onOutcome(trx, event.type === "order.paid" ? "paid" : "cancelled", campaignOf(event)!.ref, event.payload.orderId),
  };
}
