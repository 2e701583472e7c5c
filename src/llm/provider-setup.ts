import { ModelResolutionError } from "./model-resolver.js";
import { type CredentialFacts, type Environment, ProviderSetupError, type ReasoningLevel } from "./provider-descriptor.js";

/** Helpers the provider descriptors share: API keys, URLs, stored JSON, environment variables. */

/** The credential of a type that takes one API key on one line. */
export function apiKeyCredential(facts: { required: boolean; options?: string }): CredentialFacts {
  return {
    required: facts.required,
    noun: "an API key",
    options: facts.options ?? "--api-key-stdin, --api-key-env VAR or --credentials-file F",
    name: "API key",
    check(raw, from) {
      if (/[\r\n]/.test(raw)) throw new ProviderSetupError(`The API key read from ${from} spans several lines.`, "Give the key alone, on one line.");
      return raw;
    },
    hint: lastFour,
    absent: "(none)",
    secretFields: [],
  };
}

/** At most the last four characters of a secret, and only of a long one. */
export function lastFour(secret: string): string {
  return secret.length >= 12 ? `…${secret.slice(-4)}` : "(set)";
}

/** The URL given with `flag`, normalised; an English error naming an example when it is not http(s). */
export function checkedHttpUrl(value: string, flag: string, example: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new ProviderSetupError(`${flag} must be an http:// or https:// URL, and "${value}" is not one.`, `Write the full URL, for example ${flag} ${example}.`);
  }
  return url.href;
}

/** `{ baseUrl }` from `--base-url`, checked, or nothing. */
export function optionalBaseUrl(options: Readonly<Record<string, string | undefined>>, example = "https://…"): { baseUrl?: string } {
  return options.baseUrl === undefined ? {} : { baseUrl: checkedHttpUrl(options.baseUrl, "--base-url", example) };
}

export function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  if (!raw.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A stored credential that is JSON (Vertex, Bedrock). JSON.parse's own message quotes the text it
 * could not read, so a damaged value fails with a message of its own.
 */
export function storedJson(secret: string | undefined, type: string, providerId: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret ?? "{}");
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new ModelResolutionError(
    `The credential of provider "${providerId}" could not be used: the stored value is not the JSON a ${type} provider needs (the secret store's entry may have been edited or damaged). Store it again with \`prose byom rotate ${providerId} --credentials-file FILE\`.`,
  );
}

/** A variable's value, trimmed, or undefined when it is not set or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

export function isSet(environment: Environment, ...names: string[]): boolean {
  return names.some((name) => nonEmpty(environment[name]) !== undefined);
}

/** `{ [name]: value }` when the value is set and not empty, else nothing. */
export function optional<Name extends string>(name: Name, value: string | undefined): { [key in Name]?: string } {
  const set = nonEmpty(value);
  return (set === undefined ? {} : { [name]: set }) as { [key in Name]?: string };
}

/** "an openai provider", "a gemini provider": the type with its article. */
export function aOrAn(type: string): string {
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

export function capitalized(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

/** What every adapter takes besides its connection: the reasoning level and the no-training mark ("off" and false when absent). */
export interface ReasoningOptions {
  reasoning?: ReasoningLevel;
  noTraining?: boolean;
}

/** The adapter options every factory passes on: the provider id, the model, a test's fetch, the bound on answers, reasoning and no-training. */
export function adapterBasics(input: { providerId: string; model: string; fetch?: typeof fetch; maxAnswerBytes?: number } & ReasoningOptions): {
  providerId: string;
  model: string;
  fetch?: typeof fetch;
  maxAnswerBytes?: number;
} & ReasoningOptions {
  return {
    providerId: input.providerId,
    model: input.model,
    ...(input.fetch === undefined ? {} : { fetch: input.fetch }),
    ...(input.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: input.maxAnswerBytes }),
    ...(input.reasoning === undefined ? {} : { reasoning: input.reasoning }),
    ...(input.noTraining === undefined ? {} : { noTraining: input.noTraining }),
  };
}
