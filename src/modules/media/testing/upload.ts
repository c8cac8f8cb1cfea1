import type { TestContext } from "../../../testing/harness.js";

/** A real 1×1 PNG. */
export const PNG_1PX = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
/** The first bytes of a JPEG (SOI and an APP0/JFIF header) and some data. */
export const JPEG_BYTES = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(64, 7)]);

/** A multipart/form-data request body with one file, as a browser sends it. */
export function multipart(file: { bytes: Buffer; filename: string; mime: string; field?: string }) {
  const boundary = "----liebian-test-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? "file"}"; filename="${file.filename}"\r\nContent-Type: ${file.mime}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads a PNG as this user and returns its URL. */
export async function uploadPng(ctx: TestContext, headers: Record<string, string>): Promise<{ id: string; url: string }> {
  const body = multipart({ bytes: PNG_1PX, filename: "photo.png", mime: "image/png" });
  const res = await ctx.app.inject({ method: "POST", url: "/uploads", headers: { ...headers, ...body.headers }, payload: body.payload });
  if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  return res.json();
}
