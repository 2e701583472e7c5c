import { type SecretReference, SecretStoreError } from "./secret-store.js";

/**
 * Agent names and provider ids become parts of file entries and SSM parameter names,
 * so both stores accept the same safe set: letters, digits, `.`, `_` and `-`, starting
 * with a letter or digit (a custom provider id such as `custom-my-vllm-1764100945699-r6jisd` fits).
 */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Throws an "invalid" `SecretStoreError` unless the reference is usable by every store. */
export function checkReference(reference: SecretReference): void {
  checkName("agent name", reference.agent);
  checkName("provider id", reference.providerId);
  if (!Number.isSafeInteger(reference.version) || reference.version < 1) {
    throw new SecretStoreError("invalid", `The secret version for provider "${reference.providerId}" must be a whole number from 1 up, not ${String(reference.version)}.`);
  }
}

export function checkName(what: "agent name" | "provider id", name: string): void {
  if (typeof name !== "string" || !namePattern.test(name)) {
    throw new SecretStoreError(
      "invalid",
      `The ${what} ${JSON.stringify(String(name).slice(0, 140))} cannot name a secret: use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
    );
  }
}

/** `provider "openai-main" version 2 of agent "default"`, for messages. */
export function describeReference(reference: SecretReference): string {
  return `provider "${reference.providerId}" version ${reference.version} of agent "${reference.agent}"`;
}

export function sameReference(a: SecretReference, b: SecretReference): boolean {
  return a.agent === b.agent && a.providerId === b.providerId && a.version === b.version;
}

/** Agent, then provider id, then version (numerically). */
export function compareReferences(a: SecretReference, b: SecretReference): number {
  if (a.agent !== b.agent) return a.agent < b.agent ? -1 : 1;
  if (a.providerId !== b.providerId) return a.providerId < b.providerId ? -1 : 1;
  return a.version - b.version;
}
