import { EnvironmentModelResolver } from "../llm/environment-resolver.js";
import type { LanguageModel, ProviderType } from "../llm/language-model.js";
import { type ModelChoice, ModelResolutionError, type ModelResolver } from "../llm/model-resolver.js";
import { ByomError } from "./byom-error.js";
import type { AdapterOptions } from "./build-language-model.js";
import { readAgentConfig, readWorkspaceSettings } from "./config-files.js";
import type { AgentConfig } from "./config-schema.js";
import { CredentialBoundModel } from "./credential-bound-model.js";
import { openSecretStoreFromFactory, type SecretStoreOpener, secretStoreSettings } from "./secret-store-access.js";
import type { SecretStore } from "./secrets/secret-store.js";
import { acceptedProviderIds, selectProvider } from "./select-provider.js";
import type { Environment } from "./workspace.js";

export interface ByomResolverOptions {
  workspace: string;
  agent: string;
  /** For the environment fallback and the secret store's settings (never process.env). */
  environment: Environment;
  openSecretStore?: SecretStoreOpener;
  /** Where calls go when the agent has no configuration of a type: the environment resolver by default. */
  fallback?: ModelResolver & { configuredTypes(): ProviderType[] };
  adapterOptions?: AdapterOptions;
}

/**
 * Finds a call's model in the agent's BYOM configuration (BYOM.md, "How a call finds its model"),
 * falling back to the environment variables for types the agent does not configure. The
 * configuration is read at every resolution and every call, so changes made by `prose byom`
 * while a script runs (a rotation) apply to the next call.
 */
export class ByomModelResolver implements ModelResolver {
  private readonly fallback: ModelResolver & { configuredTypes(): ProviderType[] };
  private store: Promise<SecretStore> | undefined;

  constructor(private readonly options: ByomResolverOptions) {
    this.fallback = options.fallback ?? new EnvironmentModelResolver(options.environment, options.adapterOptions ?? {});
  }

  async resolve(choice: ModelChoice): Promise<LanguageModel> {
    const config = await this.agentConfig();
    const selection = selectProvider(config, choice, this.fallback.configuredTypes());
    if (selection.kind === "environment") return this.fallback.resolve(choice);
    const model = new CredentialBoundModel(selection.provider, selection.model, {
      readAgent: () => this.agentConfig(),
      store: () => this.secretStore(),
      adapterOptions: this.options.adapterOptions ?? {},
    });
    return model;
  }

  /** The ids a script may name with `the model provider is "…"`, for `prose check --agent`. */
  async providerIds(): Promise<string[]> {
    return acceptedProviderIds(await this.agentConfig(), this.fallback.configuredTypes());
  }

  /** The agent's configuration; a broken file fails the call with the file named and the fix. */
  private async agentConfig(): Promise<AgentConfig> {
    try {
      return await readAgentConfig(this.options.workspace, this.options.agent);
    } catch (problem) {
      if (problem instanceof ByomError) throw new ModelResolutionError(problem.fix === undefined ? problem.message : `${problem.message} ${problem.fix}`);
      throw problem;
    }
  }

  private secretStore(): Promise<SecretStore> {
    if (this.store === undefined) {
      const opener = this.options.openSecretStore ?? openSecretStoreFromFactory;
      this.store = readWorkspaceSettings(this.options.workspace).then((settings) => opener(secretStoreSettings(this.options.workspace, settings.store), this.options.environment));
      this.store.catch(() => {
        this.store = undefined;
      });
    }
    return this.store;
  }
}
