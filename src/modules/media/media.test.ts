import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInConsumer, bearer, type TestContext } from "../../testing/harness.js";
import { identityModule } from "../identity/index.js";
import { mediaModule } from "./index.js";
import { JPEG_BYTES, multipart, PNG_1PX } from "./testing/upload.js";

let ctx: TestContext;
let dataDir: string;
let headers: Record<string, string>;
let ownerId: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liebian-media-"));
  ctx = await createTestContext({ modules: [identityModule, mediaModule], config: { dataDir } });
  const me = await signInConsumer(ctx);
  headers = bearer(me.token);
  ownerId = me.userId;
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const upload = (file: Parameters<typeof multipart>[0], h: Record<string, string> = headers) => {
  const body = multipart(file);
  return ctx.app.inject({ method: "POST", url: "/uploads", headers: { ...h, ...body.headers }, payload: body.payload });
};

describe("uploading images", () => {
  it("stores a PNG under uploads/<yyyy>/<mm>/ and serves it back", async () => {
    const res = await upload({ bytes: PNG_1PX, filename: "晒单.png", mime: "image/png" });
    expect(res.statusCode).toBe(201);
    const { id, url, mime, size } = res.json();
    expect([url, mime, size]).toEqual([`/uploads/2026/06/${id}.png`, "image/png", PNG_1PX.length]);
    expect(fs.readFileSync(path.join(dataDir, "uploads", "2026", "06", `${id}.png`))).toEqual(PNG_1PX);
    const row = await ctx.deps.db.selectFrom("media").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect([row.owner_id, row.path, row.size, row.sha256]).toEqual([ownerId, `2026/06/${id}.png`, PNG_1PX.length, crypto.createHash("sha256").update(PNG_1PX).digest("hex")]);

    const served = await ctx.app.inject({ method: "GET", url });
    expect([served.statusCode, served.headers["content-type"], served.headers["x-content-type-options"]]).toEqual([200, "image/png", "nosniff"]);
    expect(served.rawPayload).toEqual(PNG_1PX);
  });

  it("accepts a JPEG declared as one", async () => {
    const res = await upload({ bytes: JPEG_BYTES, filename: "a.jpeg", mime: "image/jpeg" });
    expect([res.statusCode, res.json().mime]).toEqual([201, "image/jpeg"]);
  });

  it("refuses a PNG renamed .jpg and sent as a JPEG", async () => {
    const res = await upload({ bytes: PNG_1PX, filename: "photo.jpg", mime: "image/jpeg" });
    expect([res.statusCode, res.json().code, res.json().details]).toEqual([400, "file_type_mismatch", { field: "file", detected: "image/png" }]);
    expect(await ctx.deps.db.selectFrom("media").select("id").where("mime", "=", "image/png").execute()).toHaveLength(1);
  });

  it("refuses what is not an image, whatever it claims", async () => {
    const res = await upload({ bytes: Buffer.from("<svg onload=alert(1)>"), filename: "x.png", mime: "image/png" });
    expect([res.statusCode, res.json().code]).toEqual([415, "unsupported_media_type"]);
  });

  it("refuses a 6 MB file with 413", async () => {
    const big = Buffer.concat([PNG_1PX, Buffer.alloc(6 * 1024 * 1024)]);
    const res = await upload({ bytes: big, filename: "big.png", mime: "image/png" });
    expect([res.statusCode, res.json().code]).toEqual([413, "file_too_large"]);
  });

  it("needs a signed-in user and a file", async () => {
    expect((await upload({ bytes: PNG_1PX, filename: "a.png", mime: "image/png" }, {})).statusCode).toBe(401);
    const empty = await ctx.app.inject({ method: "POST", url: "/uploads", headers: { ...headers, "content-type": "application/json" }, payload: "{}" });
    expect([empty.statusCode, empty.json().details]).toEqual([400, [{ field: "file", message: "send multipart/form-data with one file" }]]);
  });

  it("serves only names it made: no path outside the uploads folder", async () => {
    expect((await ctx.app.inject({ method: "GET", url: "/uploads/2026/06/..%2F..%2F..%2Fdata.key" })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: "GET", url: "/uploads/../../etc/passwd" })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: "GET", url: "/uploads/2026/06/med_01ARZ3NDEKTSV4RRFFQ69G5FAV.png" })).statusCode).toBe(404);
  });
});
