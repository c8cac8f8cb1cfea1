import { type TSchema, Type } from "@sinclair/typebox";

/** Schemas shared by many routes; each one documents itself in the OpenAPI output. */
export const PhoneNumber = Type.String({ pattern: "^1[3-9]\\d{9}$", description: "mainland China mobile number, 11 digits" });
export const FenAmount = Type.Integer({ minimum: 0, description: "amount in fen (分), ¥1.00 = 100" });
export const IdOf = (prefix: string) => Type.String({ pattern: `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`, description: `${prefix}_… id` });
export const IdParam = (prefix: string) => Type.Object({ id: IdOf(prefix) });
export const Timestamp = Type.String({ format: "date-time" });

export const ErrorBody = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) },
  { $id: "Error", description: "every 4xx/5xx answer has this shape" },
);

/** Cursor pagination: ids sort by creation time, so the last id seen is the cursor. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  after: Type.Optional(Type.String({ maxLength: 64, description: "cursor: the last id of the previous page" })),
});

export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export function pageOf<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
