import { AnthropicLanguageModel } from "../llm/anthropic/anthropic-language-model.js";
import { BedrockLanguageModel } from "../llm/bedrock/bedrock-language-model.js";
import { GoogleLanguageModel } from "../llm/google/google-language-model.js";
import type { ServiceAccountCredentials } from "../llm/google/vertex-auth.js";
import type { LanguageModel } from "../llm/language-model.js";
import { OpenAiLanguageModel } from "../llm/openai/openai-language-model.js";
import { ModelResolutionError } from "../llm/model-resolver.js";
import type { ProviderConfig } from "./config-schema.js";

export interface AdapterOptions {
  /** Used instead of the global fetch by the adapters that take one (tests). */
  fetch?: typeof fetch;
  /** The bound on one answer's size (PROSE_MAX_ANSWER_BYTES); the adapters' default (10 MB) otherwise. */
  maxAnswerBytes?: number;
}

/**
 * The adapter for one model of a provider configuration, with the credential value read from
 * the secret store (undefined for a provider without one). Adapters load their SDK on first call.
 */
export function buildLanguageModel(provider: ProviderConfig, model: string, secret: string | undefined, options: AdapterOptions = {}): LanguageModel {
  const bound = options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes };
  const common = { providerId: provider.id, model, ...bound, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) };
  const apiKey = secret ?? "";
  switch (provider.type) {
    case "openai":
      return new OpenAiLanguageModel({
        ...common,
        providerType: "openai",
        apiKey,
        ...(provider.settings.baseUrl === undefined ? {} : { baseURL: provider.settings.baseUrl }),
        ...(provider.settings.organization === undefined ? {} : { organization: provider.settings.organization }),
      });
    case "azure-openai":
      return new OpenAiLanguageModel({ ...common, providerType: "azure-openai", apiKey, endpoint: provider.settings.endpoint, apiVersion: provider.settings.apiVersion });
    case "custom":
      return new OpenAiLanguageModel({ ...common, providerType: "custom", baseURL: provider.settings.baseUrl, ...(secret === undefined ? {} : { apiKey: secret }) });
    case "anthropic":
      return new AnthropicLanguageModel({ ...common, apiKey, ...(provider.settings.baseUrl === undefined ? {} : { baseURL: provider.settings.baseUrl }) });
    case "gemini":
      return new GoogleLanguageModel({ ...common, providerType: "gemini", apiKey, ...(provider.settings.baseUrl === undefined ? {} : { baseUrl: provider.settings.baseUrl }) });
    case "vertex":
      return new GoogleLanguageModel({
        ...common,
        providerType: "vertex",
        credentials: storedJson(provider, secret) as ServiceAccountCredentials,
        project: provider.settings.projectId,
        location: provider.settings.location,
        ...(provider.settings.baseUrl === undefined ? {} : { baseUrl: provider.settings.baseUrl }),
      });
    case "bedrock": {
      const credential = storedJson(provider, secret) as { apiKey?: string; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string };
      return new BedrockLanguageModel({
        providerId: provider.id,
        model,
        ...bound,
        region: provider.settings.region,
        ...(provider.settings.endpoint === undefined ? {} : { endpoint: provider.settings.endpoint }),
        ...(credential.apiKey === undefined ? {} : { apiKey: credential.apiKey }),
        ...(credential.accessKeyId !== undefined && credential.secretAccessKey !== undefined
          ? { credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, ...(credential.sessionToken === undefined ? {} : { sessionToken: credential.sessionToken }) } }
          : {}),
      });
    }
  }
}

/**
 * The stored credential of a Vertex or Bedrock provider, which is JSON. JSON.parse's own message
 * quotes the text it could not read, so a damaged value fails with a message of its own.
 */
function storedJson(provider: ProviderConfig, secret: string | undefined): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret ?? "{}");
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed;
  throw new ModelResolutionError(
    `The credential of provider "${provider.id}" could not be used: the stored value is not the JSON a ${provider.type} provider needs (the secret store's entry may have been edited or damaged). Store it again with \`prose byom rotate ${provider.id} --credentials-file FILE\`.`,
  );
}

/** The fields of a stored JSON credential that are secret (a Vertex key's private key, Bedrock's AWS secret). */
const secretFields = ["apiKey", "secretAccessKey", "sessionToken", "private_key", "private_key_id"];

/** The values to redact from anything said about a call made with this credential: the whole value and its secret fields. */
export function credentialSecrets(secret: string | undefined): string[] {
  if (secret === undefined || secret === "") return [];
  const secrets = [secret];
  if (!secret.startsWith("{")) return secrets;
  try {
    const parsed = JSON.parse(secret) as Record<string, unknown>;
    for (const field of secretFields) if (typeof parsed[field] === "string") secrets.push(parsed[field]);
  } catch {
    // Not JSON: the whole value is the secret.
  }
  return secrets;
}
