import crypto, { type KeyObject } from "node:crypto";

/** PEM from an environment variable often arrives with literal `\n`; merchant consoles also hand out bare base64. */
function normalise(text: string): string {
  return text.trim().replace(/\\n/g, "\n");
}

export function privateKeyOf(text: string | KeyObject): KeyObject {
  if (typeof text !== "string") return text;
  const pem = normalise(text);
  if (pem.startsWith("-----BEGIN")) return crypto.createPrivateKey(pem);
  const der = Buffer.from(pem.replace(/\s+/g, ""), "base64");
  try {
    return crypto.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } catch {
    return crypto.createPrivateKey({ key: der, format: "der", type: "pkcs1" });
  }
}

export function publicKeyOf(text: string | KeyObject): KeyObject {
  if (typeof text !== "string") return text;
  const pem = normalise(text);
  if (pem.startsWith("-----BEGIN CERTIFICATE")) return new crypto.X509Certificate(pem).publicKey;
  if (pem.startsWith("-----BEGIN")) return crypto.createPublicKey(pem);
  return crypto.createPublicKey({ key: Buffer.from(pem.replace(/\s+/g, ""), "base64"), format: "der", type: "spki" });
}

export function signSha256(key: KeyObject, message: string): string {
  return crypto.sign("sha256", Buffer.from(message, "utf8"), key).toString("base64");
}

export function verifySha256(key: KeyObject, message: string, signatureBase64: string): boolean {
  try {
    return crypto.verify("sha256", Buffer.from(message, "utf8"), key, Buffer.from(signatureBase64, "base64"));
  } catch {
    return false;
  }
}

export function nonce(): string {
  return crypto.randomBytes(16).toString("hex");
}
