import { awsProfileFiles } from "./aws-profiles.js";
import { CachedSecretStore } from "./cached-secret-store.js";
import { type Environment, variable } from "./environment.js";
import { LocalSecretStore } from "./local-secret-store.js";
import { SecretStoreError } from "./secret-store.js";
import { type SsmCredentials, SsmSecretStore } from "./ssm-secret-store.js";

/** Where the secrets of a workspace live (from the workspace's settings). */
export type SecretStoreSettings =
  | { kind: "local"; workspace: string }
  | {
      kind: "aws-ssm";
      /** Default `/prose`. */
      prefix?: string;
      /** Default `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
      region?: string;
      endpoint?: string;
      kmsKeyId?: string;
    };

export interface OpenSecretStoreOptions {
  /** Default 5 minutes. */
  cacheTtlMilliseconds?: number;
  /** Milliseconds, for the cache; defaults to `Date.now`. */
  now?: () => number;
  /** `local` only: the key file, instead of `PROSE_KEY_FILE` or `~/.config/prose/master.key`. */
  keyFile?: string;
  /** `aws-ssm` only: attempts per request, the SDK's retries included (default 3). */
  maxAttempts?: number;
  /** `aws-ssm` only: one attempt's time, default 5 s. */
  requestTimeoutMilliseconds?: number;
  /** `aws-ssm` only: one operation's time, its attempts included, default 12 s. */
  operationTimeoutMilliseconds?: number;
}

/**
 * The workspace's secret store, behind the in-memory cache.
 *
 * - `local` reads `PROSE_MASTER_KEY`, `PROSE_KEY_FILE` and `HOME` from `environment`.
 * - `aws-ssm` takes static credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
 *   `AWS_SESSION_TOKEN` in `environment` when both key variables are set, a profile from
 *   `AWS_PROFILE`, and otherwise the standard AWS chain (shared files, SSO, container or instance role).
 *
 * Throws a `SecretStoreError` ("invalid") for settings that cannot work; nothing is read or
 * connected until the first call.
 */
export function openSecretStore(settings: SecretStoreSettings, environment: Environment, options: OpenSecretStoreOptions = {}): CachedSecretStore {
  const cache = {
    ...(options.cacheTtlMilliseconds === undefined ? {} : { ttlMilliseconds: options.cacheTtlMilliseconds }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  switch (settings.kind) {
    case "local":
      return new CachedSecretStore(
        new LocalSecretStore({ workspace: settings.workspace, environment, ...(options.keyFile === undefined ? {} : { keyFile: options.keyFile }) }),
        cache,
      );
    case "aws-ssm": {
      const region = settings.region ?? variable(environment, "AWS_REGION") ?? variable(environment, "AWS_DEFAULT_REGION");
      if (region === undefined) {
        throw new SecretStoreError("invalid", "The AWS SSM secret store needs a region: set it in the workspace settings or in AWS_REGION.");
      }
      const credentials = credentialsFrom(environment);
      const profile = variable(environment, "AWS_PROFILE");
      return new CachedSecretStore(
        new SsmSecretStore({
          region,
          ...(settings.prefix === undefined ? {} : { prefix: settings.prefix }),
          ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
          ...(settings.kmsKeyId === undefined ? {} : { kmsKeyId: settings.kmsKeyId }),
          ...(credentials === undefined ? {} : { credentials }),
          ...(credentials === undefined && profile !== undefined ? { profile, profileFiles: awsProfileFiles(environment) } : {}),
          ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
          ...(options.requestTimeoutMilliseconds === undefined ? {} : { requestTimeoutMilliseconds: options.requestTimeoutMilliseconds }),
          ...(options.operationTimeoutMilliseconds === undefined ? {} : { operationTimeoutMilliseconds: options.operationTimeoutMilliseconds }),
        }),
        cache,
      );
    }
    default:
      throw new SecretStoreError("invalid", `Unknown secret store kind ${JSON.stringify((settings as { kind?: unknown }).kind)}: use "local" or "aws-ssm".`);
  }
}

function credentialsFrom(environment: Environment): SsmCredentials | undefined {
  const accessKeyId = variable(environment, "AWS_ACCESS_KEY_ID");
  const secretAccessKey = variable(environment, "AWS_SECRET_ACCESS_KEY");
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  const sessionToken = variable(environment, "AWS_SESSION_TOKEN");
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
}
