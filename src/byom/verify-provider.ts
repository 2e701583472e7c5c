import type { GenerateRequest, LanguageModel } from "../llm/language-model.js";
import { ProviderError } from "../llm/provider-error.js";
import type { ReasoningControl } from "../llm/reasoning-sent.js";
import { redactSecrets } from "../llm/redact-secrets.js";
import { type AdapterOptions, buildLanguageModel, credentialSecrets } from "./build-language-model.js";
import type { ProviderConfig } from "./config-schema.js";

export interface ModelVerification {
  model: string;
  ok: boolean;
  /** "ok", or the failure in plain words with its fix ("the key was rejected (401): check …"). */
  message: string;
  /** What the adapter adjusted, such as a model that cannot turn its reasoning off. */
  warnings: string[];
  status?: number;
  /**
   * What the test call sent about reasoning, as the adapter built it (src/llm/reasoning-sent.ts):
   * "off"; "lowest" when the model cannot turn it off; "low"; "default" when it accepts no lower
   * setting; "none" when the model (or server) has no reasoning control. Absent when no adapter was built.
   */
  reasoning?: ReasoningControl;
  /** The field sent (`reasoning_effort "minimal"`), or why none was. */
  reasoningDetail?: string;
}

/** The smallest useful call: a few tokens, no temperature, a short timeout. */
const minimalRequest: GenerateRequest = {
  messages: [{ role: "user", content: [{ type: "text", text: "Reply with the word OK." }] }],
  maxOutputTokens: 16,
  timeoutMilliseconds: 30_000,
};

/** One minimal call to one model with the given credential value. */
export async function verifyModel(provider: ProviderConfig, model: string, secret: string | undefined, options: AdapterOptions = {}): Promise<ModelVerification> {
  let reasoning: Pick<ModelVerification, "reasoning" | "reasoningDetail"> = {};
  try {
    const adapter = await buildLanguageModel(provider, model, secret, options);
    reasoning = reasoningOf(adapter);
    const result = await adapter.generate(minimalRequest);
    // Cut by the bound before any text (a reasoning model thinking): the model was reached all the same.
    const cut = result.text.trim() === "" ? [`The model answered the test call with no text: it reached the output token limit (${minimalRequest.maxOutputTokens} tokens) before writing any.`] : [];
    return { model, ok: true, message: "ok", warnings: [...result.warnings, ...cut], ...reasoning };
  } catch (problem) {
    // The adapters redact their errors; anything else said here is redacted with the credential too.
    const secrets = credentialSecrets(secret);
    // The model was reached with the credential: a test call of 16 tokens may end before any text (a reasoning model).
    if (problem instanceof ProviderError && problem.kind === "empty-answer") {
      return { model, ok: true, message: "ok", warnings: [`The model answered the test call with no text: ${redactSecrets(plainWords(problem), secrets)}`], ...reasoning };
    }
    if (problem instanceof ProviderError) {
      return { model, ok: false, message: redactSecrets(plainWords(problem), secrets), warnings: [], ...(problem.status === undefined ? {} : { status: problem.status }), ...reasoning };
    }
    return { model, ok: false, message: redactSecrets(problem instanceof Error ? problem.message : String(problem), secrets), warnings: [], ...reasoning };
  }
}

/** What the adapter sends about reasoning for the test call, by the same rule that built its request. */
function reasoningOf(adapter: LanguageModel): Pick<ModelVerification, "reasoning" | "reasoningDetail"> {
  const sent = adapter.reasoningSent?.(minimalRequest);
  return sent === undefined ? {} : { reasoning: sent.control, reasoningDetail: sent.detail };
}

/** One minimal call per model of the provider, one after the other. */
export async function verifyProvider(provider: ProviderConfig, secret: string | undefined, options: AdapterOptions = {}): Promise<ModelVerification[]> {
  const results: ModelVerification[] = [];
  for (const model of provider.models) results.push(await verifyModel(provider, model.id, secret, options));
  return results;
}

/** The error without its `Provider "…" (type), model "…": ` head, which the report already shows. */
function plainWords(error: ProviderError): string {
  const head = `Provider "${error.providerId}" (${error.providerType}), model "${error.model}": `;
  return error.message.startsWith(head) ? error.message.slice(head.length) : error.message;
}
