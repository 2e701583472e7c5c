import type { ProviderType } from "../llm/language-model.js";

/**
 * The data BYOM keeps per provider type: its name for people, the model used when `byom add`
 * names none, and a short list of known models. A model outside the list is allowed (providers
 * add models faster than this list changes) but `byom add` warns, listing these.
 */
export interface ProviderTypeFacts {
  displayName: string;
  /** Used when `byom add` names no model; undefined when the type needs one named. */
  defaultModel?: string;
  /** Empty for `custom`, whose server decides. */
  knownModels: readonly string[];
}

const openAiModels = ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini"];
const geminiModels = ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash", "gemini-2.0-flash-lite"];

export const providerTypeFacts: Record<ProviderType, ProviderTypeFacts> = {
  openai: { displayName: "OpenAI", defaultModel: "gpt-4.1-mini", knownModels: openAiModels },
  "azure-openai": { displayName: "Azure OpenAI", knownModels: openAiModels },
  anthropic: {
    displayName: "Anthropic",
    defaultModel: "claude-haiku-4-5",
    knownModels: ["claude-opus-4-1", "claude-opus-4-0", "claude-sonnet-4-5", "claude-sonnet-4-0", "claude-haiku-4-5", "claude-3-7-sonnet-latest", "claude-3-5-haiku-latest"],
  },
  gemini: { displayName: "Gemini", defaultModel: "gemini-2.5-flash", knownModels: geminiModels },
  vertex: { displayName: "Vertex AI", defaultModel: "gemini-2.5-flash", knownModels: geminiModels },
  bedrock: {
    displayName: "Bedrock",
    knownModels: [
      "anthropic.claude-3-5-haiku-20241022-v1:0",
      "anthropic.claude-3-7-sonnet-20250219-v1:0",
      "anthropic.claude-sonnet-4-20250514-v1:0",
      "amazon.nova-micro-v1:0",
      "amazon.nova-lite-v1:0",
      "amazon.nova-pro-v1:0",
      "meta.llama3-3-70b-instruct-v1:0",
      "mistral.mistral-large-2407-v1:0",
    ],
  },
  custom: { displayName: "Custom (OpenAI-compatible)", knownModels: [] },
};

export const providerTypes = Object.keys(providerTypeFacts) as ProviderType[];

export function isProviderType(value: string): value is ProviderType {
  return (providerTypes as string[]).includes(value);
}

/**
 * Whether a model is on the type's list. Bedrock cross-region inference profiles
 * (`us.`, `eu.`, `apac.`, `global.` before the model id) count as the model itself.
 */
export function isKnownModel(type: ProviderType, model: string): boolean {
  const known = providerTypeFacts[type].knownModels;
  if (known.length === 0 || known.includes(model)) return true;
  if (type === "bedrock") return known.includes(model.replace(/^(us|eu|apac|global|us-gov)\./, ""));
  return false;
}

/** "an openai provider", "a gemini provider": the type with its article. */
export function aOrAn(type: string): string {
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}
