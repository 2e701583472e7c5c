import type { AgentConfig, ProjectSettings, ProviderConfig } from "./config-schema.js";
import { defaultAgent } from "./workspace.js";

/** Why a provider cannot serve a run now, and what fixes it. */
export interface ProviderRefusal {
  reason: string;
  fix: string;
}

/**
 * What a run with `--project P` routes by (BYOM v1, "Projects"): the project's default provider
 * (else the agent's) and a fallback chain made of the project's chain, then the agent's default
 * provider (when the project chose another), then the agent's chain, each provider once. A run
 * without a project, or with a project that has no settings, routes as the agent.
 */
export interface EffectiveRouting {
  project: string | undefined;
  defaultProvider: string | null;
  /** Where the default comes from. */
  defaultFrom: "project" | "agent";
  fallbackChain: string[];
  /** The policies that apply: the agent's, then the project's. */
  requireNoTraining: { by: "agent" | "project" } | undefined;
}

export function projectSettings(config: AgentConfig, project: string | undefined): ProjectSettings | undefined {
  if (project === undefined) return undefined;
  return config.projects === undefined || !Object.hasOwn(config.projects, project) ? undefined : config.projects[project];
}

export function effectiveRouting(config: AgentConfig, project: string | undefined): EffectiveRouting {
  const own = projectSettings(config, project);
  const projectDefault = own?.defaultProvider;
  const chain: string[] = [];
  const add = (id: string | null | undefined) => {
    if (id !== null && id !== undefined && !chain.includes(id)) chain.push(id);
  };
  for (const id of own?.fallbackChain ?? []) add(id);
  // What comes from the agent never repeats the project's own default (it was tried first).
  const fromAgent = [...(projectDefault !== undefined ? [config.defaultProvider] : []), ...config.fallbackChain].filter((id) => id !== projectDefault);
  for (const id of fromAgent) add(id);
  const defaultProvider = projectDefault ?? config.defaultProvider;
  return {
    project,
    defaultProvider,
    defaultFrom: projectDefault === undefined ? "agent" : "project",
    fallbackChain: chain,
    requireNoTraining: config.policy?.requireNoTraining === true ? { by: "agent" } : own?.policy?.requireNoTraining === true ? { by: "project" } : undefined,
  };
}

/** The agent's configuration as a run of the project sees it: the effective default and chain in place of the agent's. */
export function configForProject(config: AgentConfig, routing: EffectiveRouting): AgentConfig {
  if (routing.defaultProvider === config.defaultProvider && sameList(routing.fallbackChain, config.fallbackChain)) return config;
  return { ...config, defaultProvider: routing.defaultProvider, fallbackChain: routing.fallbackChain };
}

/**
 * Why the provider cannot serve this run, or undefined when it can: it is disabled, or a policy
 * requires no-training and it is not marked so. Routing skips it (with a warning); `check` reports it.
 */
export function providerRefusal(config: AgentConfig, provider: ProviderConfig, routing: EffectiveRouting): ProviderRefusal | undefined {
  const agentOption = config.agent === defaultAgent ? "" : ` --agent ${config.agent}`;
  if (!provider.enabled) return { reason: `the provider "${provider.id}" is disabled`, fix: `Enable it with \`prose byom enable ${provider.id}${agentOption}\`, or name another provider.` };
  if (routing.requireNoTraining !== undefined && provider.noTraining !== true) {
    const whose = routing.requireNoTraining.by === "agent" ? `the agent "${config.agent}"` : `the project "${routing.project}"`;
    return {
      reason: `the provider "${provider.id}" is not marked no-training, and the policy of ${whose} requires it`,
      fix: `If its account neither retains nor trains on requests, mark it with \`prose byom edit ${provider.id}${agentOption} --no-training\`; otherwise use a provider that is marked.`,
    };
  }
  return undefined;
}

/** The providers of the routing's fallback chain that a run can use now (they exist, and nothing refuses them), in order. */
export function usableChain(config: AgentConfig, routing: EffectiveRouting): string[] {
  return routing.fallbackChain.filter((id) => {
    const provider = config.providers.find((candidate) => candidate.id === id);
    return provider !== undefined && providerRefusal(config, provider, routing) === undefined;
  });
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}
