import type { SecretStore } from "./secrets/secret-store.js";
import type { StoreSettings } from "./config-schema.js";
import type { Environment } from "./workspace.js";

/** What the secret-store factory takes: the workspace's store settings, with the workspace folder for the local store. */
export type SecretStoreSettings =
  | { kind: "local"; workspace: string }
  | { kind: "aws-ssm"; prefix: string; region: string; endpoint?: string; kmsKeyId?: string };

export type SecretStoreOpener = (settings: SecretStoreSettings, environment: Environment) => SecretStore | Promise<SecretStore>;

export function secretStoreSettings(workspace: string, store: StoreSettings): SecretStoreSettings {
  return store.kind === "local" ? { kind: "local", workspace } : { ...store };
}

/** `local` or `aws-ssm (prefix /prose, region eu-west-1)`, for messages. */
export function describeStore(store: StoreSettings): string {
  return store.kind === "local" ? "local (encrypted file in the workspace)" : `aws-ssm (prefix ${store.prefix}, region ${store.region}${store.endpoint === undefined ? "" : `, endpoint ${store.endpoint}`})`;
}

/**
 * The secret-store factory of `src/byom/secrets/` (local encrypted file or AWS SSM, behind the
 * in-memory cache), loaded on first use. Tests pass their own opener instead.
 */
export const openSecretStoreFromFactory: SecretStoreOpener = async (settings, environment) => {
  const { openSecretStore } = await import("./secrets/open-secret-store.js");
  return openSecretStore(settings, environment);
};
