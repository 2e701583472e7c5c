import { statSync } from "node:fs";
import { maxAnswerBytesFrom } from "../llm/answer-checks.js";
import { capitalized } from "../llm/provider-setup.js";
import { EnvironmentModelResolver } from "../llm/environment-resolver.js";
import type { LanguageModel, ProviderType } from "../llm/language-model.js";
import { type ModelChoice, ModelResolutionError, type ModelResolver, ProviderUnavailableError } from "../llm/model-resolver.js";
import { type RoutePlanner, type RouteTarget, targetOfModel } from "../llm/router/route-target.js";
import { ByomError } from "./byom-error.js";
import type { AdapterOptions } from "./build-language-model.js";
import { readAgentConfig, readWorkspaceSettings } from "./config-files.js";
import type { AgentConfig, ProviderConfig } from "./config-schema.js";
import { CredentialBoundModel } from "./credential-bound-model.js";
import { effectiveRouting, type EffectiveRouting, type ProviderRefusal } from "./project-routing.js";
import { type RouteCandidate, routeCandidates } from "./route-candidates.js";
import { openSecretStoreFromFactory, type SecretStoreOpener, secretStoreSettings } from "./secret-store-access.js";
import type { SecretStore } from "./secrets/secret-store.js";
import { acceptedProviderIds, selectProvider } from "./select-provider.js";
import { agentFile, type Environment } from "./workspace.js";

export interface ByomResolverOptions {
  workspace: string;
  agent: string;
  /** The run's `--project`: its default provider and fallback chain come first (project-routing.ts). */
  project?: string;
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
export class ByomModelResolver implements ModelResolver, RoutePlanner {
  private readonly fallback: ModelResolver & { configuredTypes(): ProviderType[] };
  private store: Promise<SecretStore> | undefined;
  /** One model per provider and model id, so that its adapter (and SDK client) serves every call. */
  private readonly models = new Map<string, CredentialBoundModel>();
  private agentPath: string | undefined;
  /** The agent file as last read, with the identity of the file it was read from. */
  private cachedConfig: { version: string; lookedAt: number; config: Promise<AgentConfig> } | undefined;
  /** The last route planned, for the next call that makes the same choice under the same configuration. */
  private cachedPlan: { key: string; config: AgentConfig; targets: RouteTarget[] } | undefined;

  constructor(private readonly options: ByomResolverOptions) {
    this.fallback = options.fallback ?? new EnvironmentModelResolver(options.environment, options.adapterOptions ?? {});
  }

  async resolve(choice: ModelChoice): Promise<LanguageModel> {
    const config = await this.agentConfig();
    const routing = effectiveRouting(config, this.options.project);
    const selection = selectProvider(config, choice, this.fallback.configuredTypes(), routing);
    if (selection.kind === "environment") {
      const model = await this.fallback.resolve(choice);
      const refusal = environmentRefusal(config, routing, model.providerType);
      if (refusal !== undefined) throw unavailableError(refusal);
      return model;
    }
    if (selection.refusal !== undefined) throw unavailableError(selection.refusal);
    return this.boundModel(selection.provider, selection.model);
  }

  /**
   * The models a call may be sent to (for the router): the call's own model as `resolve` finds
   * it, its configuration's fallback model, then the agent's fallback chain. Each target reads
   * its credential when opened, just before an attempt, so a rotation applies to the next attempt
   * and a fallback without a usable credential fails there, to be skipped with a warning.
   */
  async plan(choice: ModelChoice): Promise<RouteTarget[]> {
    const config = await this.agentConfig(planLookMilliseconds);
    const key = `${choice.providerId ?? ""}\u0000${choice.providerType ?? ""}\u0000${choice.model ?? ""}`;
    if (this.cachedPlan?.config === config && this.cachedPlan.key === key) return this.cachedPlan.targets;
    const routing = effectiveRouting(config, this.options.project);
    const selection = selectProvider(config, choice, this.fallback.configuredTypes(), routing);
    const targets =
      selection.kind === "environment"
        ? [await this.environmentTarget(config, routing, choice), ...routeCandidates(config, undefined, routing).map((candidate) => this.target(candidate))]
        : routeCandidates(config, selection, routing).map((candidate) => this.target(candidate));
    this.cachedPlan = { key, config, targets };
    return targets;
  }

