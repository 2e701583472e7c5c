import type { LanguageModel } from "./language-model.js";

/**
 * Everything Prose knows about one provider type, in one object kept in the type's adapter folder
 * (`openai/openai-descriptor.ts`, …) and listed once in `provider-registry.ts`. The CLI, BYOM, the
 * environment resolver, the standard library and the error messages read these facts; none of
 * them switches on a type. A descriptor loads nothing heavy: its factory imports the adapter (and
 * the adapter its SDK) only when a model is built.
 */
export interface ProviderDescriptor<Type extends string = string, Spec extends SettingsSpec = SettingsSpec> {
  type: Type;
  /** For people: "OpenAI", "Azure OpenAI"; a new provider's default name starts with it. */
  displayName: string;
  /** Whether a call that names no provider may use this type when the environment configures it (in the registry's order). */
  automatic: boolean;
  models: {
    /** Used when `byom add` or the call names none; absent when the type needs one named. */
    default?: string;
    /** Models `byom add` accepts without a warning; empty when the server decides (custom). */
    known: readonly string[];
    /** The id under which a model is listed among the known models and in the price table, when it has another. */
    listedAs?(model: string): string;
    /** What `--model` is for this type, and an example, for the message when it is missing. */
    hint: string;
    example: string;
  };
  /** The block line that picks this type in a call (`the openai model is "…"`); absent when no line does. */
  blockLine?: { line: string; placeholder: string };
  /** The configuration's settings (checked when the agent file is read) and the `byom add` options that give them. */
  settings: Spec;
  addOptions: Readonly<Record<string, AddOption>>;
  /** The settings from `byom add`'s options, checked; fails with a `ProviderSetupError`. */
  settingsFrom(options: Readonly<Record<string, string | undefined>>, context: SetupContext): SettingsOf<Spec>;
  /** Turns the models named with `--model` into the models kept (Azure: `--deployment` is the model). */
  namedModels?(options: Readonly<Record<string, string | undefined>>, named: readonly string[]): string[];
  /** The options that follow `prose byom add <type>` in a message naming the command that fixes a call. */
  addExample: string;
  /** The example in the message for a URL that is not http(s). */
  urlExample: string;
  credential: CredentialFacts;
  /** Words added to a provider error of this type. */
  errorHints?: { permission?: string; notFound?: string };
  environment: EnvironmentFacts<SettingsOf<Spec>>;
  /** The adapter for one model; it (and its SDK) is loaded on the first call of this function. */
  create(input: ModelInput<SettingsOf<Spec>>): Promise<LanguageModel>;
}

/** One setting of a provider configuration: a text or an http(s) URL. */
export interface SettingSpec {
  kind: "text" | "url";
  optional?: boolean;
}
export type SettingsSpec = Readonly<Record<string, SettingSpec>>;

/** The settings object a spec describes: required settings as strings, optional ones may be absent. */
export type SettingsOf<Spec extends SettingsSpec> = Flatten<
  { [Name in keyof Spec as Spec[Name]["optional"] extends true ? never : Name]: string } & {
    [Name in keyof Spec as Spec[Name]["optional"] extends true ? Name : never]?: string;
  }
>;
type Flatten<T> = { [Key in keyof T]: T[Key] };

/** An option of `prose byom add` for this type, keyed in `addOptions` by its camel-case name (`baseUrl`). */
export interface AddOption {
  /** As commander takes it: `--base-url <url>`. */
  flag: string;
  help: string;
}

export interface SetupContext {
  /** The first `--model`, or the type's default model. */
  primaryModel: string;
  /** The checked credential value, when one was given (Vertex reads the project from it). */
  secret?: string;
}

export interface CredentialFacts {
  /** Whether a provider of this type cannot work without a secret. */
  required: boolean;
  /** What `byom add` asks for when none was given ("an API key"), and the options that give it. */
  noun: string;
  options: string;
  /** Its name in an error ("API key", "AWS credentials"). */
  name: string;
  /** The value to store from the text read, checked; `from` names the source. Fails with a `ProviderSetupError`. */
  check(raw: string, from: string): string;
  /** What `byom list` and `show` print of a stored value: never more than its last four characters. */
  hint(stored: string): string;
  /** What they print when the provider has no secret. */
  absent: string;
  /** Fields of a stored JSON value that are secret, redacted from anything said about a call. */
  secretFields: readonly string[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** How the standard environment variables configure this type (its provider id is then the type). */
export interface EnvironmentFacts<Settings> {
  /** The sentence that names the variables to set (and the `byom add` alternative). */
  fix: string;
  /** The variable holding this type's API key, named when no provider is configured at all. */
  keyVariable?: string;
  isConfigured(environment: Environment): boolean;
  /** The settings and credential the variables give; `fail` ends with the fix (and a detail). */
  read(environment: Environment, fail: (detail?: string) => never): Promise<{ settings: Settings; secret?: string }>;
}

/**
 * How much a model may reason: `off` turns reasoning or thinking off, or to the least the model
 * allows; `low` asks for the provider's low effort. Each adapter sends what its provider supports
 * and nothing for a model without such a control (src/llm/README.md, "Reasoning and retention").
 */
export const reasoningLevels = ["off", "low"] as const;
export type ReasoningLevel = (typeof reasoningLevels)[number];

export interface ModelInput<Settings> {
  providerId: string;
  model: string;
  settings: Settings;
  /** The credential as stored (an API key, or JSON); undefined for a provider without one. */
  secret: string | undefined;
  /** Used instead of the global fetch by the adapters that take one (tests). */
  fetch?: typeof fetch;
  /** The bound on one answer's size; the adapters' default (10 MB) otherwise. */
  maxAnswerBytes?: number;
  /** "off" when absent. */
  reasoning?: ReasoningLevel;
  /** The provider is marked no-training: send the provider's retention opt-out where it has one. */
  noTraining?: boolean;
}

/**
 * A mistake in what was given to set a provider up, which the user can fix: the message says what
 * is wrong, `fix` what to do. Neither ever holds a secret value.
 */
export class ProviderSetupError extends Error {
  override readonly name = "ProviderSetupError";
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}
