import crypto from "node:crypto";
import type { Deps } from "../../deps.js";
import type { Db } from "../../platform/db/database.js";
import { AppError, invalidField } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { IMAGE_TYPES, type ImageMime, mimeOfExtension, sniffImage } from "./image-types.js";
import type { FileStorage } from "./storage.js";

export const UPLOADS_PREFIX = "/uploads/";
/** /uploads/<yyyy>/<mm>/<id>.<ext>: the only shape a stored file's URL has. */
export const UPLOAD_URL = /^\/uploads\/(\d{4})\/(\d{2})\/(med_[0-9A-HJKMNP-TV-Z]{26})\.(jpg|png|webp)$/;

export interface Upload {
  id: string;
  url: string;
  mime: ImageMime;
  size: number;
}

/**
 * Stores one uploaded image for its owner. The bytes decide the type: a file whose first bytes are not
 * a JPEG, PNG or WebP signature is refused, and so is one whose declared type or file extension says
 * something else (a PNG renamed .jpg).
 */
export async function saveUpload(deps: Deps, storage: FileStorage, input: { ownerId: string; bytes: Buffer; declaredMime: string; filename: string }): Promise<Upload> {
  const mime = sniffImage(input.bytes);
  if (!mime) throw new AppError(415, "unsupported_media_type", "only JPEG, PNG or WebP images can be uploaded");
  const ext = /\.([a-z0-9]+)$/i.exec(input.filename)?.[1]?.toLowerCase();
  const extMime = ext === "jpeg" ? "image/jpeg" : ext ? mimeOfExtension(ext) : null;
  if (input.declaredMime !== mime || (ext && extMime !== mime)) {
    throw new AppError(400, "file_type_mismatch", `the file's content is ${mime}, but it was sent as ${input.declaredMime} named ${input.filename}`, { field: "file", detected: mime });
  }
  const now = deps.clock.now();
  const id = newId("med");
  const path = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${id}.${IMAGE_TYPES[mime].ext}`;
  // The file first: a row never points at bytes that are not there; an orphan file is harmless.
  await storage.put(path, input.bytes);
  await deps.db
    .insertInto("media")
    .values({ id, owner_id: input.ownerId, path, mime, size: input.bytes.length, sha256: crypto.createHash("sha256").update(input.bytes).digest("hex"), created_at: now })
    .execute();
  return { id, url: UPLOADS_PREFIX + path, mime, size: input.bytes.length };
}

/**
 * Turns photo references (media ids or /uploads URLs) into URLs, accepting only the owner's own
 * uploads; anything else is a 400 naming `field.index`.
 */
export async function resolveOwnMedia(db: Db, ownerId: string, refs: string[], field: string): Promise<string[]> {
  if (refs.length === 0) return [];
  const ids = refs.map((ref, i) => {
    const id = ref.startsWith("med_") ? ref : UPLOAD_URL.exec(ref)?.[3];
    if (!id) throw invalidField(`${field}.${i}`, "a media id or an /uploads/… URL from POST /uploads");
    return id;
  });
  const rows = await db.selectFrom("media").select(["id", "path"]).where("id", "in", ids).where("owner_id", "=", ownerId).execute();
  return ids.map((id, i) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw invalidField(`${field}.${i}`, "not one of your uploads");
    return UPLOADS_PREFIX + row.path;
  });
}
