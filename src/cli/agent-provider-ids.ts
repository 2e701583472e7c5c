import { ByomError } from "../byom/byom-error.js";
import { readAgentConfig } from "../byom/config-files.js";
import { acceptedProviderIds } from "../byom/select-provider.js";
import { checkAgentName, locateWorkspace } from "../byom/workspace.js";
import { EnvironmentModelResolver } from "../llm/environment-resolver.js";
import type { CliServices } from "./cli-services.js";
import { UsageError } from "./usage-error.js";

/** The ids a script run by the agent may name: its providers', and the environment's types it does not configure. */
export async function agentProviderIds(agent: string, workspaceOption: string | undefined, environment: NodeJS.ProcessEnv, services: CliServices): Promise<string[]> {
  try {
    const workspace = locateWorkspace({ option: workspaceOption, environment, currentDirectory: services.currentDirectory ?? process.cwd() });
    const config = await readAgentConfig(workspace, checkAgentName(agent));
    return acceptedProviderIds(config, new EnvironmentModelResolver(environment).configuredTypes());
  } catch (problem) {
    if (problem instanceof ByomError) throw new UsageError(problem.message, problem.fix);
    throw problem;
  }
}
