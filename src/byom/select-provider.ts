import { keyVariables } from "../llm/environment-resolver.js";
import type { ProviderType } from "../llm/language-model.js";
import { automaticTypes, isProviderType, providerDescriptor, typesInTryOrder } from "../llm/provider-registry.js";
import { type ModelChoice, ModelResolutionError } from "../llm/model-resolver.js";
import { type AgentConfig, primaryModel, type ProviderConfig } from "./config-schema.js";
import { effectiveRouting, type EffectiveRouting, providerRefusal, type ProviderRefusal } from "./project-routing.js";
import { defaultAgent } from "./workspace.js";

/** The type named in messages that suggest one: the first tried when a call names none. */
const firstType = automaticTypes[0];

export type Selection = { kind: "provider"; provider: ProviderConfig; model: string; refusal?: ProviderRefusal } | { kind: "environment" };

/**
 * How a call finds its model (BYOM.md): (1) `the model provider is "<id>"` → that configuration;
 * (2) `the <type> model is "…"` → the agent's configuration of that type; (3) neither → the
 * default provider (the project's, else the agent's: `routing`); (4) no configuration of that type
 * → the environment variables, when they configure it. Otherwise an error naming the
 * `prose byom add …` command that fixes it. A provider that cannot serve the run (disabled, or
 * refused by a policy) is chosen only when no usable one fits, with the `refusal` said: routing
 * then skips it with a warning and moves on to the fallback chain.
 */
export function selectProvider(config: AgentConfig, choice: ModelChoice, environmentTypes: readonly ProviderType[], routing: EffectiveRouting = effectiveRouting(config, undefined)): Selection {
  // Each provider's refusal, judged once for this selection.
  const refusals = new Map(config.providers.map((provider) => [provider, providerRefusal(config, provider, routing)]));
  const refusalOf = (provider: ProviderConfig) => refusals.get(provider);
  const chosen = (provider: ProviderConfig, model: string): Selection => {
    const refusal = refusalOf(provider);
    return refusal === undefined ? { kind: "provider", provider, model } : { kind: "provider", provider, model, refusal };
  };
  // Usable providers first, then the others (each keeps its place among its kind).
  const ordered = [...config.providers.filter((provider) => refusalOf(provider) === undefined), ...config.providers.filter((provider) => refusalOf(provider) !== undefined)];
  if (choice.providerId !== undefined) return byId(config, choice, environmentTypes, chosen);
  if (choice.providerType !== undefined) {
    const type = choice.providerType;
    const candidates = ordered.filter((provider) => provider.type === type);
    if (candidates.length === 0) {
      if (environmentTypes.includes(type)) return { kind: "environment" };
      throw new ModelResolutionError(`The agent "${config.agent}" has no ${type} provider, and the environment configures none: add one with \`${addCommand(type, config.agent)}\`.`);
    }
    const defaultOfType = candidates.find((provider) => provider.id === routing.defaultProvider && refusalOf(provider) === undefined);
    const model = choice.model;
    const serving = model === undefined ? undefined : [defaultOfType, ...candidates].find((provider) => provider?.models.some((entry) => entry.id === model));
    const provider = serving ?? defaultOfType ?? candidates[0];
    return chosen(provider, model ?? primaryModel(provider));
  }
  const defaultProvider = config.providers.find((provider) => provider.id === routing.defaultProvider) ?? ordered[0];
  if (defaultProvider === undefined) {
    if (automaticTypes.some((type) => environmentTypes.includes(type))) return { kind: "environment" };
    throw new ModelResolutionError(
      `The agent "${config.agent}" has no model provider, and no ${keyVariables()} is set: add one with \`${addCommand(firstType, config.agent)}\` (or ${typesInTryOrder.filter((type) => type !== firstType).join(", ")}).`,
    );
  }
  if (choice.model === undefined) return chosen(defaultProvider, primaryModel(defaultProvider));
  const model = choice.model;
  const usableDefault = refusalOf(defaultProvider) === undefined ? [defaultProvider] : [];
  const provider = [...usableDefault, ...ordered].find((candidate) => candidate.models.some((entry) => entry.id === model));
  if (provider === undefined) {
    throw new ModelResolutionError(
      `No provider of the agent "${config.agent}" has the model "${model}" (the default provider "${defaultProvider.id}" has ${modelList(defaultProvider)}): name its type too, as \`the ${providerDescriptor(firstType).blockLine?.line ?? "model"} is "${model}"\`, or add a provider with \`${addCommand(firstType, config.agent, model)}\`.`,
    );
  }
  return chosen(provider, model);
}

function byId(config: AgentConfig, choice: ModelChoice, environmentTypes: readonly ProviderType[], chosen: (provider: ProviderConfig, model: string) => Selection): Selection {
  const id = choice.providerId!;
  const provider = config.providers.find((candidate) => candidate.id === id);
  if (provider === undefined) {
    const shadowed = config.providers.some((candidate) => candidate.type === id);
    if (isProviderType(id) && !shadowed && environmentTypes.includes(id)) return { kind: "environment" };
    throw new ModelResolutionError(unknownProviderMessage(id, config));
  }
  if (choice.providerType !== undefined && choice.providerType !== provider.type) {
    throw new ModelResolutionError(`The call names the provider "${id}", a ${provider.type} provider, and a ${choice.providerType} model: keep \`the model provider is "${id}"\` with \`the model is "…"\`.`);
  }
  if (choice.model === undefined) return chosen(provider, primaryModel(provider));
  if (!provider.models.some((entry) => entry.id === choice.model)) {
    throw new ModelResolutionError(`The provider "${id}" has no model "${choice.model}"; its models are ${modelList(provider)}: use one of them, or add the model with \`prose byom model add ${id}${agentOption(config.agent)} ${choice.model}\`.`);
  }
  return chosen(provider, choice.model);
}

/** The ids a script may name with `the model provider is "…"`: the agent's, and the environment's types it does not shadow. */
export function acceptedProviderIds(config: AgentConfig, environmentTypes: readonly ProviderType[]): string[] {
  const ids = config.providers.map((provider) => provider.id);
  for (const type of environmentTypes) if (!config.providers.some((provider) => provider.type === type)) ids.push(type);
  return ids;
}

export function unknownProviderMessage(id: string, config: AgentConfig): string {
  const ids = config.providers.map((provider) => `"${provider.id}"`);
  const known = ids.length === 0 ? "it has no providers yet" : `its providers are ${ids.join(", ")}`;
  return `The agent "${config.agent}" has no model provider "${id}"; ${known}. Use one of its ids (\`prose byom list${agentOption(config.agent)}\`), or add one with \`prose byom add <type>${agentOption(config.agent)} …\`.`;
}

function modelList(provider: ProviderConfig): string {
  return provider.models.map((entry) => `"${entry.id}"`).join(", ");
}

/** `prose byom add openai --agent invoices --api-key-env OPENAI_API_KEY`. */
export function addCommand(type: ProviderType, agent: string, model?: string): string {
  const example = providerDescriptor(type).addExample;
  const options = model === undefined ? example : /--model [A-Z]+/.test(example) ? example.replace(/--model [A-Z]+/, `--model ${model}`) : `${example} --model ${model}`;
  return `prose byom add ${type}${agentOption(agent)} ${options}`;
}

function agentOption(agent: string): string {
  return agent === defaultAgent ? "" : ` --agent ${agent}`;
}
