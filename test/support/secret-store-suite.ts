import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { SecretStoreError, type SecretStoreProblem } from "../../src/byom/secrets/secret-store.js";

/** A value no message, thrown object or file may ever show. */
export const canary = "sk-canary-byom-5e1f9a3c7d2b4086af1e";

/** Every form of the canary a leak could take. */
export const canaryForms = [canary, Buffer.from(canary).toString("base64"), Buffer.from(canary).toString("base64url"), Buffer.from(canary).toString("hex")];

export function keyOf(byte: number): string {
  return Buffer.alloc(32, byte).toString("base64");
}

/** The rejection of `promise`, which must reject. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** Checks the error is a `SecretStoreError` of that kind, without the canary anywhere in it. */
export function expectStoreError(error: unknown, problem: SecretStoreProblem, message?: RegExp): SecretStoreError {
  expect(error).toBeInstanceOf(SecretStoreError);
  const storeError = error as SecretStoreError;
  expect({ problem: storeError.problem, message: storeError.message }).toEqual({ problem, message: expect.stringMatching(message ?? /./) });
  expectNoCanary(error);
  return storeError;
}

export function expectNoCanary(error: unknown): void {
  const seen = [String(error), JSON.stringify(error), (error as Error).stack ?? "", JSON.stringify(Object.getOwnPropertyDescriptors(error as object))];
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) seen.push(String(cause), JSON.stringify(cause));
  for (const text of seen) {
    for (const form of canaryForms) expect(text).not.toContain(form);
  }
}

/** A temporary folder for one test, removed afterwards. */
export async function temporaryFolder(): Promise<{ folder: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), "prose-secrets-"));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}
