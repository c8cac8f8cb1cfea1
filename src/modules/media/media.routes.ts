import path from "node:path";
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { ANY_USER, PUBLIC } from "../../platform/auth/access.js";
import { AppError, invalidField, notFound } from "../../platform/errors.js";
import { MAX_UPLOAD_BYTES, mimeOfExtension } from "./image-types.js";
import { saveUpload } from "./media.service.js";
import { type FileStorage, LocalDiskStorage } from "./storage.js";

export function mediaRoutes(app: FastifyInstance, deps: Deps, storage: FileStorage = new LocalDiskStorage(path.join(deps.config.dataDir, "uploads"))): void {
  const tags = ["media"];
  // Registered here, so multipart parsing exists only on this module's routes.
  void app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 1 } });

  app.post(
    "/uploads",
    {
      config: { access: ANY_USER },
      schema: {
        tags,
        summary: `Upload one image (multipart/form-data, field "file"): JPEG, PNG or WebP, at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
        consumes: ["multipart/form-data"],
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw invalidField("file", "send multipart/form-data with one file");
      const part = await request.file();
      if (!part) throw invalidField("file", "attach one image file");
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") {
          throw new AppError(413, "file_too_large", `images are at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, { field: "file", maxBytes: MAX_UPLOAD_BYTES });
        }
        throw err;
      }
      const upload = await saveUpload(deps, storage, { ownerId: request.principal!.userId, bytes, declaredMime: part.mimetype, filename: part.filename });
      return reply.status(201).send(upload);
    },
  );

  // Only names the media service makes are served, so no request can reach outside the uploads folder.
  app.get(
    "/uploads/:yyyy/:mm/:file",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "An uploaded image",
        params: Type.Object({
          yyyy: Type.String({ pattern: "^\\d{4}$" }),
          mm: Type.String({ pattern: "^\\d{2}$" }),
          file: Type.String({ pattern: "^med_[0-9A-HJKMNP-TV-Z]{26}\\.(jpg|png|webp)$" }),
        }),
      },
    },
    async (request, reply) => {
      const { yyyy, mm, file } = request.params as { yyyy: string; mm: string; file: string };
      const stream = await storage.open(`${yyyy}/${mm}/${file}`);
      if (!stream) throw notFound("file");
      return reply
        .header("content-type", mimeOfExtension(file.slice(file.lastIndexOf(".") + 1))!)
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("x-content-type-options", "nosniff")
        .send(stream);
    },
  );
}
