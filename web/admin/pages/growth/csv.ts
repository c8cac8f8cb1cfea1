import { ApiError } from "../../../shared/api";
import { api } from "../../api";
import type { Query } from "./useReport";

/**
 * Saves a CSV the API answers. A plain link cannot carry the operator's bearer token, so the file is
 * fetched with it and handed to the browser as a download.
 */
export async function downloadCsv(path: string, query: Query, filename: string): Promise<void> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const url = q.size ? `${path}?${q}` : path;
  const res = await fetch(url, { headers: { accept: "text/csv", authorization: `Bearer ${api.token() ?? ""}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, body.code ?? "http_error", body.message ?? res.statusText);
  }
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