  /** The call's model from the environment variables; under a no-training policy, one the router skips (it cannot be marked). */
  private async environmentTarget(config: AgentConfig, routing: EffectiveRouting, choice: ModelChoice): Promise<RouteTarget> {
    const target = targetOfModel(await this.fallback.resolve(choice));
    const refusal = environmentRefusal(config, routing, target.providerType);
    if (refusal === undefined) return target;
    return {
      ...target,
      open: async () => {
        throw unavailableError(refusal);
      },
    };
  }

  private target(candidate: RouteCandidate): RouteTarget {
    const { provider, model, role, unavailable } = candidate;
    const bound = this.boundModel(provider, model);
    return {
      providerId: provider.id,
      providerType: provider.type,
      model,
      role,
      limits: provider.limits,
      currentLimits: async () => (await this.agentConfig()).providers.find((current) => current.id === provider.id)?.limits ?? provider.limits,
      open: async (justPlanned, signal) => {
        if (unavailable !== undefined) throw unavailableError(unavailable);
        // Right after the plan, the configuration it was made from is the one on disk (one stat a call).
        return bound.currentAdapter(justPlanned === true ? await this.cachedConfig?.config : undefined, signal);
      },
    };
  }

  private boundModel(provider: ProviderConfig, model: string): CredentialBoundModel {
    const key = `${provider.id}\u0000${model}`;
    let bound = this.models.get(key);
    if (bound === undefined) {
      bound = new CredentialBoundModel(provider, model, {
        readAgent: () => this.agentConfig(),
        store: () => this.secretStore(),
        adapterOptions: { maxAnswerBytes: maxAnswerBytesFrom(this.options.environment), ...this.options.adapterOptions },
      });
      this.models.set(key, bound);
    }
    return bound;
  }

  /** The ids a script may name with `the model provider is "…"`, for `prose check --agent`. */
  async providerIds(): Promise<string[]> {
    return acceptedProviderIds(await this.agentConfig(), this.fallback.configuredTypes());
  }

  /**
   * The agent's configuration as it is on disk now; a broken file fails the call with the file
   * named and the fix. It is read again only when the file changed (`prose byom` replaces it by a
   * rename, so its inode, size or times change): a look costs one stat, not a read and a parse.
   * With `maxAge`, a look that recent is taken as current.
   */
  private agentConfig(maxAge = 0): Promise<AgentConfig> {
    const now = performance.now();
    if (this.cachedConfig !== undefined && now - this.cachedConfig.lookedAt < maxAge) return this.cachedConfig.config;
    this.agentPath ??= agentFile(this.options.workspace, this.options.agent);
    const version = fileVersion(this.agentPath);
    if (this.cachedConfig?.version === version) {
      this.cachedConfig.lookedAt = now;
      return this.cachedConfig.config;
    }
    const config = this.readAgentConfig();
    const cached = { version, lookedAt: now, config };
    this.cachedConfig = cached;
    config.catch(() => {
      if (this.cachedConfig === cached) this.cachedConfig = undefined;
    });
    return config;
  }

  private async readAgentConfig(): Promise<AgentConfig> {
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

/**
 * Under a no-training policy, a model from the environment variables is refused: nothing marks
 * that account as retaining nothing. The fix is to add it as a provider, marked.
 */
function environmentRefusal(config: AgentConfig, routing: EffectiveRouting, type: ProviderType): ProviderRefusal | undefined {
  if (routing.requireNoTraining === undefined) return undefined;
  const whose = routing.requireNoTraining.by === "agent" ? `the agent "${config.agent}"` : `the project "${routing.project}"`;
  return {
    reason: `the ${type} provider configured by environment variables cannot be marked no-training, and the policy of ${whose} requires it`,
    fix: `Add the account as a provider marked no-training, as \`prose byom add ${type} … --no-training\`, if its account neither retains nor trains on requests.`,
  };
}

function unavailableError(refusal: ProviderRefusal): ProviderUnavailableError {
  return new ProviderUnavailableError(`${capitalized(refusal.reason)}. ${refusal.fix}`);
}
/**
 * Routes planned this close together share one look at the agent file: a change made by
 * `prose byom` (a rotation, a new fallback chain) reaches the router's calls within this time. A
 * call that finds its credential version deleted looks again at once.
 */
const planLookMilliseconds = 10;

/** What identifies a version of a file: its inode, size and times; "missing" when there is none. */
function fileVersion(path: string): string {
  try {
    const stats = statSync(path);
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
  } catch {
    return "missing";
  }
}
