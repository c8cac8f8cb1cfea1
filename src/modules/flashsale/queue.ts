/**
 * Carries a won attempt to the consumer that places its order: NATS JetStream when NATS_URL is set
 * (durable, shared by every process), in-process otherwise. Delivery is at least once: the handler is
 * idempotent by attempt id, and a message is acknowledged only after the handler returned (the order
 * committed, or the attempt was settled as failed). A handler that throws is retried later.
 */
export type AttemptHandler = (attemptId: string) => Promise<void>;

export interface FlashQueue {
  readonly kind: "nats" | "in-process";
  enqueue(attemptId: string): Promise<void>;
  /** Starts consuming; one consumer per process. */
  start(handler: AttemptHandler): Promise<void>;
  /** Stops consuming; what is not yet acknowledged stays queued (NATS) or is lost with the process (in-process). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

const RETRY_MS = 1000;

/**
 * The embedded default: a list in this process, worked one attempt at a time (the embedded database
 * runs one transaction at a time anyway). A crash loses the list; reconciliation re-enqueues what the
 * database still shows as queued.
 */
export class InProcessFlashQueue implements FlashQueue {
  readonly kind = "in-process" as const;
  private pending: string[] = [];
  private handler?: AttemptHandler;
  private working?: Promise<void>;
  private waiters: Array<() => void> = [];
  private retryTimer?: NodeJS.Timeout;

  async enqueue(attemptId: string) {
    this.pending.push(attemptId);
    this.kick();
  }

  async start(handler: AttemptHandler) {
    this.handler = handler;
    this.kick();
  }

  private kick() {
    if (!this.handler || this.working) return;
    this.working = this.work().finally(() => {
      this.working = undefined;
      if (this.pending.length > 0 && this.handler) this.kick();
      else for (const w of this.waiters.splice(0)) w();
    });
  }

  private async work() {
    while (this.handler && this.pending.length > 0) {
      const id = this.pending.shift()!;
      try {
        await this.handler(id);
      } catch {
        // Transient (the database was busy or down): try again shortly, behind what is waiting.
        this.retryTimer = setTimeout(() => void this.enqueue(id), RETRY_MS);
        this.retryTimer.unref();
      }
    }
  }

  /** Resolves when nothing is queued or being handled (tests and the bench wait on it). */
  idle(): Promise<void> {
    if (!this.working && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop() {
    this.handler = undefined;
    await this.working;
  }

  async close() {
    await this.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.pending = [];
  }
}
