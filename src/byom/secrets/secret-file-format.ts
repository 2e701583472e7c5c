import { z } from "zod";
import { SecretStoreError } from "./secret-store.js";

/**
 * The local store's file (`secrets.enc.json`):
 *
 * ```json
 * {
 *   "format": "prose-secrets", "version": 1, "cipher": "AES-256-GCM",
 *   "keyCheck": "<base64, 16 bytes derived from the master key>",
 *   "entries": [{ "agent": "default", "providerId": "openai-main", "version": 1,
 *                 "createdAt": "2025-…Z", "nonce": "<base64, 12 bytes>",
 *                 "ciphertext": "<base64>", "tag": "<base64, 16 bytes>" }],
 *   "mac": "<base64 HMAC-SHA-256 over everything above>"
 * }
 * ```
 */
export const secretFileFormat = "prose-secrets";
export const secretFileVersion = 1;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "not base64");

const entrySchema = z.strictObject({
  agent: z.string().min(1),
  providerId: z.string().min(1),
  version: z.number().int().min(1),
  createdAt: z.string(),
  nonce: base64,
  ciphertext: base64,
  tag: base64,
});

const fileSchema = z.strictObject({
  format: z.literal(secretFileFormat),
  version: z.literal(secretFileVersion),
  cipher: z.literal("AES-256-GCM"),
  keyCheck: base64,
  entries: z.array(entrySchema),
  mac: base64,
});

export type SecretFileEntry = z.infer<typeof entrySchema>;
export type SecretFile = z.infer<typeof fileSchema>;

/** Reads the file's text; a file that is not in this shape is reported as damaged, never repaired. */
export function parseSecretFile(text: string, file: string): SecretFile {
  const leftUnchanged = "It was left unchanged: restore it from a backup, or move it away to start with an empty store.";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SecretStoreError("tampered", `The secrets file ${file} is damaged or was edited: it is not valid JSON. ${leftUnchanged}`);
  }
  const header = data as { format?: unknown; version?: unknown } | null;
  if (header !== null && typeof header === "object" && header.format === secretFileFormat && typeof header.version === "number" && header.version > secretFileVersion) {
    throw new SecretStoreError("invalid", `The secrets file ${file} was written by a newer version of Prose (format version ${header.version}); update Prose to use it.`);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? "its layout" : issue.path.map(String).join(".");
    throw new SecretStoreError("tampered", `The secrets file ${file} is damaged or was edited (${where} is not as Prose wrote it). ${leftUnchanged}`);
  }
  return parsed.data;
}

export function serializeSecretFile(file: SecretFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
