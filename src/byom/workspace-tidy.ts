import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { listAgents, readAgentConfig, readWorkspaceSettings } from "./config-files.js";
import { processOfTemporaryFile } from "../platform/atomic-file.js";
import { processIsGone } from "../platform/process-leftovers.js";
import { emailSecretId } from "./email-settings.js";
import { isNamedSecret } from "./named-secrets.js";
import { finishPendingRemovals, type PendingRemoval } from "./remove-provider.js";
import type { SecretReference, SecretStore } from "./secrets/secret-store.js";
import { agentsFolderName, type Environment, localSecretFileName } from "./workspace.js";
import { holderIsGone, type LockHolder } from "./workspace-lock.js";

export interface TidyContext {
  environment: Environment;
  /** The workspace's secret store, opened only to finish an interrupted removal. */
  store(): Promise<SecretStore>;
}

/**
 * What a killed command left behind, removed by the next command that changes the workspace,
 * while it holds the lock (so no other change is in flight):
 *
 * - temporary files (`.<name>.<pid>.<hex>.tmp`, of atomic writes and of the lock; earlier
 *   versions wrote `secrets.enc.json.<pid>.<hex>.tmp`) whose process is gone, the break lock of a process that is gone, and the per-file `.lock` files
 *   of earlier versions of Prose;
 * - removals a killed `byom remove` began (finished; a warning when the store refuses);
 * - with the local store, orphan entries: an entry of an agent whose file exists and reads well
 *   but names no provider with that id, or names it with another active version. Entries of an
 *   agent without a file, or with a file that cannot be read, are kept (the file may have been
 *   moved away by hand).
 *
 * Returns the removals it finished and warnings; tidying never makes the command fail.
 */
export async function tidyWorkspace(workspace: string, context: TidyContext): Promise<{ finishedRemovals: PendingRemoval[]; warnings: string[] }> {
  await removeDeadTemporaries(workspace);
  await removeDeadTemporaries(join(workspace, agentsFolderName));
  const removals = await finishPendingRemovals(workspace, () => context.store()).catch(() => ({ finished: [], warnings: [] }));
  await removeOrphanEntries(workspace, context.environment).catch(() => undefined);
  return { finishedRemovals: removals.finished, warnings: removals.warnings };
}

async function removeDeadTemporaries(folder: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(folder, name);
    const owner = processOfTemporaryFile(name);
    if (owner !== undefined) {
      if (processIsGone(owner)) await rm(path, { force: true });
    } else if (name === "workspace.break.lock") {
      const holder = await readJson<LockHolder>(path);
      if (holder !== undefined && holderIsGone(holder)) await rm(path, { force: true });
    } else if (name.endsWith(".json.lock")) {
      // Earlier versions locked each agent file with `<agent>.json.lock` holding the PID.
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && processIsGone(pid)) await rm(path, { force: true });
    }
  }
}

async function removeOrphanEntries(workspace: string, environment: Environment): Promise<void> {
  const file = join(workspace, localSecretFileName);
  if (!(await stat(file).then(() => true, () => false))) return;
  if ((await readWorkspaceSettings(workspace)).store.kind !== "local") return;
  const active = new Map<string, Map<string, number | null>>();
  for (const agent of await listAgents(workspace)) {
    try {
      const config = await readAgentConfig(workspace, agent);
      active.set(agent, new Map(config.providers.map((provider) => [provider.id, provider.credentialVersion])));
      // The email password (`prose byom email add`) is kept like a provider's secret.
      if (config.email !== undefined) active.get(agent)!.set(emailSecretId, config.email.credentialVersion);
    } catch {
      // Unreadable: its entries are kept.
    }
  }
  const isReferenced = (reference: SecretReference): boolean => {
    // A named secret (`prose secret add`) belongs to no provider.
    if (isNamedSecret(reference)) return true;
    const providers = active.get(reference.agent);
    if (providers === undefined) return true;
    return providers.get(reference.providerId) === reference.version;
  };
  const { LocalSecretStore } = await import("./secrets/local-secret-store.js");
  await new LocalSecretStore({ workspace, environment }).retainOnly(isReferenced);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}
