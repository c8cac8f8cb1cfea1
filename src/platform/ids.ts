import { monotonicFactory } from "ulid";

const next = monotonicFactory();

/**
 * Prefixed, sortable identifiers (`ord_01J…`). The ULID body sorts by creation time, so ids double as
 * a creation-order cursor; the prefix tells a reader (and a support agent) what kind of thing it is.
 */
export function newId(prefix: string): string {
  return `${prefix}_${next()}`;
}
