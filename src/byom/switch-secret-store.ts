import { ByomError } from "./byom-error.js";
import { emailSecretReference } from "./email-settings.js";
import { listAgents, readAgentConfig, readWorkspaceSettings, writeWorkspaceSettings } from "./config-files.js";
import { type StoreSettings, storeSettingsSchema } from "./config-schema.js";
import { describeIssues } from "./config-files.js";
import type { SecretReference, SecretStore } from "./secrets/secret-store.js";
import { withWorkspaceLock } from "./workspace-lock.js";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { isNamedSecret } from "./named-secrets.js";
import { defaultAgent, localSecretFileName } from "./workspace.js";

async function hasLocalSecretFile(workspace: string): Promise<boolean> {
  return stat(join(workspace, localSecretFileName)).then(() => true, () => false);
}

/** The newest version of each named secret among these references. */
function newestNamedSecrets(references: readonly SecretReference[]): SecretReference[] {
  const newest = new Map<string, SecretReference>();
  for (const reference of references) {
    if (!isNamedSecret(reference)) continue;
    const kept = newest.get(reference.providerId);
    if (kept === undefined || kept.version < reference.version) newest.set(reference.providerId, reference);
  }
  return [...newest.values()];
}

export interface StoreSwitch {
  previous: StoreSettings;
  current: StoreSettings;
  /** Active secrets copied to the new store (and then deleted from the old one). */
  moved: number;
}

/**
 * `prose byom store …`: copies every agent's active secrets to the new store, switches the
 * workspace to it, then deletes them from the old store. Nothing changes when a copy fails.
 * The whole switch holds the workspace lock: no provider is added, rotated or removed meanwhile.
 */
export async function switchSecretStore(workspace: string, wanted: StoreSettings, open: (settings: StoreSettings) => Promise<SecretStore>): Promise<StoreSwitch> {
  return withWorkspaceLock(workspace, "byom store", () => switchHoldingTheLock(workspace, wanted, open));
}

async function switchHoldingTheLock(workspace: string, wanted: StoreSettings, open: (settings: StoreSettings) => Promise<SecretStore>): Promise<StoreSwitch> {
  const checked = storeSettingsSchema.safeParse(wanted);
  if (!checked.success) throw new ByomError(`These store settings are not valid: ${describeIssues(checked.error)}.`, "For SSM give --prefix /prose --region REGION, and --endpoint as a full http(s) URL.");
  const settings = await readWorkspaceSettings(workspace);
  const previous = settings.store;
  if (JSON.stringify(previous) === JSON.stringify(checked.data)) return { previous, current: previous, moved: 0 };
  const references: SecretReference[] = [];
  for (const agent of await listAgents(workspace)) {
    const config = await readAgentConfig(workspace, agent);
    for (const provider of config.providers) {
      if (provider.credentialVersion !== null) references.push({ agent, providerId: provider.id, version: provider.credentialVersion });
    }
    if (config.email?.credentialVersion != null) references.push(emailSecretReference(agent, config.email.credentialVersion));
  }
  let from = references.length === 0 ? undefined : await open(previous);
  // Named secrets (`prose secret add`) move too: the newest version of each, for every agent with
  // a file and for the default agent (which may have secrets and no providers).
  if (previous.kind !== "local" || (await hasLocalSecretFile(workspace))) {
    from ??= await open(previous);
    for (const agent of new Set([...(await listAgents(workspace)), defaultAgent])) references.push(...newestNamedSecrets(await from.list(agent)));
  }
  const to = await open(checked.data);
  for (const reference of references) {
    const value = await from!.get(reference);
    const already = (await to.list(reference.agent, reference.providerId)).some((existing) => existing.version === reference.version);
    if (already) {
      if ((await to.get(reference)) !== value) {
        throw new ByomError(
          `The new store already holds a different secret for provider "${reference.providerId}" (agent "${reference.agent}", version ${reference.version}); nothing was changed.`,
          "Use another prefix, or delete that parameter first.",
        );
      }
      continue;
    }
    await to.put(reference, value);
  }
  await writeWorkspaceSettings(workspace, { ...settings, store: checked.data });
  for (const reference of references) await from!.delete(reference);
  return { previous, current: checked.data, moved: references.length };
}
