import type { FormInstance } from "antd";
import { ApiError } from "../../shared/api";

/**
 * Shows the API's validation errors next to the fields they name, so forms keep the server's rules
 * (and wording) instead of re-implementing them. Returns the message for errors that name no field.
 */
export function showApiErrors(form: FormInstance, err: unknown): string | null {
  if (!(err instanceof ApiError)) return String(err);
  const known = new Set(Object.keys(form.getFieldsValue(true)));
  const fields = err.fieldErrors.filter((f) => known.has(f.field.split(".")[0]));
  if (fields.length === 0) return err.message;
  form.setFields(fields.map((f) => ({ name: f.field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [f.message] })));
  return null;
}
