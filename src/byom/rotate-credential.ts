import type { AdapterOptions } from "./build-language-model.js";
import { ByomError } from "./byom-error.js";
import { readAgentConfig, updateAgentConfig } from "./config-files.js";
import { primaryModel } from "./config-schema.js";
import { type SecretStore, SecretStoreError } from "./secrets/secret-store.js";
import { unknownProviderMessage } from "./select-provider.js";
import { type ModelVerification, verifyModel } from "./verify-provider.js";
import { changeOf, type WorkspaceChange } from "./workspace-lock.js";

export interface Rotation {
  providerId: string;
  previousVersion: number | null;
  version: number;
  verification: ModelVerification;
  /** Versions deleted from the store after the switch. */
  deletedVersions: number[];
  /** Versions that could not be deleted (the new one is active all the same), and why. */
  leftover?: OldVersions;
}

export interface OldVersions {
  versions: number[];
  /** The store's message. */
  reason: string;
}

export interface RotationContext {
  workspace: string;
  agent: string;
  store: SecretStore;
  adapterOptions?: AdapterOptions;
  now?: () => Date;
  /** Runs the change holding the workspace lock (default `withWorkspaceLock`). */
  change?: WorkspaceChange;
}

/**
 * Rotation without downtime: the new secret is verified with a minimal live call (before the
 * lock: it may take a while); then, holding the workspace lock, the configuration is read again,
 * the secret stored as a new version and the active version switched in one atomic write.
 * Calls already running keep the value they read; calls that start after the switch read the
 * new version. Then every older version is deleted (a call that read the old version number
 * just before the switch finds it gone and reads the configuration again). When a delete fails,
 * the rotation is still done: `leftover` says which versions stay, for `finishRotation`.
 */
export async function rotateCredential(context: RotationContext, providerId: string, secret: string): Promise<Rotation> {
  const { workspace, agent, store } = context;
  const before = await readAgentConfig(workspace, agent);
  const provider = before.providers.find((candidate) => candidate.id === providerId);
  if (provider === undefined) throw new ByomError(unknownProviderMessage(providerId, before));
  const model = primaryModel(provider);
  const verification = await verifyModel(provider, model, secret, context.adapterOptions);
  if (!verification.ok) {
    throw new ByomError(`The new credential of provider "${providerId}" failed its test call to model "${model}": ${verification.message}. Nothing was changed; the current credential stays active.`, "Check the new credential, then run `prose byom rotate` again.");
  }
  return changeOf(context, workspace)("byom rotate", async () => {
    const config = await readAgentConfig(workspace, agent);
    const current = config.providers.find((candidate) => candidate.id === providerId);
    if (current === undefined) throw new ByomError(`The provider "${providerId}" was removed while its new credential was being tested; nothing was stored.`);
    const stored = await store.list(agent, providerId);
    const version = Math.max(current.credentialVersion ?? 0, ...stored.map((reference) => reference.version)) + 1;
    const reference = { agent, providerId, version };
    await store.put(reference, secret);
    let previousVersion: number | null = null;
    try {
      await updateAgentConfig(workspace, agent, (latest) => {
        const target = latest.providers.find((candidate) => candidate.id === providerId);
        if (target === undefined) throw new ByomError(`The provider "${providerId}" was removed while it was being rotated; the new credential was not kept.`);
        previousVersion = target.credentialVersion;
        target.credentialVersion = version;
        target.updatedAt = (context.now?.() ?? new Date()).toISOString();
        const verified = target.models.find((entry) => entry.id === model);
        if (verified !== undefined) Object.assign(verified, { verified: true, verifiedAt: target.updatedAt });
      });
    } catch (problem) {
      await store.delete(reference);
      throw problem;
    }
    const { deleted, leftover } = await deleteOlderVersions(store, agent, providerId, version, previousVersion);
    return { providerId, previousVersion, version, verification, deletedVersions: deleted, ...(leftover === undefined ? {} : { leftover }) };
  });
}

export interface FinishedRotation {
  providerId: string;
  version: number | null;
  deletedVersions: number[];
  leftover?: OldVersions;
}

/** `prose byom rotate ID --finish`: deletes every stored version but the active one (after a rotation could not). */
export async function finishRotation(context: Omit<RotationContext, "adapterOptions" | "now">, providerId: string): Promise<FinishedRotation> {
  const { workspace, agent, store } = context;
  return changeOf(context, workspace)("byom rotate --finish", async () => {
    const config = await readAgentConfig(workspace, agent);
    const provider = config.providers.find((candidate) => candidate.id === providerId);
    if (provider === undefined) throw new ByomError(unknownProviderMessage(providerId, config));
    const { deleted, leftover } = await deleteOlderVersions(store, agent, providerId, provider.credentialVersion, provider.credentialVersion === null ? null : provider.credentialVersion - 1);
    return { providerId, version: provider.credentialVersion, deletedVersions: deleted, ...(leftover === undefined ? {} : { leftover }) };
  });
}

/** Deletes every version but `active`; a store failure ends the deleting and is returned, not thrown. */
async function deleteOlderVersions(store: SecretStore, agent: string, providerId: string, active: number | null, previous: number | null): Promise<{ deleted: number[]; leftover?: OldVersions }> {
  const deleted: number[] = [];
  let older: number[];
  try {
    older = (await store.list(agent, providerId)).map((reference) => reference.version).filter((version) => version !== active).sort((a, b) => a - b);
  } catch (problem) {
    if (!(problem instanceof SecretStoreError)) throw problem;
    return { deleted, leftover: { versions: previous === null ? [] : [previous], reason: problem.message.replace(/\.$/, "") } };
  }
  for (const [index, version] of older.entries()) {
    try {
      await store.delete({ agent, providerId, version });
      deleted.push(version);
    } catch (problem) {
      if (!(problem instanceof SecretStoreError)) throw problem;
      return { deleted, leftover: { versions: older.slice(index), reason: problem.message.replace(/\.$/, "") } };
    }
  }
  return { deleted };
}
