import type { ProviderType } from "../llm/language-model.js";
import { ProviderSetupError } from "../llm/provider-descriptor.js";
import { type AnyProviderDescriptor, providerDescriptor, providerDescriptors } from "../llm/provider-registry.js";
import { aOrAn, capitalized } from "../llm/provider-setup.js";
import { ByomError } from "./byom-error.js";
import { type Limits, type ModelEntry, type ProviderConfig, type ReasoningLevel, reasoningLevels } from "./config-schema.js";

/** What `prose byom add <type>` was given, besides the secret. */
export interface ProviderOptions {
  name?: string;
  /** The type's own options (`--base-url`, `--endpoint`, …) by their camel-case names, as its descriptor lists them. */
  typeOptions: Readonly<Record<string, string | undefined>>;
  /** From --model, in order; the first is the primary model. */
  models: string[];
  fallbackModel?: string;
  rpm?: string;
  tpm?: string;
  concurrency?: string;
  /** Retries of a failed attempt on each model (the router's default, 2, when absent). */
  retries?: string;
  /** Seconds one attempt may take (the router's default, 120, when absent). */
  timeout?: string;
  /** `--reasoning off|low` (off when absent). */
  reasoning?: string;
  /** `--no-training`: the account neither retains nor trains on requests. */
  noTraining?: boolean;
}

/** A provider configuration before it gets an id, a credential version and timestamps. */
export interface ProviderDraft {
  name: string;
  type: ProviderType;
  settings: ProviderConfig["settings"];
  models: ModelEntry[];
  limits: Limits;
  reasoning?: ReasoningLevel;
  noTraining?: boolean;
  /** Kept, but worth a look: unknown model names. */
  warnings: string[];
}

/** One option of `prose byom add` that some types take: its camel-case name, flag and help, per type. */
export interface TypeOption {
  name: string;
  flag: string;
  help: string;
}

/**
 * Every type's own options, once each, in the registry's order; the help names the types that
 * take the option ("openai, anthropic: another API URL; custom: the OpenAI-compatible API's URL").
 */
export function typeOptions(): TypeOption[] {
  const options = new Map<string, { flag: string; helps: Map<string, string[]> }>();
  for (const descriptor of providerDescriptors) {
    for (const [name, option] of Object.entries(descriptor.addOptions)) {
      const entry = options.get(name) ?? { flag: option.flag, helps: new Map<string, string[]>() };
      entry.helps.set(option.help, [...(entry.helps.get(option.help) ?? []), descriptor.type]);
      options.set(name, entry);
    }
  }
  return [...options].map(([name, { flag, helps }]) => ({ name, flag, help: [...helps].map(([help, types]) => `${types.join(", ")}: ${help}`).join("; ") }));
}

/** `--base-url` for `baseUrl`. */
function flagOf(name: string): string {
  return (typeOptions().find((option) => option.name === name)?.flag ?? name).split(" ")[0];
}

/**
 * Checks the options against the type and builds the configuration's settings, models and limits.
 * `secret` is the checked credential, from which a Vertex provider takes its project.
 */
export function draftProvider(type: ProviderType, options: ProviderOptions, secret?: string): ProviderDraft {
  const descriptor = providerDescriptor(type);
  for (const [name, value] of Object.entries(options.typeOptions)) {
    if (value !== undefined && !(name in descriptor.addOptions)) {
      const accepted = Object.keys(descriptor.addOptions).map(flagOf).join(", ");
      throw new ByomError(`${capitalized(aOrAn(type))} provider does not use ${flagOf(name)}.`, `Leave it out; ${type} takes ${accepted}.`);
    }
  }
  return asByomError(() => {
    const models = modelsOf(descriptor, options);
    const primary = models[0].id;
    const warnings = models.filter((model) => !isKnownModel(type, model.id)).map((model) => unknownModelWarning(type, model.id));
    return {
      name: options.name?.trim() || `${descriptor.displayName} ${primary}`,
      type,
      settings: descriptor.settingsFrom(options.typeOptions, { primaryModel: primary, ...(secret === undefined ? {} : { secret }) }) as ProviderConfig["settings"],
      models,
      limits: limitsOf(options),
      ...(options.reasoning === undefined ? {} : { reasoning: parsedReasoning(options.reasoning) }),
      ...(options.noTraining === true ? { noTraining: true } : {}),
      warnings,
    };
  });
}

