import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JetStreamClient, type NatsConnection, RetentionPolicy, StringCodec, connect, nanos } from "nats";
import type { AttemptHandler, FlashQueue } from "./queue.js";

export interface NatsQueueOptions {
  stream?: string;
  subject?: string;
  /** The durable consumer every server process shares: each message goes to one of them. */
  durable?: string;
}

const sc = StringCodec();
const ACK_WAIT_MS = 30_000;

/**
 * Won attempts on a JetStream work-queue stream. Publishing sets the message id to the attempt id, so
 * JetStream drops a duplicate publish within its window; the consumer acknowledges after the handler
 * returns and asks for redelivery (nak with a delay) when it throws.
 */
export class NatsFlashQueue implements FlashQueue {
  readonly kind = "nats" as const;
  readonly stream: string;
  readonly subject: string;
  readonly durable: string;
  private readonly conn: Promise<NatsConnection>;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private ready?: Promise<JetStreamClient>;

  constructor(url: string, opts: NatsQueueOptions = {}) {
    this.stream = opts.stream ?? "LIEBIAN_FLASHSALE";
    this.subject = opts.subject ?? "liebian.flashsale.attempts";
    this.durable = opts.durable ?? "flashsale-orders";
    this.conn = connect({ servers: url, name: "liebian-flashsale" });
    this.conn.catch(() => undefined);
  }

  /** Creates the stream and the durable consumer when missing (every process may; it is idempotent). */
  private js(): Promise<JetStreamClient> {
    this.ready ??= (async () => {
      const nc = await this.conn;
      const jsm = await nc.jetstreamManager();
      try {
        await jsm.streams.info(this.stream);
      } catch {
        await jsm.streams.add({ name: this.stream, subjects: [this.subject], retention: RetentionPolicy.Workqueue, duplicate_window: nanos(120_000) });
      }
      try {
        await jsm.consumers.info(this.stream, this.durable);
      } catch {
        await jsm.consumers.add(this.stream, { durable_name: this.durable, ack_policy: AckPolicy.Explicit, ack_wait: nanos(ACK_WAIT_MS), deliver_policy: DeliverPolicy.All, filter_subject: this.subject });
      }
      return nc.jetstream();
    })();
    this.ready.catch(() => {
      this.ready = undefined;
    });
    return this.ready;
  }

  async enqueue(attemptId: string) {
    await (await this.js()).publish(this.subject, sc.encode(attemptId), { msgID: attemptId });
  }

  async start(handler: AttemptHandler) {
    const consumer = await (await this.js()).consumers.get(this.stream, this.durable);
    const messages = await consumer.consume({ max_messages: 32 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const m of messages) {
        try {
          await handler(sc.decode(m.data));
          m.ack();
        } catch {
          m.nak(1000);
        }
      }
    })();
  }

  async stop() {
    await this.messages?.close();
    await this.loop;
    this.messages = undefined;
  }

  async close() {
    await this.stop();
    const nc = await this.conn.catch(() => undefined);
    await nc?.drain();
  }

  /** Removes the stream (tests use a stream of their own). */
  async destroy() {
    const nc = await this.conn;
    await (await nc.jetstreamManager()).streams.delete(this.stream).catch(() => false);
  }
}
