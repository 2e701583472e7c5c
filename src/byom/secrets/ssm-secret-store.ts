import type { SSMClient } from "@aws-sdk/client-ssm";
import { ssmStoreError, type SsmErrorContext } from "./ssm-errors.js";
import { normalizePrefix, parameterName, parameterPath, referenceOfName } from "./ssm-parameter-names.js";
import { checkName, checkReference, compareReferences, describeReference } from "./secret-reference.js";
import { type SecretReference, type SecretStore, SecretStoreError } from "./secret-store.js";

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
  /** Attempts per request, the SDK's retries included (default 3; tests use 1). */
  maxAttempts?: number;
  /** Default 3 s. */
  connectionTimeoutMilliseconds?: number;
  /** Default 10 s: a service that stops answering is reported as unavailable, not waited on forever. */
  requestTimeoutMilliseconds?: number;
}

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
    this.service = options.endpoint ?? `region ${options.region}`;
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
    const context = this.context("store", describeReference(reference), name, "PutParameter", value);
    await this.call(context, (client, { PutParameterCommand }) =>
      client.send(new PutParameterCommand({
        Name: name,
        Value: value,
        Type: "SecureString",
        Overwrite: false,
        Description: `Prose secret: ${describeReference(reference)}`,
        ...(this.options.kmsKeyId === undefined ? {} : { KeyId: this.options.kmsKeyId }),
      })),
    );
  }

  async get(reference: SecretReference): Promise<string> {
    const name = this.parameterName(reference);
    const context = this.context("read", describeReference(reference), name, "GetParameter");
    const result = await this.call(context, (client, { GetParameterCommand }) => client.send(new GetParameterCommand({ Name: name, WithDecryption: true })));
    const value = result.Parameter?.Value;
    if (typeof value !== "string") {
      throw new SecretStoreError("unavailable", `AWS SSM (${this.service}) answered without a value for ${describeReference(reference)} (parameter ${name}).`);
    }
    return value;
  }

  async delete(reference: SecretReference): Promise<void> {
    const name = this.parameterName(reference);
    const context = this.context("delete", describeReference(reference), name, "DeleteParameter");
    try {
      await this.call(context, (client, { DeleteParameterCommand }) => client.send(new DeleteParameterCommand({ Name: name })));
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
      const page = await this.call(context, (client, { GetParametersByPathCommand }) =>
        client.send(new GetParametersByPathCommand({ Path: path, Recursive: true, WithDecryption: false, MaxResults: 10, ...(token === undefined ? {} : { NextToken: token }) })),
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

  private context(action: string, what: string, parameter: string, operation: string, secretValue?: string): SsmErrorContext {
    return { action, what, parameter, operation, service: this.service, ...(secretValue === undefined ? {} : { secretValue }) };
  }

  /** Runs one SDK call; any failure becomes a `SecretStoreError` described by `context`. */
  private async call<T>(context: SsmErrorContext, run: (client: SSMClient, sdk: SsmSdk) => Promise<T>): Promise<T> {
    try {
      const { client, sdk } = await this.sdkClient();
      return await run(client, sdk);
    } catch (error) {
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
    const client = new sdk.SSMClient({
      region: options.region,
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMilliseconds ?? 3000,
        requestTimeout: options.requestTimeoutMilliseconds ?? 10000,
        throwOnRequestTimeout: true,
      },
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
    });
    return { client, sdk };
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
