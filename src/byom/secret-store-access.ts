import { SecretStoreError, type SecretStore } from "./secrets/secret-store.js";
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

const factoryModule = "./secrets/open-secret-store.js";

/**
 * The secret-store factory of `src/byom/secrets/`, loaded on first use (the AWS SDK only when the
 * workspace uses SSM). Tests pass their own opener instead.
 */
export const openSecretStoreFromFactory: SecretStoreOpener = async (settings, environment) => {
  let factory: { openSecretStore?: SecretStoreOpener };
  try {
    factory = (await import(factoryModule)) as { openSecretStore?: SecretStoreOpener };
  } catch {
    factory = {};
  }
  if (typeof factory.openSecretStore !== "function") {
    throw new SecretStoreError("unavailable", `The ${settings.kind} secret store is not available in this build of Prose.`);
  }
  return factory.openSecretStore(settings, environment);
};
