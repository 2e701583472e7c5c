import { ByomError } from "./byom-error.js";
import type { ReadOptions, SecretReference, SecretStore } from "./secrets/secret-store.js";

/**
 * Named secrets (`prose secret add "crm token" --stdin`): values a script uses by name, as
 * `the credential "crm token"`, in a web request's header. They live in the agent's secret store
 * beside the providers' keys (local encrypted file or AWS SSM, whichever the workspace uses),
 * under the provider id `secret.<hex of the name>` (so any name fits the store's safe set and a
 * listing gives the names back). Setting a name again stores a new version and then removes the
 * older ones, so a reader always finds the newest (a crash between the two leaves an older
 * version, never none). Names are compared lower-cased and single-spaced.
 */
export const namedSecretPrefix = "secret.";
/** 60 bytes of name: its hex and the prefix fit the stores' 128 characters. */
const mostNameBytes = 60;

/** The name as stored and compared: trimmed, single-spaced, lower-case; an English error when it cannot name a secret. */
export function secretName(written: string): string {
  const name = written.trim().replace(/\s+/g, " ").toLowerCase();
  if (name === "" || !/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(name) || Buffer.byteLength(name, "utf8") > mostNameBytes) {
    throw new ByomError(
      `"${written.slice(0, 80)}" cannot name a secret: use letters, digits, spaces, ".", "_" or "-" (up to ${mostNameBytes} bytes), starting with a letter or digit.`,
      'For example: prose secret add "crm token" --stdin',
    );
  }
  return name;
}

export function isNamedSecret(reference: Pick<SecretReference, "providerId">): boolean {
  return reference.providerId.startsWith(namedSecretPrefix);
}

function providerIdOf(name: string): string {
  return `${namedSecretPrefix}${Buffer.from(name, "utf8").toString("hex")}`;
}

function nameOf(providerId: string): string | undefined {
  const hex = providerId.slice(namedSecretPrefix.length);
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return undefined;
  return Buffer.from(hex, "hex").toString("utf8");
}

async function versionsOf(store: SecretStore, agent: string, name: string): Promise<SecretReference[]> {
  const references = await store.list(agent, providerIdOf(name));
  return references.filter((reference) => reference.providerId === providerIdOf(name)).sort((a, b) => a.version - b.version);
}

/**
 * Stores the value under the name, replacing an earlier one. The caller holds the workspace lock
 * (`withWorkspaceLock`), so two processes never pick the same version. Whether it replaced one.
 */
export async function putNamedSecret(store: SecretStore, agent: string, written: string, value: string): Promise<{ name: string; replaced: boolean }> {
  const name = secretName(written);
  const earlier = await versionsOf(store, agent, name);
  const version = (earlier.at(-1)?.version ?? 0) + 1;
  await store.put({ agent, providerId: providerIdOf(name), version }, value);
  for (const reference of earlier) await store.delete(reference);
  return { name, replaced: earlier.length > 0 };
}

/** Removes every version of the name; whether there was one. The caller holds the workspace lock. */
export async function deleteNamedSecret(store: SecretStore, agent: string, written: string): Promise<boolean> {
  const name = secretName(written);
  const versions = await versionsOf(store, agent, name);
  for (const reference of versions) await store.delete(reference);
  return versions.length > 0;
}

/** The agent's secret names, sorted. */
export async function namedSecrets(store: SecretStore, agent: string): Promise<string[]> {
  const names = new Set<string>();
  for (const reference of await store.list(agent)) {
    if (!isNamedSecret(reference)) continue;
    const name = nameOf(reference.providerId);
    if (name !== undefined) names.add(name);
  }
  return [...names].sort();
}

/** The newest value of the name, or undefined when the agent has no secret of that name. */
export async function readNamedSecret(store: SecretStore, agent: string, written: string, options: ReadOptions = {}): Promise<string | undefined> {
  const name = secretName(written);
  const newest = (await versionsOf(store, agent, name)).at(-1);
  return newest === undefined ? undefined : store.get(newest, options);
}