/** Runs a descriptor's check, turning its setup error into the BYOM error the commands print. */
export function asByomError<Result>(work: () => Result): Result {
  try {
    return work();
  } catch (problem) {
    if (problem instanceof ProviderSetupError) throw new ByomError(problem.message, problem.fix);
    throw problem;
  }
}

function modelsOf(descriptor: AnyProviderDescriptor, options: ProviderOptions): ModelEntry[] {
  const named = descriptor.namedModels?.(options.typeOptions, options.models) ?? [...options.models];
  if (named.length === 0) {
    const fallback = descriptor.models.default;
    if (fallback === undefined) throw new ByomError(`${capitalized(aOrAn(descriptor.type))} provider needs --model: ${descriptor.models.hint}.`, `For example --model ${descriptor.models.example}.`);
    named.push(fallback);
  }
  const models: ModelEntry[] = [];
  for (const [index, id] of named.entries()) {
    if (models.some((model) => model.id === id)) continue;
    models.push({ id, role: index === 0 ? "primary" : "available", verified: false });
  }
  if (options.fallbackModel !== undefined) {
    const existing = models.find((model) => model.id === options.fallbackModel);
    if (existing?.role === "primary") throw new ByomError(`"${options.fallbackModel}" is already the primary model; a fallback model must be another one.`, "Give --fallback-model another model.");
    if (existing) existing.role = "fallback";
    else models.push({ id: options.fallbackModel, role: "fallback", verified: false });
  }
  return models;
}

/** Whether a model is on the type's list (under the id it is listed as: a Bedrock inference profile is its model). */
export function isKnownModel(type: ProviderType, model: string): boolean {
  const { known, listedAs } = providerDescriptor(type).models;
  if (known.length === 0 || known.includes(model)) return true;
  return listedAs !== undefined && known.includes(listedAs(model));
}

export function unknownModelWarning(type: ProviderType, model: string): string {
  return `"${model}" is not ${aOrAn(type)} model Prose knows (known: ${providerDescriptor(type).models.known.join(", ")}); it is kept: check the name if \`prose byom verify\` fails.`;
}

function limitsOf(options: ProviderOptions): Limits {
  const limits: Limits = {};
  for (const [option, { field }] of Object.entries(limitOptions) as Array<[LimitOption, (typeof limitOptions)[LimitOption]]>) {
    const value = options[option];
    if (value !== undefined) limits[field] = parsedLimit(option, value);
  }
  return limits;
}

/** The options that set a limit, and the limit each sets. */
export const limitOptions = {
  rpm: { field: "requestsPerMinute", flag: "--rpm" },
  tpm: { field: "tokensPerMinute", flag: "--tpm" },
  concurrency: { field: "concurrency", flag: "--concurrency" },
  retries: { field: "maxRetries", flag: "--retries" },
  timeout: { field: "timeoutSeconds", flag: "--timeout" },
} as const satisfies Record<string, { field: keyof Limits; flag: string }>;
export type LimitOption = keyof typeof limitOptions;

/** One limit option's value, checked as `byom add` and `byom edit` check it. */
export function parsedLimit(option: LimitOption, value: string): number {
  const { flag } = limitOptions[option];
  const trimmed = value.trim();
  if (option === "retries") {
    if (!/^\d+$/.test(trimmed) || Number(trimmed) > 10) throw new ByomError(`--retries must be a whole number from 0 to 10, not "${value}".`, "For example --retries 2 (0 sends each model one attempt).");
    return Number(trimmed);
  }
  if (option === "timeout") {
    const seconds = Number(trimmed);
    if (!/^\d+(\.\d+)?$/.test(trimmed) || seconds <= 0 || seconds > 3600) {
      throw new ByomError(`--timeout must be a number of seconds above 0 (at most 3600), not "${value}".`, "For example --timeout 60.");
    }
    return seconds;
  }
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || !Number.isSafeInteger(Number(trimmed))) {
    throw new ByomError(`${flag} must be a whole number above 0, not "${value}".`, `For example ${flag} 60.`);
  }
  return Number(trimmed);
}

/** `--reasoning off|low`, checked. */
export function parsedReasoning(value: string): ReasoningLevel {
  const level = value.trim();
  if (!(reasoningLevels as readonly string[]).includes(level)) throw new ByomError(`--reasoning must be ${reasoningLevels.join(" or ")}, not "${value}".`, "For example --reasoning off (the least reasoning the model allows).");
  return level as ReasoningLevel;
}
