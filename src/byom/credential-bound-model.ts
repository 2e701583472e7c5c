import type { GenerateRequest, GenerateResult, LanguageModel, ProviderType, StreamEvent } from "../llm/language-model.js";
import { ModelResolutionError } from "../llm/model-resolver.js";
import { buildLanguageModel, credentialSecrets, type AdapterOptions } from "./build-language-model.js";
import type { AgentConfig, ProviderConfig } from "./config-schema.js";
import { RedactingModel } from "./redacting-model.js";
import { type SecretStore, SecretStoreError } from "./secrets/secret-store.js";

export interface CredentialSources {
  /** The agent's configuration as it is now on disk (a rotation may just have switched the version). */
  readAgent(): Promise<AgentConfig>;
  store(): Promise<SecretStore>;
  adapterOptions: AdapterOptions;
}

/**
 * One model of one provider configuration. Each call looks up the provider's active credential
 * version and reads its value from the secret store (through the store's cache) just before the
 * request, so a rotation takes effect at the next call, while calls already running keep the value
 * they read. Adapters are kept per credential version.
 */
export class CredentialBoundModel implements LanguageModel {
  readonly providerId: string;
  readonly providerType: ProviderType;
  private adapters = new Map<string, { secret: string | undefined; adapter: LanguageModel }>();

  constructor(
    provider: ProviderConfig,
    readonly model: string,
    private readonly sources: CredentialSources,
  ) {
    this.providerId = provider.id;
    this.providerType = provider.type;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    return (await this.currentAdapter(undefined, request.signal)).generate(request);
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamEvent> {
    yield* (await this.currentAdapter(undefined, request.signal)).stream(request);
  }

  /**
   * The adapter for the credential version active now; `known` is the configuration when it was
   * just read. `signal` (the run's, or the attempt's deadline) stops the credential's read.
   */
  async currentAdapter(known?: AgentConfig, signal?: AbortSignal): Promise<LanguageModel> {
    for (let attempt = 1; ; attempt += 1) {
      const config = attempt === 1 && known !== undefined ? known : await this.sources.readAgent();
      const provider = config.providers.find((candidate) => candidate.id === this.providerId);
      if (provider === undefined) {
        throw new ModelResolutionError(`The provider "${this.providerId}" was removed from the agent "${config.agent}" while the script ran: add it again, or name another provider.`);
      }
      const version = provider.credentialVersion;
      let secret: string | undefined;
      if (version !== null) {
        try {
          secret = await (await this.sources.store()).get({ agent: config.agent, providerId: provider.id, version }, signal === undefined ? {} : { signal });
        } catch (problem) {
          // A rotation switched versions and deleted the old one between the two reads: read the new version.
          if (problem instanceof SecretStoreError && problem.problem === "not-found" && attempt < 3) continue;
          throw credentialError(provider, config.agent, problem);
        }
      }
      return await this.adapterFor(provider, version, secret);
    }
  }

  private async adapterFor(provider: ProviderConfig, version: number | null, secret: string | undefined): Promise<LanguageModel> {
    const key = `${version ?? "none"}\u0000${provider.updatedAt}`;
    const cached = this.adapters.get(key);
    if (cached !== undefined && cached.secret === secret) return cached.adapter;
    const built = await buildLanguageModel(provider, this.model, secret, this.sources.adapterOptions);
    const secrets = credentialSecrets(secret);
    const adapter = secrets.length === 0 ? built : new RedactingModel(built, secrets);
    // Only the current version's adapter is kept: the old one is dropped after a rotation.
    this.adapters = new Map([[key, { secret, adapter }]]);
    return adapter;
  }
}

function credentialError(provider: ProviderConfig, agent: string, problem: unknown): Error {
  const reason = problem instanceof SecretStoreError ? problem.message : `the secret store failed (${(problem as Error).message})`;
  return new ModelResolutionError(`The credential of provider "${provider.id}" (agent "${agent}") could not be read: ${reason}`);
}
