import type { AdapterOptions } from "./build-language-model.js";
import { ByomError } from "./byom-error.js";
import { readAgentConfig, updateAgentConfig } from "./config-files.js";
import { primaryModel } from "./config-schema.js";
import type { SecretStore } from "./secrets/secret-store.js";
import { unknownProviderMessage } from "./select-provider.js";
import { type ModelVerification, verifyModel } from "./verify-provider.js";

export interface Rotation {
  providerId: string;
  previousVersion: number | null;
  version: number;
  verification: ModelVerification;
  /** Versions deleted from the store after the switch. */
  deletedVersions: number[];
}

export interface RotationContext {
  workspace: string;
  agent: string;
  store: SecretStore;
  adapterOptions?: AdapterOptions;
  now?: () => Date;
}

/**
 * Rotation without downtime: the new secret is verified with a minimal live call, stored as a new
 * version, and the configuration's active version is switched in one atomic write. Calls already
 * running keep the value they read; calls that start after the switch read the new version. Then
 * every older version is deleted (a call that read the old version number just before the switch
 * finds it gone and reads the configuration again).
 */
export async function rotateCredential(context: RotationContext, providerId: string, secret: string): Promise<Rotation> {
  const { workspace, agent, store } = context;
  const config = await readAgentConfig(workspace, agent);
  const provider = config.providers.find((candidate) => candidate.id === providerId);
  if (provider === undefined) throw new ByomError(unknownProviderMessage(providerId, config));
  const model = primaryModel(provider);
  const verification = await verifyModel(provider, model, secret, context.adapterOptions);
  if (!verification.ok) {
    throw new ByomError(`The new credential of provider "${providerId}" failed its test call to model "${model}": ${verification.message}. Nothing was changed; the current credential stays active.`, "Check the new credential, then run `prose byom rotate` again.");
  }
  const stored = await store.list(agent, providerId);
  const version = Math.max(provider.credentialVersion ?? 0, ...stored.map((reference) => reference.version)) + 1;
  const reference = { agent, providerId, version };
  await store.put(reference, secret);
  let previousVersion: number | null = null;
  try {
    await updateAgentConfig(workspace, agent, (current) => {
      const target = current.providers.find((candidate) => candidate.id === providerId);
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
  const deletedVersions: number[] = [];
  for (const old of await store.list(agent, providerId)) {
    if (old.version === version) continue;
    await store.delete(old);
    deletedVersions.push(old.version);
  }
  return { providerId, previousVersion, version, verification, deletedVersions };
}
