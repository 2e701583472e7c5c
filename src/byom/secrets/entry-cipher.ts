import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { type SecretFile, type SecretFileEntry, secretFileFormat, secretFileVersion } from "./secret-file-format.js";
import type { SecretReference } from "./secret-store.js";

const nonceBytes = 12;
const tagBytes = 16;

/** Keys derived from the master key (HKDF-SHA-256), one per purpose. */
export interface FileKeys {
  encryption: Buffer;
  mac: Buffer;
  /** Stored in the file to tell "wrong master key" apart from "file altered". */
  check: Buffer;
}

export function deriveFileKeys(masterKey: Buffer): FileKeys {
  const derive = (purpose: string, length: number) => Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), `${secretFileFormat} v${secretFileVersion} ${purpose}`, length));
  return { encryption: derive("entry encryption", 32), mac: derive("file mac", 32), check: derive("key check", 16) };
}

/** The reference as additional authenticated data: an entry moved to another reference fails to decrypt. */
function associatedData(reference: SecretReference): Buffer {
  return Buffer.from(JSON.stringify([secretFileFormat, secretFileVersion, reference.agent, reference.providerId, reference.version]), "utf8");
}

/** Encrypts one value with AES-256-GCM and a fresh 12-byte nonce. */
export function sealEntry(keys: FileKeys, reference: SecretReference, value: string, createdAt: Date): SecretFileEntry {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv("aes-256-gcm", keys.encryption, nonce, { authTagLength: tagBytes });
  cipher.setAAD(associatedData(reference));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return {
    agent: reference.agent,
    providerId: reference.providerId,
    version: reference.version,
    createdAt: createdAt.toISOString(),
    nonce: nonce.toString("base64"),
    ciphertext: ciphertext.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
  };
}

/** The value, or undefined when the entry does not authenticate under these keys. */
export function openEntry(keys: FileKeys, entry: SecretFileEntry): string | undefined {
  const nonce = Buffer.from(entry.nonce, "base64");
  const tag = Buffer.from(entry.tag, "base64");
  if (nonce.length !== nonceBytes || tag.length !== tagBytes) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keys.encryption, nonce, { authTagLength: tagBytes });
    decipher.setAAD(associatedData(entry));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(entry.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

export function keyCheckOf(keys: FileKeys): string {
  return keys.check.toString("base64");
}

/** HMAC-SHA-256 over every field but the MAC itself, as written (so any edited character counts). */
export function fileMac(keys: FileKeys, file: Omit<SecretFile, "mac">): string {
  const entries = file.entries.map((entry) => [entry.agent, entry.providerId, entry.version, entry.createdAt, entry.nonce, entry.ciphertext, entry.tag]);
  const content = JSON.stringify([file.format, file.version, file.cipher, file.keyCheck, entries]);
  return createHmac("sha256", keys.mac).update(content, "utf8").digest("base64");
}

export function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
