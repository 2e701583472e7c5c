import { readdir, readFile } from "node:fs/promises";
import type { z } from "zod";
import { writeFileAtomically } from "../platform/atomic-file.js";
import { ByomError } from "./byom-error.js";
import { type AgentConfig, agentConfigSchema, emptyAgentConfig, type WorkspaceSettings, workspaceSettingsSchema } from "./config-schema.js";
import { agentFile, agentsFolderName, checkAgentName, ensureWorkspace, workspaceSettingsFile } from "./workspace.js";
import { withWorkspaceLock } from "./workspace-lock.js";

const defaultSettings: WorkspaceSettings = { version: 1, store: { kind: "local" } };

/** The workspace's settings; the defaults (local store) when the file does not exist. */
export async function readWorkspaceSettings(workspace: string): Promise<WorkspaceSettings> {
  return (await readChecked(workspaceSettingsFile(workspace), workspaceSettingsSchema)) ?? defaultSettings;
}

/** Writes the workspace's settings, holding the workspace lock (callers that read them first hold it too). */
export async function writeWorkspaceSettings(workspace: string, settings: WorkspaceSettings): Promise<void> {
  await withWorkspaceLock(workspace, "byom store", async () => {
    await ensureWorkspace(workspace);
    await writeFileAtomically(workspaceSettingsFile(workspace), `${JSON.stringify(workspaceSettingsSchema.parse(settings), null, 2)}\n`, { mode: 0o644 });
  });
}

/** An agent's configuration; an empty one when the agent has none yet. */
export async function readAgentConfig(workspace: string, agent: string): Promise<AgentConfig> {
  const file = agentFile(workspace, agent);
  const config = await readChecked(file, agentConfigSchema);
  if (config !== undefined && config.agent !== agent) {
    throw new ByomError(`The BYOM configuration file ${file} is broken: it names the agent "${config.agent}", but its file name says "${agent}".`, `Set "agent" to "${agent}" in it, or rename the file to ${config.agent}.json.`);
  }
  return config ?? emptyAgentConfig(agent);
}

/**
 * Reads, changes and writes an agent's configuration holding the workspace lock, atomically: a
 * reader (a running script) sees the old configuration or the new one. The file is read again
 * under the lock, so a change made by another process in the meantime is kept. `change`
 * returns what the command reports; the file is written only when `change` does not throw.
 */
export async function updateAgentConfig<Result>(workspace: string, agent: string, change: (config: AgentConfig) => Result | Promise<Result>): Promise<Result> {
  const file = agentFile(workspace, agent);
  return withWorkspaceLock(workspace, "byom", async () => {
    await ensureWorkspace(workspace);
    const config = await readAgentConfig(workspace, agent);
    const result = await change(config);
    const checked = agentConfigSchema.safeParse(config);
    if (!checked.success) throw new Error(`the changed configuration of agent "${agent}" is not valid: ${describeIssues(checked.error)}`);
    await writeFileAtomically(file, `${JSON.stringify(checked.data, null, 2)}\n`, { mode: 0o644 });
    return result;
  });
}

/** The agents that have a configuration file, sorted. */
export async function listAgents(workspace: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(`${workspace}/${agentsFolderName}`);
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw problem;
  }
  return names.filter((name) => name.endsWith(".json")).map((name) => name.slice(0, -".json".length)).filter((name) => {
    try {
      return checkAgentName(name) === name;
    } catch {
      return false;
    }
  }).sort();
}

async function readChecked<Schema extends z.ZodType>(file: string, schema: Schema): Promise<z.infer<Schema> | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new ByomError(`I can't read the BYOM configuration file ${file} (${code ?? (problem as Error).message}).`, "Check the file's permissions.");
  }
  const fix = "Correct the file by hand (it holds no secrets), or move it away and add the providers again with `prose byom add`.";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (problem) {
    throw new ByomError(`The BYOM configuration file ${file} is not valid JSON: ${(problem as Error).message}.`, fix);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ByomError(`The BYOM configuration file ${file} is broken: ${describeIssues(parsed.error)}.`, fix);
  return parsed.data;
}

/** `providers[0].settings.endpoint: Invalid URL; version: …`, the first three issues. */
export function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text === "" ? String(part) : `${text}.${String(part)}`), "");
    return `${path === "" ? "the file" : path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "";
  return `${issues.join("; ")}${more}`;
}
