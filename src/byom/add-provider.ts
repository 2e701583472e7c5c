import { stat } from "node:fs/promises";
import type { ProviderType } from "../llm/language-model.js";
import { providerDescriptor } from "../llm/provider-registry.js";
import { aOrAn, capitalized } from "../llm/provider-setup.js";
import { ByomError } from "./byom-error.js";
import { updateAgentConfig } from "./config-files.js";
import type { ProviderConfig } from "./config-schema.js";
import { type IdSources, newProviderId, systemIdSources } from "./provider-ids.js";
import { draftProvider, type ProviderOptions } from "./provider-options.js";
import { credentialValue, readSecret, type SecretInputServices, type SecretSource } from "./secret-input.js";
import type { SecretStore } from "./secrets/secret-store.js";
import { changeOf, type WorkspaceChange } from "./workspace-lock.js";
import { agentFile } from "./workspace.js";

export interface AddContext {
  workspace: string;
  agent: string;
  /** Opened only when the provider has a secret to keep. */
  store(): Promise<SecretStore>;
  input: SecretInputServices;
  idSources?: IdSources;
  now?: () => Date;
  /** Runs the change holding the workspace lock (default `withWorkspaceLock`). */
  change?: WorkspaceChange;
}

export interface AddedProvider {
  provider: ProviderConfig;
  /** Whether it became the agent's default provider (the first one added does). */
  isDefault: boolean;
  warnings: string[];
}

/**
 * `prose byom add`: reads and checks the secret, checks the options, then, holding the
 * workspace lock, stores the secret as version 1 and adds the configuration (the secret is
 * deleted again if that fails; a kill in between leaves an orphan entry the next command removes).
 */
export async function addProvider(context: AddContext, type: ProviderType, options: ProviderOptions, source: SecretSource | undefined): Promise<AddedProvider> {
  const { credential } = providerDescriptor(type);
  if (source === undefined && credential.required) {
    throw new ByomError(
      `${capitalized(aOrAn(type))} provider needs ${credential.noun}.`,
      `Give it with ${credential.options} (never as an argument: it would show in \`ps\` and in the shell history).`,
    );
  }
  const secret = source === undefined ? undefined : credentialValue(type, await readSecret(source, context.input), source);
  const draft = draftProvider(type, options, secret);
  const now = (context.now?.() ?? new Date()).toISOString();
  const id = newProviderId(type, options.name ?? draft.models[0].id, context.idSources ?? systemIdSources);
  const provider: ProviderConfig = {
    id,
    type,
    name: draft.name,
    settings: draft.settings,
    credentialVersion: secret === undefined ? null : 1,
    models: draft.models,
    limits: draft.limits,
    enabled: true,
    ...(draft.reasoning === undefined ? {} : { reasoning: draft.reasoning }),
    ...(draft.noTraining === true ? { noTraining: true } : {}),
    createdAt: now,
    updatedAt: now,
  } as ProviderConfig;
  const reference = { agent: context.agent, providerId: id, version: 1 };
  const store = secret === undefined ? undefined : await context.store();
  // One lock for the secret and the configuration: another process's add or rotate waits, and
  // the agent file is read again just before it is written.
  return changeOf(context, context.workspace)("byom add", async () => {
    if (store !== undefined && secret !== undefined) {
      // The agent file exists before its first secret, so a secret left by a killed add is
      // recognised as an orphan (see workspace-tidy.ts).
      if (!(await stat(agentFile(context.workspace, context.agent)).then(() => true, () => false))) {
        await updateAgentConfig(context.workspace, context.agent, () => undefined);
      }
      await store.put(reference, secret);
    }
    try {
      const isDefault = await updateAgentConfig(context.workspace, context.agent, (config) => {
        config.providers.push(provider);
        if (config.defaultProvider === null) config.defaultProvider = id;
        return config.defaultProvider === id;
      });
      return { provider, isDefault, warnings: draft.warnings };
    } catch (problem) {
      await store?.delete(reference);
      throw problem;
    }
  });
}
