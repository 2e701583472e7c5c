import { type ProviderDescriptor, type SettingsSpec } from "../provider-descriptor.js";
import { adapterBasics, apiKeyCredential, isSet, nonEmpty, optional, optionalBaseUrl } from "../provider-setup.js";

export const geminiModels = ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash", "gemini-2.0-flash-lite"] as const;

/** Gemini through an AI Studio API key. */
const settings = { baseUrl: { kind: "url", optional: true } } as const satisfies SettingsSpec;

export const geminiDescriptor: ProviderDescriptor<"gemini", typeof settings> = {
  type: "gemini",
  displayName: "Gemini",
  automatic: true,
  models: { default: "gemini-2.5-flash", known: geminiModels, hint: "the model id", example: "gemini-2.5-flash" },
  blockLine: { line: "gemini model", placeholder: "…" },
  settings,
  addOptions: { baseUrl: { flag: "--base-url <url>", help: "another API URL" } },
  settingsFrom: (options) => optionalBaseUrl(options),
  addExample: "--api-key-env GEMINI_API_KEY",
  urlExample: "https://…",
  credential: apiKeyCredential({ required: true }),
  environment: {
    fix: "No Gemini key: set GEMINI_API_KEY (or GOOGLE_API_KEY), or add a provider with `prose byom add gemini --api-key-env VAR`",
    keyVariable: "GEMINI_API_KEY",
    isConfigured: (environment) => isSet(environment, "GEMINI_API_KEY", "GOOGLE_API_KEY"),
    read: async (environment, fail) => ({
      secret: nonEmpty(environment.GEMINI_API_KEY) ?? nonEmpty(environment.GOOGLE_API_KEY) ?? fail(),
      settings: optional("baseUrl", environment.GOOGLE_GEMINI_BASE_URL),
    }),
  },
  async create(input) {
    const { GoogleLanguageModel } = await import("./google-language-model.js");
    const { baseUrl } = input.settings;
    return new GoogleLanguageModel({ ...adapterBasics(input), providerType: "gemini", apiKey: input.secret ?? "", ...(baseUrl === undefined ? {} : { baseUrl }) });
  },
};
