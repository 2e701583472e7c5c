import { readWorkspaceSettings } from "../byom/config-files.js";
import { namedSecrets } from "../byom/named-secrets.js";
import { openSecretStoreFromFactory, secretStoreSettings } from "../byom/secret-store-access.js";
import { checkAgentName, locateWorkspace } from "../byom/workspace.js";
import type { CliServices } from "./cli-services.js";

/**
 * The agent's secret names, for `prose check --agent` (never a value). Undefined, with a warning,
 * when the store cannot be listed: check then leaves the names to the run.
 */
export async function agentSecretNames(agent: string, workspaceOption: string | undefined, environment: NodeJS.ProcessEnv, services: CliServices, warn: (message: string) => void): Promise<string[] | undefined> {
  try {
    const workspace = locateWorkspace({ option: workspaceOption, environment, currentDirectory: services.currentDirectory ?? process.cwd() });
    const settings = await readWorkspaceSettings(workspace);
    const store = await (services.openSecretStore ?? openSecretStoreFromFactory)(secretStoreSettings(workspace, settings.store), environment);
    return await namedSecrets(store, checkAgentName(agent));
  } catch (problem) {
    warn(`the credentials the scripts name are not checked: the agent's secrets could not be listed (${problem instanceof Error ? problem.message : String(problem)}).`);
    return undefined;
  }
}
