import { type ProviderDescriptor, ProviderSetupError, type SettingsSpec } from "../provider-descriptor.js";
import { adapterBasics, apiKeyCredential, checkedHttpUrl } from "../provider-setup.js";

const urlExample = "http://localhost:8000/v1";

/** An OpenAI-compatible server (vLLM, Ollama, LM Studio…), whose key may be empty. */
const settings = { baseUrl: { kind: "url" } } as const satisfies SettingsSpec;

export const customDescriptor: ProviderDescriptor<"custom", typeof settings> = {
  type: "custom",
  displayName: "Custom (OpenAI-compatible)",
  automatic: false,
  models: { known: [], hint: "the model name the server serves (see its /v1/models)", example: "llama-3.1-8b-instruct" },
  settings,
  addOptions: { baseUrl: { flag: "--base-url <url>", help: "the OpenAI-compatible API's URL" } },
  settingsFrom(options) {
    if (options.baseUrl === undefined) {
      throw new ProviderSetupError("A custom provider needs --base-url, the URL of its OpenAI-compatible API.", `For example --base-url ${urlExample} (vLLM, Ollama, LM Studio and others serve /v1).`);
    }
    return { baseUrl: checkedHttpUrl(options.baseUrl, "--base-url", urlExample) };
  },
  addExample: "--name NAME --base-url URL --model MODEL",
  urlExample,
  credential: apiKeyCredential({ required: false }),
  environment: {
    fix: "A custom provider needs a configuration: add one with `prose byom add custom --base-url URL`",
    isConfigured: () => false,
    read: async (_environment, fail) => fail(),
  },
  async create(input) {
    const { OpenAiLanguageModel } = await import("./openai-language-model.js");
    return new OpenAiLanguageModel({ ...adapterBasics(input), providerType: "custom", baseURL: input.settings.baseUrl, ...(input.secret === undefined ? {} : { apiKey: input.secret }) });
  },
};
