import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "../platform/atomic-file.js";
import { ByomError } from "./byom-error.js";
import { readAgentConfig, updateAgentConfig } from "./config-files.js";
import { type SecretStore, SecretStoreError } from "./secrets/secret-store.js";
import { unknownProviderMessage } from "./select-provider.js";
import { changeOf, type WorkspaceChange } from "./workspace-lock.js";

export interface RemoveContext {
  workspace: string;
  agent: string;
  /** Opened only when the provider has a secret. */
  store(): Promise<SecretStore>;
  /** Runs the change holding the workspace lock (default `withWorkspaceLock`). */
  change?: WorkspaceChange;
  /** Whether the command's tidying just finished an interrupted removal of this provider (then it is not an unknown one). */
  finishedEarlier?: (providerId: string) => boolean;
}

export interface Removal {
  /** The agent's default provider afterwards (another one when the removed one was the default). */
  newDefault: string | null;
  deletedVersions: number[];
}

/** Removals begun and not yet ended: a process killed in the middle leaves its entry here for the next command. */
export const pendingRemovalsFileName = "pending-removals.json";

export interface PendingRemoval {
  agent: string;
  providerId: string;
}

/**
 * `prose byom remove`: holding the workspace lock, notes the removal as pending, deletes every
 * stored version of the secret (the active one last), then takes the provider out of the agent
 * file, then drops the note. When the store refuses or cannot be reached, the provider stays as
 * it was and the same command can be run again; when the process is killed in the middle, the
 * next command finishes the removal (`finishPendingRemovals`).
 */
export async function removeProvider(context: RemoveContext, providerId: string): Promise<Removal> {
  const { workspace, agent } = context;
  return changeOf(context, workspace)("byom remove", async () => {
    const config = await readAgentConfig(workspace, agent);
    const provider = config.providers.find((candidate) => candidate.id === providerId);
    if (provider === undefined) {
      if (context.finishedEarlier?.(providerId) === true) return { newDefault: config.defaultProvider, deletedVersions: [] };
      throw new ByomError(unknownProviderMessage(providerId, config));
    }
    const pending = { agent, providerId };
    await notePending(workspace, pending, true);
    let deletedVersions: number[];
    try {
      deletedVersions = provider.credentialVersion === null ? [] : await deleteEverySecret(await context.store(), agent, providerId, provider.credentialVersion);
    } catch (problem) {
      await notePending(workspace, pending, false);
      if (!(problem instanceof SecretStoreError)) throw problem;
      const agentOption = agent === "default" ? "" : ` --agent ${agent}`;
      throw new ByomError(
        `I could not delete the secret of provider "${providerId}" (version ${provider.credentialVersion}): ${problem.message.replace(/\.$/, "")}. The provider was kept; run \`prose byom remove ${providerId}${agentOption}\` again once the store works.`,
        undefined,
        1,
      );
    }
    const newDefault = await takeOutOfConfig(workspace, agent, providerId);
    await notePending(workspace, pending, false);
    return { newDefault, deletedVersions };
  });
}

/**
 * Ends the removals a killed `byom remove` left half done (the caller holds the lock). Returns
 * those it ended, and a warning for each that cannot be ended now (the store refuses or is down).
 */
export async function finishPendingRemovals(workspace: string, store: () => Promise<SecretStore>): Promise<{ finished: PendingRemoval[]; warnings: string[] }> {
  const warnings: string[] = [];
  const finished: PendingRemoval[] = [];
  for (const pending of await readPending(workspace)) {
    try {
      const config = await readAgentConfig(workspace, pending.agent);
      const provider = config.providers.find((candidate) => candidate.id === pending.providerId);
      if (provider !== undefined) {
        if (provider.credentialVersion !== null) await deleteEverySecret(await store(), pending.agent, pending.providerId, provider.credentialVersion);
        await takeOutOfConfig(workspace, pending.agent, pending.providerId);
      }
      await notePending(workspace, pending, false);
      finished.push(pending);
    } catch (problem) {
      const agentOption = pending.agent === "default" ? "" : ` --agent ${pending.agent}`;
      warnings.push(
        `the removal of provider "${pending.providerId}" was interrupted and could not be finished now (${problem instanceof Error ? problem.message.replace(/\.$/, "") : String(problem)}); run \`prose byom remove ${pending.providerId}${agentOption}\` to finish it.`,
      );
    }
  }
  return { finished, warnings };
}

async function deleteEverySecret(store: SecretStore, agent: string, providerId: string, activeVersion: number): Promise<number[]> {
  const versions = new Set((await store.list(agent, providerId)).map((reference) => reference.version));
  // The active version goes last: if a delete fails, the provider still has its credential.
  const ordered = [...versions].filter((version) => version !== activeVersion).sort((a, b) => a - b);
  if (versions.has(activeVersion)) ordered.push(activeVersion);
  for (const version of ordered) await store.delete({ agent, providerId, version });
  return ordered;
}

async function takeOutOfConfig(workspace: string, agent: string, providerId: string): Promise<string | null> {
  return updateAgentConfig(workspace, agent, (config) => {
    config.providers = config.providers.filter((candidate) => candidate.id !== providerId);
    config.fallbackChain = config.fallbackChain.filter((candidate) => candidate !== providerId);
    if (config.defaultProvider === providerId) config.defaultProvider = config.providers.find((candidate) => candidate.enabled)?.id ?? null;
    // A project's default and chain name only existing providers: the project falls back to the agent's.
    for (const [name, project] of Object.entries(config.projects ?? {})) {
      if (project.defaultProvider === providerId) delete project.defaultProvider;
      if (project.fallbackChain !== undefined) {
        project.fallbackChain = project.fallbackChain.filter((candidate) => candidate !== providerId);
        if (project.fallbackChain.length === 0) delete project.fallbackChain;
      }
      if (Object.keys(project).length === 0) delete config.projects![name];
    }
    if (config.projects !== undefined && Object.keys(config.projects).length === 0) delete config.projects;
    return config.defaultProvider;
  });
}

async function readPending(workspace: string): Promise<PendingRemoval[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(workspace, pendingRemovalsFileName), "utf8"));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((entry): entry is PendingRemoval => typeof entry?.agent === "string" && typeof entry?.providerId === "string");
  } catch {
    return [];
  }
}

async function notePending(workspace: string, removal: PendingRemoval, pending: boolean): Promise<void> {
  const others = (await readPending(workspace)).filter((entry) => entry.agent !== removal.agent || entry.providerId !== removal.providerId);
  const next = pending ? [...others, removal] : others;
  const file = join(workspace, pendingRemovalsFileName);
  if (next.length === 0) await rm(file, { force: true });
  else await writeFileAtomically(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o644 });
}
