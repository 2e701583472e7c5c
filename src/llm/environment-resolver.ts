import { readFile } from "node:fs/promises";
import { maxAnswerBytesFrom } from "./answer-checks.js";
import { AnthropicLanguageModel } from "./anthropic/anthropic-language-model.js";
import { BedrockLanguageModel } from "./bedrock/bedrock-language-model.js";
import { GoogleLanguageModel } from "./google/google-language-model.js";
import { missingCredentialField, type ServiceAccountCredentials } from "./google/vertex-auth.js";
import type { LanguageModel, ProviderType } from "./language-model.js";
import { type ModelChoice, ModelResolutionError, type ModelResolver } from "./model-resolver.js";
import { OpenAiLanguageModel } from "./openai/openai-language-model.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** Tried in this order when a call names no provider; the others need a model named. */
const automaticTypes: ProviderType[] = ["openai", "anthropic", "gemini", "vertex"];

const defaultModels: Partial<Record<ProviderType, string>> = {
  openai: "gpt-4.1-mini",
  anthropic: "claude-haiku-4-5",
  gemini: "gemini-2.5-flash",
  vertex: "gemini-2.5-flash",
};

const displayNames: Record<ProviderType, string> = {
  openai: "OpenAI",
  "azure-openai": "Azure OpenAI",
  anthropic: "Anthropic",
  gemini: "Gemini",
  vertex: "Vertex AI",
  bedrock: "Bedrock",
  custom: "custom",
};

/** The variables each type needs, in the words of the error that names the fix. */
const fixes: Record<ProviderType, string> = {
  openai: "No OpenAI key: set OPENAI_API_KEY (and OPENAI_BASE_URL for another server), or add a provider with `prose byom add openai --api-key-env VAR`",
  anthropic: "No Anthropic key: set ANTHROPIC_API_KEY, or add a provider with `prose byom add anthropic --api-key-env VAR`",
  gemini: "No Gemini key: set GEMINI_API_KEY (or GOOGLE_API_KEY), or add a provider with `prose byom add gemini --api-key-env VAR`",
  "azure-openai":
    "Azure OpenAI is not configured: set AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT (the base resource URL, https://NAME.openai.azure.com/), or add a provider with `prose byom add azure-openai --api-key-env VAR --endpoint URL`",
  vertex:
    "Vertex AI is not configured: set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file and GOOGLE_CLOUD_PROJECT, or add a provider with `prose byom add vertex --credentials-file F --project-id P`",
  bedrock: "Bedrock is not configured: set AWS_REGION and AWS credentials, or add a provider with `prose byom add bedrock --region R --credentials-file F`",
  custom: "A custom provider needs a configuration: add one with `prose byom add custom --base-url URL`",
};

/**
 * The first resolver: providers come from the standard environment variables,
 * one per type, whose provider id is the type itself. The environment is passed
 * in, never read from process.env here. Adapters load their SDK only when called.
 */
export class EnvironmentModelResolver implements ModelResolver {
  private readonly models = new Map<string, Promise<LanguageModel>>();

  constructor(
    private readonly environment: Environment,
    /** `maxAnswerBytes` replaces PROSE_MAX_ANSWER_BYTES (the BYOM resolver reads it once for all its models). */
    private readonly options: { fetch?: typeof fetch; maxAnswerBytes?: number } = {},
  ) {}

  /** The provider types the environment configures, in the order tried when a call names none. */
  configuredTypes(): ProviderType[] {
    const env = this.environment;
    const configured: Array<[ProviderType, boolean]> = [
      ["openai", has(env.OPENAI_API_KEY)],
      ["anthropic", has(env.ANTHROPIC_API_KEY)],
      ["gemini", has(env.GEMINI_API_KEY) || has(env.GOOGLE_API_KEY)],
      ["vertex", has(env.GOOGLE_APPLICATION_CREDENTIALS)],
      ["azure-openai", has(env.AZURE_OPENAI_API_KEY) && has(env.AZURE_OPENAI_ENDPOINT)],
      ["bedrock", has(env.AWS_REGION) || has(env.AWS_DEFAULT_REGION)],
    ];
    return configured.filter(([, isConfigured]) => isConfigured).map(([type]) => type);
  }

  async resolve(choice: ModelChoice): Promise<LanguageModel> {
    const type = this.providerTypeOf(choice);
    const model = choice.model ?? defaultModels[type];
    if (model === undefined) {
      const line = type === "azure-openai" ? "the azure model is \"<deployment name>\"" : `the ${type} model is "…"`;
      throw new ModelResolutionError(`${displayNames[type]} has no default model: name one in the call with \`${line}\`.`);
    }
    const key = `${type}\u0000${model}`;
    let created = this.models.get(key);
    if (created === undefined) {
      created = this.create(type, model);
      this.models.set(key, created);
      created.catch(() => this.models.delete(key));
    }
    return created;
  }

