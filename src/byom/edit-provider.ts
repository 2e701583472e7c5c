import { providerDescriptor } from "../llm/provider-registry.js";
import { aOrAn, capitalized } from "../llm/provider-setup.js";
import { ByomError } from "./byom-error.js";
import { type Limits, primaryModel, type ProviderConfig, reasoningOf } from "./config-schema.js";
import { asByomError, type LimitOption, limitOptions, parsedLimit, parsedReasoning, type ProviderOptions, typeOptions } from "./provider-options.js";

/**
 * What `prose byom edit <id>` was given: the options of `byom add` but its models. An absent field
 * leaves its setting as it is; a limit given as "none" is cleared (the router's default then
 * applies); `noTraining` is true for `--no-training`, false for `--training`.
 */
export type ProviderEdits = Omit<ProviderOptions, "models" | "fallbackModel">;

/** One setting `edit` changed: its name as the user knows it, and the values before and after (null: not set). */
export interface EditedSetting {
  setting: string;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

/** The word that clears a limit (`--rpm none`). */
export const clearWord = "none";

/**
 * Applies the edits to the provider in place, checking every value as `byom add` does first: an
 * invalid one throws before anything is changed. Returns the settings that changed (none when every
 * value was already so). The credential is never read nor touched.
 */
export function applyProviderEdits(provider: ProviderConfig, edits: ProviderEdits): EditedSetting[] {
  const changes: EditedSetting[] = [];
  const name = edits.name === undefined ? undefined : edits.name.trim();
  if (name === "") throw new ByomError("--name must not be empty.", 'For example --name "Support bot".');
  const limits = editedLimits(provider.limits, edits);
  const reasoning = edits.reasoning === undefined ? undefined : parsedReasoning(edits.reasoning);
  const settings = editedSettings(provider, edits.typeOptions);

  if (name !== undefined && name !== provider.name) {
    changes.push({ setting: "name", from: provider.name, to: name });
    provider.name = name;
  }
  for (const option of Object.keys(limitOptions) as LimitOption[]) {
    const field = limitOptions[option].field;
    const before = provider.limits[field] ?? null;
    const after = limits[field] ?? null;
    if (before !== after) changes.push({ setting: field, from: before, to: after });
  }
  provider.limits = limits;
  if (reasoning !== undefined && reasoning !== reasoningOf(provider)) {
    changes.push({ setting: "reasoning", from: reasoningOf(provider), to: reasoning });
    if (reasoning === "off") delete provider.reasoning;
    else provider.reasoning = reasoning;
  }
  if (edits.noTraining !== undefined && edits.noTraining !== (provider.noTraining === true)) {
    changes.push({ setting: "noTraining", from: provider.noTraining === true, to: edits.noTraining });
    if (edits.noTraining) provider.noTraining = true;
    else delete provider.noTraining;
  }
  if (settings !== undefined) {
    const before = provider.settings as Record<string, string | undefined>;
    const after = settings as Record<string, string | undefined>;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[key] !== after[key]) changes.push({ setting: key, from: before[key] ?? null, to: after[key] ?? null });
    }
    provider.settings = settings;
  }
  return changes;
}

function editedLimits(current: Limits, edits: ProviderEdits): Limits {
  const limits: Limits = { ...current };
  for (const option of Object.keys(limitOptions) as LimitOption[]) {
    const value = edits[option];
    if (value === undefined) continue;
    const field = limitOptions[option].field;
    if (value.trim().toLowerCase() === clearWord) delete limits[field];
    else limits[field] = parsedLimit(option, value);
  }
  return limits;
}

/**
 * The provider's settings with the type options given, checked by the type's descriptor as `add`
 * checks them; undefined when none was given. An option that is not a setting (Azure's
 * `--deployment`, which is a model) is refused with the command that does it.
 */
function editedSettings(provider: ProviderConfig, given: Readonly<Record<string, string | undefined>>): ProviderConfig["settings"] | undefined {
  const descriptor = providerDescriptor(provider.type);
  const defined = Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (defined.length === 0) return undefined;
  const flagOf = (name: string) => (typeOptions().find((option) => option.name === name)?.flag ?? name).split(" ")[0];
  for (const [name] of defined) {
    if (!(name in descriptor.addOptions)) {
      const accepted = Object.keys(descriptor.addOptions).filter((option) => option in descriptor.settings).map(flagOf);
      throw new ByomError(`${capitalized(aOrAn(provider.type))} provider does not use ${flagOf(name)}.`, accepted.length === 0 ? "Leave it out." : `Leave it out; ${provider.type} takes ${accepted.join(", ")}.`);
    }
    if (!(name in descriptor.settings)) {
      throw new ByomError(`${flagOf(name)} is not a setting \`prose byom edit\` changes.`, `Add the model with \`prose byom model add ${provider.id} MODEL\` instead.`);
    }
  }
  const merged: Record<string, string | undefined> = { ...(provider.settings as Record<string, string | undefined>) };
  for (const [name, value] of defined) {
    if (value.trim().toLowerCase() !== clearWord) {
      merged[name] = value;
      continue;
    }
    // `--base-url none`: an optional setting goes back to the type's default.
    if (descriptor.settings[name]?.optional !== true) throw new ByomError(`${capitalized(aOrAn(provider.type))} provider needs ${flagOf(name)}: it cannot be removed.`, descriptor.settings[name]?.kind === "url" ? `Give another value, for example ${flagOf(name)} ${descriptor.urlExample}.` : `Give another value with ${flagOf(name)}.`);
    delete merged[name];
  }
  return asByomError(() => descriptor.settingsFrom(merged, { primaryModel: primaryModel(provider) })) as ProviderConfig["settings"];
}

/** "rpm 60 → 120", "rpm 60 → none", "name "A" → "B"". */
export function describeEdit(change: EditedSetting): string {
  const show = (value: EditedSetting["from"]) => (value === null ? clearWord : typeof value === "string" ? `"${value}"` : String(value));
  return `${change.setting}: ${show(change.from)} → ${show(change.to)}`;
}
