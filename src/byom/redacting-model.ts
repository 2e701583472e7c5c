import type { GenerateRequest, GenerateResult, LanguageModel, ProviderType, StreamEvent } from "../llm/language-model.js";
import { ProviderError } from "../llm/provider-error.js";
import { redactSecrets } from "../llm/redact-secrets.js";

/**
 * An adapter whose failures never carry the credential it was built with, in any form: a second
 * guard, with every secret field of the stored value, behind the adapters' own redaction.
 */
export class RedactingModel implements LanguageModel {
  readonly providerId: string;
  readonly providerType: ProviderType;
  readonly model: string;

  constructor(
    private readonly adapter: LanguageModel,
    private readonly secrets: readonly string[],
  ) {
    this.providerId = adapter.providerId;
    this.providerType = adapter.providerType;
    this.model = adapter.model;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    try {
      return await this.adapter.generate(request);
    } catch (problem) {
      throw withoutSecrets(problem, this.secrets);
    }
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamEvent> {
    try {
      yield* this.adapter.stream(request);
    } catch (problem) {
      throw withoutSecrets(problem, this.secrets);
    }
  }
}

/** The error with every form of the secrets redacted from its message (and a ProviderError's provider message and code). */
export function withoutSecrets(problem: unknown, secrets: readonly string[]): unknown {
  if (!(problem instanceof Error) || secrets.length === 0) return problem;
  const message = redactSecrets(problem.message, secrets);
  if (problem instanceof ProviderError) {
    const providerMessage = problem.providerMessage === undefined ? undefined : redactSecrets(problem.providerMessage, secrets);
    const providerCode = problem.providerCode === undefined ? undefined : redactSecrets(problem.providerCode, secrets);
    if (message === problem.message && providerMessage === problem.providerMessage && providerCode === problem.providerCode) return problem;
    const { providerId, providerType, model, kind, status, isRetryable, retryAfterSeconds } = problem;
    return new ProviderError({ providerId, providerType, model, kind, status, isRetryable, retryAfterSeconds, providerMessage, providerCode }, message);
  }
  if (message !== problem.message) problem.message = message;
  return problem;
}