  private providerTypeOf(choice: ModelChoice): ProviderType {
    const configured = this.configuredTypes();
    if (choice.providerId !== undefined) {
      const type = configured.find((candidate) => candidate === choice.providerId);
      if (type !== undefined) return type;
      const known = configured.length === 0 ? "none" : configured.map((id) => `"${id}"`).join(", ");
      throw new ModelResolutionError(
        `Unknown model provider "${choice.providerId}": the environment provides ${known}. Add it with \`prose byom add <type> --name ${choice.providerId} …\`.`,
      );
    }
    if (choice.providerType !== undefined) return choice.providerType;
    const automatic = automaticTypes.find((type) => configured.includes(type));
    if (automatic !== undefined) return automatic;
    throw new ModelResolutionError(
      "No model provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY, or add a provider with `prose byom add <type> --api-key-env VAR`.",
    );
  }

  private async create(type: ProviderType, model: string): Promise<LanguageModel> {
    const env = this.environment;
    const fetch = this.options.fetch;
    const maxAnswerBytes = this.options.maxAnswerBytes ?? maxAnswerBytesFrom(env);
    const fail = (detail?: string): never => {
      throw new ModelResolutionError(detail === undefined ? `${fixes[type]}.` : `${fixes[type]} (${detail}).`);
    };
    switch (type) {
      case "openai": {
        const apiKey = nonEmpty(env.OPENAI_API_KEY) ?? fail();
        return new OpenAiLanguageModel({ providerType: "openai", providerId: "openai", model, apiKey, fetch, maxAnswerBytes, ...optional("baseURL", env.OPENAI_BASE_URL), ...optional("organization", env.OPENAI_ORG_ID) });
      }
      case "azure-openai": {
        const apiKey = nonEmpty(env.AZURE_OPENAI_API_KEY) ?? fail("AZURE_OPENAI_API_KEY is not set");
        const endpoint = nonEmpty(env.AZURE_OPENAI_ENDPOINT) ?? fail("AZURE_OPENAI_ENDPOINT is not set");
        const apiVersion = nonEmpty(env.OPENAI_API_VERSION) ?? "2024-10-21";
        return new OpenAiLanguageModel({ providerType: "azure-openai", providerId: "azure-openai", model, apiKey, endpoint, apiVersion, fetch, maxAnswerBytes });
      }
      case "anthropic": {
        const apiKey = nonEmpty(env.ANTHROPIC_API_KEY) ?? fail();
        return new AnthropicLanguageModel({ providerId: "anthropic", model, apiKey, fetch, maxAnswerBytes, ...optional("baseURL", env.ANTHROPIC_BASE_URL) });
      }
      case "gemini": {
        const apiKey = nonEmpty(env.GEMINI_API_KEY) ?? nonEmpty(env.GOOGLE_API_KEY) ?? fail();
        return new GoogleLanguageModel({ providerType: "gemini", providerId: "gemini", model, apiKey, fetch, maxAnswerBytes, ...optional("baseUrl", env.GOOGLE_GEMINI_BASE_URL) });
      }
      case "vertex": {
        const credentials = await serviceAccount(nonEmpty(env.GOOGLE_APPLICATION_CREDENTIALS) ?? fail("GOOGLE_APPLICATION_CREDENTIALS is not set"), fail);
        const project = nonEmpty(env.GOOGLE_CLOUD_PROJECT) ?? credentials.project_id ?? fail("GOOGLE_CLOUD_PROJECT is not set");
        const location = nonEmpty(env.GOOGLE_CLOUD_LOCATION) ?? "us-central1";
        return new GoogleLanguageModel({ providerType: "vertex", providerId: "vertex", model, credentials, project, location, fetch, maxAnswerBytes, ...optional("baseUrl", env.GOOGLE_VERTEX_BASE_URL) });
      }
      case "bedrock": {
        const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? fail("AWS_REGION is not set");
        const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
        const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
        const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
        return new BedrockLanguageModel({
          providerId: "bedrock",
          model,
          region,
          maxAnswerBytes,
          ...optional("endpoint", env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME),
          ...optional("apiKey", env.AWS_BEARER_TOKEN_BEDROCK),
          ...(accessKeyId !== undefined && secretAccessKey !== undefined
            ? { credentials: { accessKeyId, secretAccessKey, ...optional("sessionToken", sessionToken) } }
            : {}),
        });
      }
      case "custom":
        return fail();
    }
  }
}

async function serviceAccount(path: string, fail: (detail: string) => never): Promise<ServiceAccountCredentials> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const reason = (error as { code?: string }).code === "ENOENT" ? "it does not exist" : error instanceof SyntaxError ? "it is not JSON" : "it cannot be read";
    return fail(`GOOGLE_APPLICATION_CREDENTIALS names ${path}, but ${reason}`);
  }
  const credentials = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Partial<ServiceAccountCredentials>;
  const missing = missingCredentialField(credentials);
  if (missing !== undefined) {
    return fail(`${path} is not a service-account key file: it has no "${missing}"`);
  }
  return credentials as ServiceAccountCredentials;
}

function has(value: string | undefined): boolean {
  return nonEmpty(value) !== undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** `{ [name]: value }` when the value is set and not empty, else nothing. */
function optional<Name extends string>(name: Name, value: string | undefined): { [key in Name]?: string } {
  const set = nonEmpty(value);
  return (set === undefined ? {} : { [name]: set }) as { [key in Name]?: string };
}
