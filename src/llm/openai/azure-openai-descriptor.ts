import { type ProviderDescriptor, ProviderSetupError, type SettingsSpec } from "../provider-descriptor.js";
import { adapterBasics, apiKeyCredential, checkedHttpUrl, isSet, nonEmpty } from "../provider-setup.js";
import { openAiDescriptor } from "./openai-descriptor.js";

/** The API version used when `byom add` or OPENAI_API_VERSION names none. */
export const defaultAzureApiVersion = "2024-10-21";

const urlExample = "https://NAME.openai.azure.com/";

/** OpenAI models deployed on an Azure resource: the deployment name is the model id. */
const settings = { endpoint: { kind: "url" }, apiVersion: { kind: "text" } } as const satisfies SettingsSpec;

export const azureOpenAiDescriptor: ProviderDescriptor<"azure-openai", typeof settings> = {
  type: "azure-openai",
  displayName: "Azure OpenAI",
  automatic: false,
  models: { known: openAiDescriptor.models.known, hint: "the deployment name, which must equal the model id", example: "gpt-4o-mini" },
  blockLine: { line: "azure model", placeholder: "<deployment name>" },
  settings,
  addOptions: {
    endpoint: { flag: "--endpoint <url>", help: `the resource's base URL (${urlExample})` },
    apiVersion: { flag: "--api-version <version>", help: `the API version (default ${defaultAzureApiVersion})` },
    deployment: { flag: "--deployment <name>", help: "the deployment name, which must equal the model id" },
  },
  settingsFrom: (options) => ({ endpoint: azureEndpoint(options.endpoint), apiVersion: options.apiVersion ?? defaultAzureApiVersion }),
  namedModels(options, named) {
    const deployment = options.deployment;
    if (deployment === undefined) return [...named];
    if (named.length === 0) return [deployment];
    if (named[0] !== deployment) {
      throw new ProviderSetupError(
        `The Azure deployment "${deployment}" is not named like its model "${named[0]}": Prose calls a deployment by the model id.`,
        `Name the deployment "${named[0]}" in Azure AI Foundry, or give --model ${deployment} when it serves that model.`,
      );
    }
    return [...named];
  },
  addExample: `--endpoint ${urlExample} --model DEPLOYMENT --api-key-env AZURE_OPENAI_API_KEY`,
  urlExample,
  credential: apiKeyCredential({ required: true }),
  errorHints: { notFound: `, that the deployment name equals the model id, and that the endpoint is the base resource URL (${urlExample})` },
  environment: {
    fix: `Azure OpenAI is not configured: set AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT (the base resource URL, ${urlExample}), or add a provider with \`prose byom add azure-openai --api-key-env VAR --endpoint URL\``,
    isConfigured: (environment) => isSet(environment, "AZURE_OPENAI_API_KEY") && isSet(environment, "AZURE_OPENAI_ENDPOINT"),
    read: async (environment, fail) => ({
      secret: nonEmpty(environment.AZURE_OPENAI_API_KEY) ?? fail("AZURE_OPENAI_API_KEY is not set"),
      settings: {
        endpoint: nonEmpty(environment.AZURE_OPENAI_ENDPOINT) ?? fail("AZURE_OPENAI_ENDPOINT is not set"),
        apiVersion: nonEmpty(environment.OPENAI_API_VERSION) ?? defaultAzureApiVersion,
      },
    }),
  },
  async create(input) {
    const { OpenAiLanguageModel } = await import("./openai-language-model.js");
    return new OpenAiLanguageModel({ ...adapterBasics(input), providerType: "azure-openai", apiKey: input.secret ?? "", endpoint: input.settings.endpoint, apiVersion: input.settings.apiVersion });
  },
};

/**
 * The Azure resource's base URL. A deployment's Target URI (…/openai/deployments/NAME/chat/completions?api-version=…)
 * is refused with the base URL to use instead, and the deployment it names must be the model.
 */
function azureEndpoint(endpoint: string | undefined): string {
  if (endpoint === undefined) {
    throw new ProviderSetupError("An azure-openai provider needs --endpoint, the resource's base URL.", `Copy it from the Azure portal (Keys and Endpoint), for example --endpoint ${urlExample}.`);
  }
  const url = new URL(checkedHttpUrl(endpoint, "--endpoint", urlExample));
  const deployment = /\/openai\/deployments\/([^/]+)/.exec(url.pathname)?.[1];
  if (url.pathname.replace(/\/+$/, "") !== "" || url.search !== "") {
    const named = deployment === undefined ? "" : ` (it names the deployment "${decodeURIComponent(deployment)}")`;
    throw new ProviderSetupError(`--endpoint must be the resource's base URL, not a deployment's Target URI${named}.`, `Use --endpoint ${url.origin}/ and name the deployment with --model.`);
  }
  return `${url.origin}/`;
}
