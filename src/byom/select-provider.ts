import { keyVariables } from "../llm/environment-resolver.js";
import type { ProviderType } from "../llm/language-model.js";
import { automaticTypes, isProviderType, providerDescriptor, typesInTryOrder } from "../llm/provider-registry.js";
import { type ModelChoice, ModelResolutionError } from "../llm/model-resolver.js";
import { type AgentConfig, primaryModel, type ProviderConfig } from "./config-schema.js";
import { defaultAgent } from "./workspace.js";

/** The type named in messages that suggest one: the first tried when a call names none. */
const firstType = automaticTypes[0];

export type Selection = { kind: "provider"; provider: ProviderConfig; model: string } | { kind: "environment" };

/**
 * How a call finds its model (BYOM.md): (1) `the model provider is "<id>"` → that configuration;
 * (2) `the <type> model is "…"` → the agent's configuration of that type; (3) neither → the agent's
 * default provider; (4) no configuration of that type → the environment variables, when they
 * configure it. Otherwise an error naming the `prose byom add …` command that fixes it.
 */
export function selectProvider(config: AgentConfig, choice: ModelChoice, environmentTypes: readonly ProviderType[]): Selection {
  const enabled = config.providers.filter((provider) => provider.enabled);
  if (choice.providerId !== undefined) return byId(config, choice, environmentTypes);
  if (choice.providerType !== undefined) {
    const type = choice.providerType;
    const candidates = enabled.filter((provider) => provider.type === type);
    if (candidates.length === 0) {
      if (environmentTypes.includes(type)) return { kind: "environment" };
      throw new ModelResolutionError(`The agent "${config.agent}" has no ${type} provider, and the environment configures none: add one with \`${addCommand(type, config.agent)}\`.`);
    }
    const defaultOfType = candidates.find((provider) => provider.id === config.defaultProvider);
    const model = choice.model;
    const serving = model === undefined ? undefined : [defaultOfType, ...candidates].find((provider) => provider?.models.some((entry) => entry.id === model));
    const provider = serving ?? defaultOfType ?? candidates[0];
    return { kind: "provider", provider, model: model ?? primaryModel(provider) };
  }
  const defaultProvider = enabled.find((provider) => provider.id === config.defaultProvider) ?? enabled[0];
  if (defaultProvider === undefined) {
    if (automaticTypes.some((type) => environmentTypes.includes(type))) return { kind: "environment" };
    throw new ModelResolutionError(
      `The agent "${config.agent}" has no model provider, and no ${keyVariables()} is set: add one with \`${addCommand(firstType, config.agent)}\` (or ${typesInTryOrder.filter((type) => type !== firstType).join(", ")}).`,
    );
  }
  if (choice.model === undefined) return { kind: "provider", provider: defaultProvider, model: primaryModel(defaultProvider) };
  const model = choice.model;
  const provider = [defaultProvider, ...enabled].find((candidate) => candidate.models.some((entry) => entry.id === model));
  if (provider === undefined) {
    throw new ModelResolutionError(
      `No provider of the agent "${config.agent}" has the model "${model}" (the default provider "${defaultProvider.id}" has ${modelList(defaultProvider)}): name its type too, as \`the ${providerDescriptor(firstType).blockLine?.line ?? "model"} is "${model}"\`, or add a provider with \`${addCommand(firstType, config.agent, model)}\`.`,
    );
  }
  return { kind: "provider", provider, model };
}

function byId(config: AgentConfig, choice: ModelChoice, environmentTypes: readonly ProviderType[]): Selection {
  const id = choice.providerId!;
  const provider = config.providers.find((candidate) => candidate.id === id);
  if (provider === undefined) {
    const shadowed = config.providers.some((candidate) => candidate.type === id);
    if (isProviderType(id) && !shadowed && environmentTypes.includes(id)) return { kind: "environment" };
    throw new ModelResolutionError(unknownProviderMessage(id, config));
  }
  if (!provider.enabled) throw new ModelResolutionError(`The provider "${id}" of the agent "${config.agent}" is disabled: use another provider, or add it again with \`${addCommand(provider.type, config.agent)}\`.`);
  if (choice.providerType !== undefined && choice.providerType !== provider.type) {
    throw new ModelResolutionError(`The call names the provider "${id}", a ${provider.type} provider, and a ${choice.providerType} model: keep \`the model provider is "${id}"\` with \`the model is "…"\`.`);
  }
  if (choice.model === undefined) return { kind: "provider", provider, model: primaryModel(provider) };
  if (!provider.models.some((entry) => entry.id === choice.model)) {
    throw new ModelResolutionError(`The provider "${id}" has no model "${choice.model}"; its models are ${modelList(provider)}: use one of them, or add a provider with that model (\`${addCommand(provider.type, config.agent, choice.model)}\`).`);
  }
  return { kind: "provider", provider, model: choice.model };
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
