import { ByomError } from "./byom-error.js";
import type { ModelEntry, ProviderConfig } from "./config-schema.js";
import { defaultAgent } from "./workspace.js";

/** The role a model added with `prose byom model add` takes: `--primary`, `--fallback`, or neither. */
export type AddedRole = "primary" | "fallback" | "available";

/** What `model add` or `model remove` changed: the provider's models afterwards, and the roles that moved. */
export interface ModelChange {
  models: ModelEntry[];
  /** The model that lost its role to the new one (it is now "available"), or that took the primary role. */
  moved?: { model: string; from: ModelEntry["role"]; to: ModelEntry["role"] };
}

function agentOption(agent: string): string {
  return agent === defaultAgent ? "" : ` --agent ${agent}`;
}

/** Refuses a model the provider already has (checked before the test call, and again under the lock). */
export function refuseKnownModel(provider: ProviderConfig, model: string, agent: string): void {
  const existing = provider.models.find((entry) => entry.id === model);
  if (existing === undefined) return;
  throw new ByomError(
    `The provider "${provider.id}" already has the model "${model}" (${existing.role}).`,
    existing.role === "primary" ? "Nothing to add." : `To change its role, remove it with \`prose byom model remove ${provider.id}${agentOption(agent)} ${model}\` and add it again with --primary or --fallback.`,
  );
}

/**
 * Adds a verified model to the provider (in place). `primary`: the old primary becomes available;
 * `fallback`: the old fallback model becomes available.
 */
export function addModel(provider: ProviderConfig, model: string, role: AddedRole, verifiedAt: string, agent: string): ModelChange {
  refuseKnownModel(provider, model, agent);
  let moved: ModelChange["moved"];
  if (role !== "available") {
    const holder = provider.models.find((entry) => entry.role === role);
    if (holder !== undefined) {
      holder.role = "available";
      moved = { model: holder.id, from: role, to: "available" };
    }
  }
  provider.models.push({ id: model, role, verified: true, verifiedAt });
  return { models: provider.models, ...(moved === undefined ? {} : { moved }) };
}

/**
 * Removes a model from the provider (in place). Removing the primary model needs `newPrimary`,
 * another of its models, which becomes the primary; the last model cannot be removed.
 */
export function removeModel(provider: ProviderConfig, model: string, newPrimary: string | undefined, agent: string): ModelChange {
  const removed = provider.models.find((entry) => entry.id === model);
  const others = provider.models.filter((entry) => entry.id !== model);
  const command = `prose byom model remove ${provider.id}${agentOption(agent)} ${model}`;
  if (removed === undefined) {
    throw new ByomError(`The provider "${provider.id}" has no model "${model}"; its models are ${provider.models.map((entry) => `"${entry.id}"`).join(", ")}.`, "Name one of them.");
  }
  if (others.length === 0) {
    throw new ByomError(`"${model}" is the only model of the provider "${provider.id}"; a provider keeps at least one.`, `Add another with \`prose byom model add ${provider.id}${agentOption(agent)} MODEL --primary\` first, or remove the provider with \`prose byom remove ${provider.id}${agentOption(agent)}\`.`);
  }
  if (removed.role !== "primary") {
    if (newPrimary !== undefined) throw new ByomError(`"${model}" is not the primary model of the provider "${provider.id}": --primary is only for replacing the primary model.`, `Run \`${command}\` without --primary.`);
    provider.models = others;
    return { models: provider.models };
  }
  if (newPrimary === undefined) {
    throw new ByomError(
      `"${model}" is the primary model of the provider "${provider.id}": name the model that replaces it.`,
      `Run \`${command} --primary MODEL\` with one of ${others.map((entry) => `"${entry.id}"`).join(", ")}.`,
    );
  }
  const successor = others.find((entry) => entry.id === newPrimary);
  if (successor === undefined) {
    const hint = newPrimary === model ? "the model removed cannot replace itself" : `the provider has no model "${newPrimary}"`;
    throw new ByomError(`--primary must name another model of the provider "${provider.id}": ${hint}.`, `Use one of ${others.map((entry) => `"${entry.id}"`).join(", ")}, or add the model first with \`prose byom model add ${provider.id}${agentOption(agent)} ${newPrimary === model ? "MODEL" : newPrimary}\`.`);
  }
  const from = successor.role;
  successor.role = "primary";
  provider.models = others;
  return { models: provider.models, moved: { model: successor.id, from, to: "primary" } };
}
