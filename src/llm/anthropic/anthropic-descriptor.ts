import { type ProviderDescriptor, type SettingsSpec } from "../provider-descriptor.js";
import { adapterBasics, apiKeyCredential, isSet, nonEmpty, optional, optionalBaseUrl } from "../provider-setup.js";

/** Anthropic's messages API. */
const settings = { baseUrl: { kind: "url", optional: true } } as const satisfies SettingsSpec;

export const anthropicDescriptor: ProviderDescriptor<"anthropic", typeof settings> = {
  type: "anthropic",
  displayName: "Anthropic",
  automatic: true,
  models: {
    default: "claude-haiku-4-5",
    known: ["claude-opus-4-1", "claude-opus-4-0", "claude-sonnet-4-5", "claude-sonnet-4-0", "claude-haiku-4-5", "claude-3-7-sonnet-latest", "claude-3-5-haiku-latest"],
    hint: "the model id",
    example: "claude-haiku-4-5",
  },
  blockLine: { line: "anthropic model", placeholder: "…" },
  settings,
  addOptions: { baseUrl: { flag: "--base-url <url>", help: "another API URL" } },
  settingsFrom: (options) => optionalBaseUrl(options),
  addExample: "--api-key-env ANTHROPIC_API_KEY",
  urlExample: "https://…",
  credential: apiKeyCredential({ required: true }),
  environment: {
    fix: "No Anthropic key: set ANTHROPIC_API_KEY, or add a provider with `prose byom add anthropic --api-key-env VAR`",
    keyVariable: "ANTHROPIC_API_KEY",
    isConfigured: (environment) => isSet(environment, "ANTHROPIC_API_KEY"),
    read: async (environment, fail) => ({ secret: nonEmpty(environment.ANTHROPIC_API_KEY) ?? fail(), settings: optional("baseUrl", environment.ANTHROPIC_BASE_URL) }),
  },
  async create(input) {
    const { AnthropicLanguageModel } = await import("./anthropic-language-model.js");
    const { baseUrl } = input.settings;
    return new AnthropicLanguageModel({ ...adapterBasics(input), apiKey: input.secret ?? "", ...(baseUrl === undefined ? {} : { baseURL: baseUrl }) });
  },
};
