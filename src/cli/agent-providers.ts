import type { AgentProviders, RefusedProvider } from "../check/check-script.js";
import { ByomError } from "../byom/byom-error.js";
import { readAgentConfig } from "../byom/config-files.js";
import { effectiveRouting, providerRefusal, usableChain } from "../byom/project-routing.js";
import { acceptedProviderIds } from "../byom/select-provider.js";
import { checkAgentName, locateWorkspace } from "../byom/workspace.js";
import { EnvironmentModelResolver } from "../llm/environment-resolver.js";
import type { CliServices } from "./cli-services.js";
import { UsageError } from "./usage-error.js";

/**
 * What `prose check --agent A [--project P]` checks provider names against: the ids a script run
 * by the agent may name (its providers', and the environment's types it does not configure), and
 * those a run of the project cannot use now (disabled, or refused by the agent's or the project's
 * policy). `warnings` says when calls that name no provider cannot go to the default provider.
 */
export async function agentProviders(agent: string, project: string | undefined, workspaceOption: string | undefined, environment: NodeJS.ProcessEnv, services: CliServices): Promise<AgentProviders & { warnings: string[] }> {
  try {
    const workspace = locateWorkspace({ option: workspaceOption, environment, currentDirectory: services.currentDirectory ?? process.cwd() });
    const config = await readAgentConfig(workspace, checkAgentName(agent));
    const routing = effectiveRouting(config, project);
    const refused = new Map<string, RefusedProvider>();
    for (const provider of config.providers) {
      const refusal = providerRefusal(config, provider, routing);
      if (refusal !== undefined) refused.set(provider.id, { ...refusal, blocking: provider.enabled });
    }
    const warnings: string[] = [];
    const defaultRefusal = routing.defaultProvider === null ? undefined : refused.get(routing.defaultProvider);
    if (defaultRefusal !== undefined) {
      const whose = routing.defaultFrom === "project" ? `of the project "${project}"` : `of the agent "${agent}"`;
      const [usable] = usableChain(config, routing);
      const next = usable === undefined ? "no provider of the fallback chain can take them, so they will fail" : `they will go to "${usable}" of the fallback chain`;
      warnings.push(`The default provider ${whose} cannot be used: ${defaultRefusal.reason}. Calls that name no provider: ${next}. ${defaultRefusal.fix}`);
    }
    return { ids: acceptedProviderIds(config, new EnvironmentModelResolver(environment).configuredTypes()), refused, warnings };
  } catch (problem) {
    if (problem instanceof ByomError) throw new UsageError(problem.message, problem.fix);
    throw problem;
  }
}
