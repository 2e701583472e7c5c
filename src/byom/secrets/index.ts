export { CachedSecretStore, type CachedSecretStoreOptions, defaultSecretCacheTtlMilliseconds } from "./cached-secret-store.js";
export type { Environment } from "./environment.js";
export { defaultSecretFileName, LocalSecretStore, type LocalSecretStoreOptions } from "./local-secret-store.js";
export { openSecretStore, type OpenSecretStoreOptions, type SecretStoreSettings } from "./open-secret-store.js";
export { describeReference } from "./secret-reference.js";
export { type SecretReference, type SecretStore, SecretStoreError, type SecretStoreProblem } from "./secret-store.js";
export { defaultSsmPrefix } from "./ssm-parameter-names.js";
export { type SsmCredentials, SsmSecretStore, type SsmSecretStoreOptions } from "./ssm-secret-store.js";
