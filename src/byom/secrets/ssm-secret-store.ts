import type { SSMClient } from "@aws-sdk/client-ssm";
import { withoutAwsNodeVersionWarning } from "../../llm/aws-node-version-warning.js";
import type { AwsProfileFiles } from "./aws-profiles.js";
import { noCredentialsError, ssmStoreError, type SsmErrorContext } from "./ssm-errors.js";
import { normalizePrefix, parameterName, parameterPath, referenceOfName } from "./ssm-parameter-names.js";
import { checkName, checkReference, compareReferences, describeReference } from "./secret-reference.js";
import { type ReadOptions, type SecretReference, type SecretStore, SecretStoreError } from "./secret-store.js";
import { readStopped, untilAborted } from "./stopped-read.js";

export interface SsmCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SsmSecretStoreOptions {
  /** Parameter names start with this (default `/prose`). */
  prefix?: string;
  region: string;
  /** Any SSM-compatible endpoint; the region's AWS endpoint otherwise. */
  endpoint?: string;
  /** The KMS key for new SecureString parameters; the account's `alias/aws/ssm` otherwise. */
  kmsKeyId?: string;
  /** Static credentials; the standard AWS chain (environment, profile, SSO, role…) otherwise. */
  credentials?: SsmCredentials;
  /** A profile of the shared AWS config files, for the standard chain. */
  profile?: string;
  /** Where the shared AWS files are, to tell a missing profile in messages. */
  profileFiles?: AwsProfileFiles;
  /** Attempts per request, the SDK's retries included (default 3; tests use 1). */
  maxAttempts?: number;
  /** Default 3 s. */
  connectionTimeoutMilliseconds?: number;
  /** One attempt's time; default 5 s: a service that stops answering is retried, then reported as unavailable. */
  requestTimeoutMilliseconds?: number;
  /** The whole operation's time, its attempts included; default 12 s. */
  operationTimeoutMilliseconds?: number;
}

export const defaultSsmRequestTimeoutMilliseconds = 5_000;
export const defaultSsmOperationTimeoutMilliseconds = 12_000;

type SsmSdk = typeof import("@aws-sdk/client-ssm");

/**
 * Secrets as SecureString parameters named `<prefix>/<agent>/<provider id>/<version>`, through
 * @aws-sdk/client-ssm (loaded on first use). Each version is its own parameter, so storing never
 * overwrites and rotation leaves the old version readable until it is deleted.
 */
export class SsmSecretStore implements SecretStore {
  readonly kind = "aws-ssm";
  readonly prefix: string;
  private readonly options: SsmSecretStoreOptions;
  private readonly service: string;
  private client: Promise<{ client: SSMClient; sdk: SsmSdk }> | undefined;

  constructor(options: SsmSecretStoreOptions) {
    this.prefix = normalizePrefix(options.prefix);
    if (typeof options.region !== "string" || !/^[a-z0-9-]{2,40}$/.test(options.region)) {
      throw new SecretStoreError("invalid", `The AWS SSM secret store needs a region such as eu-west-1 (got ${JSON.stringify(String(options.region ?? "")).slice(0, 60)}).`);
    }
    if (options.endpoint !== undefined && !isHttpUrl(options.endpoint)) {
      throw new SecretStoreError("invalid", `The AWS SSM endpoint ${JSON.stringify(options.endpoint.slice(0, 200))} is not an http(s) URL.`);
    }
    this.options = options;
    this.service = options.endpoint === undefined ? `region ${options.region}` : `region ${options.region}, endpoint ${options.endpoint}`;
  }

  get where(): string {
    return `AWS SSM (${this.service})`;
  }

  /** The parameter that holds one version. */
  parameterName(reference: SecretReference): string {
    checkReference(reference);
    return parameterName(this.prefix, reference);
  }

  async put(reference: SecretReference, value: string): Promise<void> {
    const name = this.parameterName(reference);
    if (typeof value !== "string" || value.length === 0) {
      throw new SecretStoreError("invalid", `The secret for ${describeReference(reference)} is empty; AWS SSM cannot store an empty value.`);
    }
    const context = this.context("store", describeReference(reference), name, "PutParameter", reference, value);
    await this.call(context, (client, { PutParameterCommand }, abortSignal) =>
      client.send(new PutParameterCommand({
        Name: name,
        Value: value,
        Type: "SecureString",
        Overwrite: false,
        Description: `Prose secret: ${describeReference(reference)}`,
        ...(this.options.kmsKeyId === undefined ? {} : { KeyId: this.options.kmsKeyId }),
      }), { abortSignal }),
    );
  }

  async get(reference: SecretReference, options: ReadOptions = {}): Promise<string> {
    const name = this.parameterName(reference);
    const context = this.context("read", describeReference(reference), name, "GetParameter", reference);
    const result = await this.call(
      context,
      (client, { GetParameterCommand }, abortSignal) => client.send(new GetParameterCommand({ Name: name, WithDecryption: true }), { abortSignal }),
      options.signal,
    );
    const value = result.Parameter?.Value;
    if (typeof value !== "string") {
      throw new SecretStoreError("unavailable", `AWS SSM (${this.service}) answered without a value for ${describeReference(reference)} (parameter ${name}).`);
    }
    return value;
  }

