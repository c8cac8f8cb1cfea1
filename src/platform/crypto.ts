import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Encryption of personal data at rest (AES-256-GCM) and keyed hashing for lookups, both from one
 * 32-byte master key: LIEBIAN_DATA_KEY in production, a key generated once into the data folder in
 * development. Lookups by phone use the HMAC, so the clear number is never needed in a WHERE clause.
 */
export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error("the data key must be 32 bytes");
    this.encKey = Buffer.from(crypto.hkdfSync("sha256", masterKey, Buffer.alloc(0), "liebian field encryption", 32));
    this.macKey = Buffer.from(crypto.hkdfSync("sha256", masterKey, Buffer.alloc(0), "liebian lookup hash", 32));
  }

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `v1.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${body.toString("base64url")}`;
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(".");
    if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed value");
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.encKey, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  }

  hash(value: string): string {
    return crypto.createHmac("sha256", this.macKey).update(value).digest("base64url");
  }
}

/** Reads LIEBIAN_DATA_KEY (base64 or hex), or creates `<dataDir>/data.key` on first start. */
export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) {
    const key = /^[0-9a-f]{64}$/i.test(configured) ? Buffer.from(configured, "hex") : Buffer.from(configured, "base64");
    if (key.length !== 32) throw new Error("LIEBIAN_DATA_KEY must be 32 bytes, as 64 hex digits or base64");
    return key;
  }
  const file = path.join(dataDir, "data.key");
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString("base64"), { mode: 0o600 });
  return key;
}

/** 13812341234 → 138****1234. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return "*".repeat(phone.length);
  return `${phone.slice(0, 3)}${"*".repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export function sha256(value: string): string {
  return crypto.createHash("sha256").update(value).digest("base64url");
}
