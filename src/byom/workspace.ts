import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ByomError } from "./byom-error.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** The local secret store's file in the workspace (kept out of version control). */
export const localSecretFileName = "secrets.enc.json";
export const workspaceSettingsFileName = "workspace.json";
export const agentsFolderName = "agents";
export const defaultAgent = "default";

const gitignoreText = `# Written by prose. The local secret store stays out of version control; every other
# file here holds references to secrets, never their values, and is safe to commit.
${localSecretFileName}
*.tmp
*.lock
pending-removals.json
`;

export interface WorkspaceLocation {
  /** From --workspace. */
  option?: string;
  environment: Environment;
  /** The current folder, where `.prose/` is looked for. */
  currentDirectory: string;
}

/** The workspace folder: --workspace DIR, otherwise PROSE_HOME, otherwise `.prose/` in the current folder. */
export function locateWorkspace(location: WorkspaceLocation): string {
  if (location.option !== undefined && location.option.trim() !== "") return resolve(location.currentDirectory, location.option);
  const home = location.environment.PROSE_HOME?.trim();
  if (home !== undefined && home !== "") return resolve(location.currentDirectory, home);
  return join(location.currentDirectory, ".prose");
}

/** Agent names become file names and parts of secret names: letters, digits, `.`, `_` and `-`. */
const agentNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkAgentName(agent: string): string {
  if (!agentNamePattern.test(agent)) {
    throw new ByomError(`"${agent.slice(0, 80)}" cannot be an agent name.`, "Use letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit, for example --agent invoices.");
  }
  return agent;
}

export function agentFile(workspace: string, agent: string): string {
  return join(workspace, agentsFolderName, `${checkAgentName(agent)}.json`);
}

export function workspaceSettingsFile(workspace: string): string {
  return join(workspace, workspaceSettingsFileName);
}

/** Creates the workspace and its `.gitignore` when missing; an existing `.gitignore` gets the secret file added. */
export async function ensureWorkspace(workspace: string): Promise<void> {
  await mkdir(join(workspace, agentsFolderName), { recursive: true, mode: 0o700 });
  const gitignore = join(workspace, ".gitignore");
  let existing: string | undefined;
  try {
    existing = await readFile(gitignore, "utf8");
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code !== "ENOENT") throw problem;
  }
  if (existing === undefined) await writeFile(gitignore, gitignoreText, { mode: 0o644 });
  else if (!existing.split(/\r?\n/).includes(localSecretFileName)) await writeFile(gitignore, `${existing.replace(/\n?$/, "\n")}${localSecretFileName}\n`);
}
