import { type ProviderDescriptor, type SettingsSpec } from "../provider-descriptor.js";
import { adapterBasics, apiKeyCredential, isSet, nonEmpty, optional, optionalBaseUrl } from "../provider-setup.js";

/** OpenAI itself, through the chat completions API. */
const settings = { baseUrl: { kind: "url", optional: true }, organization: { kind: "text", optional: true } } as const satisfies SettingsSpec;

export const openAiDescriptor: ProviderDescriptor<"openai", typeof settings> = {
  type: "openai",
  displayName: "OpenAI",
  automatic: true,
  models: {
    default: "gpt-4.1-mini",
    known: ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini"],
    hint: "the model id",
    example: "gpt-4.1-mini",
  },
  blockLine: { line: "openai model", placeholder: "…" },
  settings,
  addOptions: {
    baseUrl: { flag: "--base-url <url>", help: "another API URL" },
    organization: { flag: "--organization <organization>", help: "the organization id" },
  },
  settingsFrom: (options) => ({ ...optionalBaseUrl(options), ...(options.organization === undefined ? {} : { organization: options.organization }) }),
  addExample: "--api-key-env OPENAI_API_KEY",
  urlExample: "https://…",
  credential: apiKeyCredential({ required: true }),
  environment: {
    fix: "No OpenAI key: set OPENAI_API_KEY (and OPENAI_BASE_URL for another server), or add a provider with `prose byom add openai --api-key-env VAR`",
    keyVariable: "OPENAI_API_KEY",
    isConfigured: (environment) => isSet(environment, "OPENAI_API_KEY"),
    read: async (environment, fail) => ({
      secret: nonEmpty(environment.OPENAI_API_KEY) ?? fail(),
      settings: { ...optional("baseUrl", environment.OPENAI_BASE_URL), ...optional("organization", environment.OPENAI_ORG_ID) },
    }),
  },
  async create(input) {
    const { OpenAiLanguageModel } = await import("./openai-language-model.js");
    const { baseUrl, organization } = input.settings;
    return new OpenAiLanguageModel({
      ...adapterBasics(input),
      providerType: "openai",
      apiKey: input.secret ?? "",
      ...(baseUrl === undefined ? {} : { baseURL: baseUrl }),
      ...(organization === undefined ? {} : { organization }),
    });
  },
};
