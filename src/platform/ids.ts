import crypto from "node:crypto";
import { monotonicFactory } from "ulid";

// Random bytes drawn a page at a time: ulid asks for one random character at a time, and a system call
// per character showed up in checkout profiles.
const pool = Buffer.alloc(4096);
let used = pool.length;
function randomFraction(): number {
  if (used === pool.length) {
    crypto.randomFillSync(pool);
    used = 0;
  }
  return pool[used++] / 256;
}

const next = monotonicFactory(randomFraction);

/**
 * Prefixed, sortable identifiers (`ord_01J…`). The ULID body sorts by creation time, so ids double as
 * a creation-order cursor; the prefix tells a reader (and a support agent) what kind of thing it is.
 */
export function newId(prefix: string): string {
  return `${prefix}_${next()}`;
}
