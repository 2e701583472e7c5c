import type { LanguageModel } from "../llm/language-model.js";
import { providerDescriptor, providerDescriptors } from "../llm/provider-registry.js";
import type { ProviderConfig } from "./config-schema.js";

export interface AdapterOptions {
  /** Used instead of the global fetch by the adapters that take one (tests). */
  fetch?: typeof fetch;
  /** The bound on one answer's size (PROSE_MAX_ANSWER_BYTES); the adapters' default (10 MB) otherwise. */
  maxAnswerBytes?: number;
}

/**
 * The adapter for one model of a provider configuration, with the credential value read from
 * the secret store (undefined for a provider without one), built by the type's descriptor. The
 * adapter's module loads on the first build of its type, its SDK on its first call.
 */
export function buildLanguageModel(provider: ProviderConfig, model: string, secret: string | undefined, options: AdapterOptions = {}): Promise<LanguageModel> {
  return providerDescriptor(provider.type).create({
    providerId: provider.id,
    model,
    settings: provider.settings,
    secret,
    reasoning: provider.reasoning ?? "off",
    noTraining: provider.noTraining === true,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes }),
  });
}

/** The fields of a stored JSON credential that are secret (a Vertex key's private key, Bedrock's AWS secret), as the descriptors list them. */
const secretFields = [...new Set(providerDescriptors.flatMap((descriptor) => descriptor.credential.secretFields))];

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
