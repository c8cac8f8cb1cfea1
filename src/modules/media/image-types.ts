/** The image types we accept, how to recognise each from its first bytes, and the extension we store it under. */
export const IMAGE_TYPES = {
  "image/jpeg": { ext: "jpg", matches: (b: Buffer) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  "image/png": { ext: "png", matches: (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  "image/webp": { ext: "webp", matches: (b: Buffer) => b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP" },
} as const;
export type ImageMime = keyof typeof IMAGE_TYPES;

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The type the bytes say they are, whatever the file name or the declared type claim. */
export function sniffImage(bytes: Buffer): ImageMime | null {
  for (const [mime, t] of Object.entries(IMAGE_TYPES)) if (t.matches(bytes)) return mime as ImageMime;
  return null;
}

export function mimeOfExtension(ext: string): ImageMime | null {
  const found = Object.entries(IMAGE_TYPES).find(([, t]) => t.ext === ext);
  return found ? (found[0] as ImageMime) : null;
}
