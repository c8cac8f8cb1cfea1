import type { FormInstance } from "antd";
import { ApiError } from "../../shared/api";

type NamePath = (string | number)[];

/**
 * Shows the API's validation errors next to the fields they name, so forms keep the server's rules
 * (and wording) instead of re-implementing them. Returns the message for what no field of the form
 * shows (errors that name no field, or a field the form does not have), or null when all are shown.
 *
 * `prefix` places the errors of a request about one part of the form — one SKU's PATCH answering
 * `price` — on that part's fields (`["skus", 2]` → `skus.2.price`).
 */
export function showApiErrors(form: FormInstance, err: unknown, opts: { prefix?: NamePath } = {}): string | null {
  if (!(err instanceof ApiError)) return String(err);
  const prefix = opts.prefix ?? [];
  const named = err.fieldErrors.map((f) => ({ name: [...prefix, ...pathOf(f.field)], message: f.message }));
  form.setFields(named.map((f) => ({ name: f.name, errors: [f.message] })));
  // Only a field the form renders shows an error; one it does not (a whole list row, a body-level rule) is told in words.
  const unshown = named.filter((f) => form.getFieldError(f.name).length === 0);
  if (named.length > 0 && unshown.length === 0) return null;
  if (unshown.length === named.length) return err.message;
  return unshown.map((f) => `${f.name.join(".")}: ${f.message}`).join("; ");
}

/**
 * An `onValuesChange` for forms that show API errors: a field's error from the server goes away as
 * soon as its value changes (fields with rules of their own re-validate anyway; those without would
 * keep a stale error).
 */
export function clearApiErrorsOnChange(form: FormInstance): (changed: unknown) => void {
  return (changed) => form.setFields(pathsIn(changed).map((name) => ({ name, errors: [] })));
}

/** "skus.0.price" → ["skus", 0, "price"]; the request part a field came in ("body.", "querystring.") is dropped. */
function pathOf(field: string): NamePath {
  return field
    .replace(/^(body|querystring)\./, "")
    .split(".")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Every path in a (sparse) nested change: {skus: [, {price: 1}]} → skus, skus.1, skus.1.price. */
function pathsIn(value: unknown, prefix: NamePath = []): NamePath[] {
  if (value === null || typeof value !== "object") return prefix.length ? [prefix] : [];
  const inner = Object.keys(value).flatMap((k) => pathsIn((value as Record<string, unknown>)[k], [...prefix, Array.isArray(value) ? Number(k) : k]));
  return prefix.length ? [prefix, ...inner] : inner;
}
