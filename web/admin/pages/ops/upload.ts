import { ApiError } from "../../../shared/api";
import { api } from "../../api";

/** Uploads one image (POST /uploads, multipart) and returns the URL the API serves it at. */
export async function uploadImage(file: File): Promise<string> {
  const body = new FormData();
  body.append("file", file);
  const token = api.token();
  const res = await fetch("/uploads", { method: "POST", body, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const data = await res.json();
  if (!res.ok) throw new ApiError(res.status, data.code, data.message, data.details);
  return data.url as string;
}
