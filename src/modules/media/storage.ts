import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

/**
 * Where uploaded files live. Keys are relative paths made by the media service (`2026/06/med_….png`),
 * never taken from a request. Local disk now; an S3-compatible bucket (OSS, COS, MinIO) implements the
 * same two calls.
 */
export interface FileStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The file's bytes as a stream, or null when there is no such file. */
  open(key: string): Promise<Readable | null>;
}

export class LocalDiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`storage key escapes the root: ${key}`);
    return full;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.file(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // Written under a temporary name and renamed, so a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, bytes, { flag: "wx" });
    await fs.promises.rename(tmp, file);
  }

  async open(key: string): Promise<Readable | null> {
    const file = this.file(key);
    try {
      const handle = await fs.promises.open(file, "r");
      return handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }
}
