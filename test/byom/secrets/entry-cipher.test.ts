import { describe, expect, it } from "vitest";
import { deriveFileKeys, keyCheckOf, openEntry, sealEntry } from "../../../src/byom/secrets/entry-cipher.js";
import { canary } from "../../support/secret-store-suite.js";

const keys = deriveFileKeys(Buffer.alloc(32, 1));
const reference = { agent: "default", providerId: "openai-main", version: 3 };

describe("entry cipher", () => {
  it("opens what it sealed, with a fresh nonce each time", () => {
    const first = sealEntry(keys, reference, canary, new Date("2025-11-25T10:00:00Z"));
    const second = sealEntry(keys, reference, canary, new Date("2025-11-25T10:00:00Z"));
    expect(openEntry(keys, first)).toBe(canary);
    expect(first.nonce).not.toBe(second.nonce);
    expect(first.createdAt).toBe("2025-11-25T10:00:00.000Z");
  });

  it("binds the reference: an entry moved to another agent, provider or version does not open", () => {
    const entry = sealEntry(keys, reference, canary, new Date());
    expect(openEntry(keys, { ...entry, agent: "invoices" })).toBeUndefined();
    expect(openEntry(keys, { ...entry, providerId: "openai-backup" })).toBeUndefined();
    expect(openEntry(keys, { ...entry, version: 4 })).toBeUndefined();
  });

  it("does not open under another key, or with a damaged nonce, tag or ciphertext", () => {
    const entry = sealEntry(keys, reference, canary, new Date());
    expect(openEntry(deriveFileKeys(Buffer.alloc(32, 2)), entry)).toBeUndefined();
    expect(openEntry(keys, { ...entry, nonce: Buffer.alloc(12).toString("base64") })).toBeUndefined();
    expect(openEntry(keys, { ...entry, nonce: Buffer.alloc(8).toString("base64") })).toBeUndefined();
    expect(openEntry(keys, { ...entry, tag: Buffer.alloc(16).toString("base64") })).toBeUndefined();
    const ciphertext = Buffer.from(entry.ciphertext, "base64");
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    expect(openEntry(keys, { ...entry, ciphertext: ciphertext.toString("base64") })).toBeUndefined();
  });

  it("derives separate keys, and a key check that differs per master key", () => {
    expect(keys.encryption.equals(keys.mac)).toBe(false);
    expect(keys.encryption.equals(Buffer.alloc(32, 1))).toBe(false);
    expect(keyCheckOf(keys)).not.toBe(keyCheckOf(deriveFileKeys(Buffer.alloc(32, 2))));
    expect(keyCheckOf(keys)).toBe(keyCheckOf(deriveFileKeys(Buffer.alloc(32, 1))));
  });
});
