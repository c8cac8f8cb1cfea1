import type { Past } from "./past.js";

type Task = () => Promise<void>;

interface Entry {
  at: number;
  seq: number;
  task: Task;
}

/**
 * What happens when, in the demo's past: tasks are kept in time order (a binary heap) and run one by
 * one with the clock moved to each task's time. A task may put more on the agenda — a buyer who orders
 * pays a few minutes later, a merchant ships tomorrow — and nothing is run past the end.
 */
export class Agenda {
  private heap: Entry[] = [];
  private seq = 0;

  constructor(private readonly past: Past) {}

  add(at: Date | number, task: Task): void {
    const entry = { at: typeof at === "number" ? at : at.getTime(), seq: this.seq++, task };
    this.heap.push(entry);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, this.heap[parent])) break;
      this.heap[i] = this.heap[parent];
      i = parent;
    }
    this.heap[i] = entry;
  }

  private take(): Entry | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let child = l;
        if (l >= this.heap.length) break;
        if (r < this.heap.length && before(this.heap[r], this.heap[l])) child = r;
        if (!before(this.heap[child], last)) break;
        this.heap[i] = this.heap[child];
        i = child;
      }
      this.heap[i] = last;
    }
    return top;
  }

  /** Runs every task due before `end`, in time order; later ones are dropped (they never happened). */
  async runUntil(end: Date): Promise<void> {
    for (let next = this.take(); next && next.at < end.getTime(); next = this.take()) {
      await this.past.walkTo(new Date(next.at));
      await next.task();
      this.past.acted();
    }
    this.heap = [];
    await this.past.walkTo(end);
  }
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
