import { ByomError } from "./byom-error.js";
import { type AgentConfig, type Policy, type ProjectSettings, projectNamePattern } from "./config-schema.js";
import { effectiveRouting, providerRefusal } from "./project-routing.js";
import { unknownProviderMessage } from "./select-provider.js";

/**
 * The agent's and its projects' routing choices as `prose byom default|fallback|policy` change
 * them (in place, under the workspace lock): a project's default provider and fallback chain, set
 * or cleared; the no-training policy of the agent or of a project.
 */

/** A project name as `--project` gives it, checked. */
export function checkedProjectName(project: string): string {
  if (!projectNamePattern.test(project)) {
    throw new ByomError(`"${project}" is not a project name that can have settings: it holds letters, digits, . _ and -, starts with a letter or digit, and has at most 128 characters.`, "For example --project staging.");
  }
  return project;
}

function ownSettings(config: AgentConfig, project: string): ProjectSettings {
  config.projects ??= {};
  if (!Object.hasOwn(config.projects, project)) config.projects[project] = {};
  return config.projects[project];
}

/** Drops a project left with no settings, and `projects` when none is left. */
function dropEmpty(config: AgentConfig, project: string): void {
  const settings = config.projects?.[project];
  if (settings !== undefined && Object.keys(settings).length === 0) delete config.projects![project];
  if (config.projects !== undefined && Object.keys(config.projects).length === 0) delete config.projects;
}

export function checkKnownProviders(config: AgentConfig, ids: readonly string[]): void {
  for (const id of ids) if (!config.providers.some((provider) => provider.id === id)) throw new ByomError(unknownProviderMessage(id, config));
}

/** A project's default provider; returns the one it had (undefined: the agent's). */
export function setProjectDefault(config: AgentConfig, project: string, id: string): string | undefined {
  const provider = config.providers.find((candidate) => candidate.id === id);
  if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
  if (!provider.enabled) throw new ByomError(`The provider "${id}" is disabled and cannot be the default.`);
  const settings = ownSettings(config, project);
  const before = settings.defaultProvider;
  settings.defaultProvider = id;
  return before;
}

export function setProjectChain(config: AgentConfig, project: string, ids: readonly string[]): void {
  checkKnownProviders(config, ids);
  ownSettings(config, project).fallbackChain = [...ids];
}

/** Clears a project's default provider or chain (then the agent's applies); returns whether it had one. */
export function clearProjectSetting(config: AgentConfig, project: string, setting: "defaultProvider" | "fallbackChain"): boolean {
  const settings = config.projects?.[project];
  if (settings === undefined || !Object.hasOwn(config.projects!, project) || settings[setting] === undefined) return false;
  delete settings[setting];
  dropEmpty(config, project);
  return true;
}

export interface PolicyChange {
  changed: boolean;
  /** The enabled providers a policy just turned on will refuse, one warning each. */
  warnings: string[];
}

/** Sets or clears `requireNoTraining` on the agent, or on a project. */
export function setNoTrainingPolicy(config: AgentConfig, project: string | undefined, require: boolean): PolicyChange {
  const before = (project === undefined ? config.policy : config.projects?.[project]?.policy)?.requireNoTraining === true;
  if (before === require) return { changed: false, warnings: require ? refusedByPolicy(config, project) : [] };
  if (project === undefined) {
    const policy: Policy = { ...config.policy };
    if (require) policy.requireNoTraining = true;
    else delete policy.requireNoTraining;
    if (Object.keys(policy).length === 0) delete config.policy;
    else config.policy = policy;
  } else {
    const settings = ownSettings(config, project);
    const policy: Policy = { ...settings.policy };
    if (require) policy.requireNoTraining = true;
    else delete policy.requireNoTraining;
    if (Object.keys(policy).length === 0) delete settings.policy;
    else settings.policy = policy;
    dropEmpty(config, project);
  }
  return { changed: true, warnings: require ? refusedByPolicy(config, project) : [] };
}

/** One warning for each enabled provider the no-training policy refuses. */
export function refusedByPolicy(config: AgentConfig, project: string | undefined): string[] {
  const routing = effectiveRouting(config, project);
  const warnings: string[] = [];
  for (const provider of config.providers) {
    if (!provider.enabled) continue;
    const refusal = providerRefusal(config, provider, routing);
    if (refusal !== undefined) warnings.push(`${refusal.reason}: ${project === undefined ? "runs" : `runs of the project "${project}"`} will refuse it. ${refusal.fix}`);
  }
  return warnings;
}