  async delete(reference: SecretReference): Promise<void> {
    const name = this.parameterName(reference);
    const context = this.context("delete", describeReference(reference), name, "DeleteParameter", reference);
    try {
      await this.call(context, (client, { DeleteParameterCommand }, abortSignal) => client.send(new DeleteParameterCommand({ Name: name }), { abortSignal }));
    } catch (error) {
      if (error instanceof SecretStoreError && error.problem === "not-found") return;
      throw error;
    }
  }

  async list(agent: string, providerId?: string): Promise<SecretReference[]> {
    checkName("agent name", agent);
    if (providerId !== undefined) checkName("provider id", providerId);
    const path = parameterPath(this.prefix, agent, providerId);
    const what = providerId === undefined ? `the secrets of agent "${agent}"` : `the secrets of provider "${providerId}" of agent "${agent}"`;
    const context = this.context("list", what, path, "GetParametersByPath");
    const found: SecretReference[] = [];
    const seenTokens = new Set<string>();
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.call(context, (client, { GetParametersByPathCommand }, abortSignal) =>
        client.send(new GetParametersByPathCommand({ Path: path, Recursive: true, WithDecryption: false, MaxResults: 10, ...(token === undefined ? {} : { NextToken: token }) }), { abortSignal }),
      );
      for (const parameter of page.Parameters ?? []) {
        const reference = parameter.Name === undefined ? undefined : referenceOfName(this.prefix, parameter.Name);
        if (reference !== undefined && reference.agent === agent && (providerId === undefined || reference.providerId === providerId)) found.push(reference);
      }
      nextToken = page.NextToken === undefined || page.NextToken === "" ? undefined : page.NextToken;
      if (nextToken !== undefined) {
        if (seenTokens.has(nextToken)) {
          throw new SecretStoreError("unavailable", `AWS SSM (${this.service}) repeated a page token while listing ${what}; the listing was stopped.`);
        }
        seenTokens.add(nextToken);
      }
    } while (nextToken !== undefined);
    return found.sort(compareReferences);
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) (await client.catch(() => undefined))?.client.destroy();
  }

  private context(action: string, what: string, parameter: string, operation: string, reference?: SecretReference, secretValue?: string): SsmErrorContext {
    const { profile, profileFiles } = this.options;
    return {
      action,
      what,
      parameter,
      operation,
      service: this.service,
      customEndpoint: this.options.endpoint !== undefined,
      ...(reference === undefined ? {} : { reference }),
      ...(secretValue === undefined ? {} : { secretValue }),
      ...(profile === undefined || this.options.credentials !== undefined ? {} : { profile: { name: profile, ...(profileFiles === undefined ? {} : { files: profileFiles }) } }),
    };
  }

  /**
   * Runs one SDK call, attempts included, within the operation's time and until `signal` stops
   * it (the SDK is told through `abortSignal`, and the caller is answered at once); any failure
   * becomes a `SecretStoreError` described by `context`.
   */
  private async call<T>(context: SsmErrorContext, run: (client: SSMClient, sdk: SsmSdk, abortSignal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const operationMilliseconds = this.options.operationTimeoutMilliseconds ?? defaultSsmOperationTimeoutMilliseconds;
    const deadline = AbortSignal.timeout(operationMilliseconds);
    const abortSignal = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    const stopped = () =>
      signal?.aborted === true
        ? readStopped(signal, context.what, `AWS SSM (${context.service})`)
        : new SecretStoreError(
            "unavailable",
            `AWS SSM (${context.service}) did not answer within ${seconds(operationMilliseconds)} to ${context.action} ${context.what} (parameter ${context.parameter}). ${context.customEndpoint ? "Check that the endpoint is reachable from here (the workspace's store endpoint, set with `prose byom store aws-ssm --endpoint`)" : "Check the network (or proxy) between here and AWS"}, then try again.`,
          );
    const work = (async () => {
      const { client, sdk } = await this.sdkClient();
      // The credentials first (the SDK keeps them): whatever fails there is about credentials.
      try {
        await client.config.credentials();
      } catch {
        throw noCredentialsError(context);
      }
      return run(client, sdk, abortSignal);
    })();
    try {
      return await untilAborted(work, abortSignal, stopped);
    } catch (error) {
      if (abortSignal.aborted && !(error instanceof SecretStoreError)) throw stopped();
      throw ssmStoreError(error, context);
    }
  }

  private sdkClient(): Promise<{ client: SSMClient; sdk: SsmSdk }> {
    if (this.client === undefined) {
      const created = this.createClient();
      this.client = created;
      created.catch(() => {
        if (this.client === created) this.client = undefined;
      });
    }
    return this.client;
  }

  private async createClient(): Promise<{ client: SSMClient; sdk: SsmSdk }> {
    const sdk = await import("@aws-sdk/client-ssm");
    const options = this.options;
    const client = withoutAwsNodeVersionWarning(
      () =>
        new sdk.SSMClient({
          region: options.region,
          maxAttempts: options.maxAttempts ?? 3,
          requestHandler: {
            connectionTimeout: options.connectionTimeoutMilliseconds ?? 3000,
            requestTimeout: options.requestTimeoutMilliseconds ?? defaultSsmRequestTimeoutMilliseconds,
            throwOnRequestTimeout: true,
          },
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
          ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
          ...(options.profile === undefined ? {} : { profile: options.profile }),
        }),
    );
    return { client, sdk };
  }
}

function seconds(milliseconds: number): string {
  return milliseconds % 1000 === 0 ? `${milliseconds / 1000} s` : `${milliseconds} ms`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
