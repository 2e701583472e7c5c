import type { OpenAI } from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { defaultMaxAnswerBytes, unexpectedBody, unexpectedBodyFailure } from "../answer-checks.js";
import { boundedFetch } from "../bounded-fetch.js";
import { callSignal } from "../call-signal.js";
import { buildResult, tokenCount } from "../generate-result.js";
import type { FinishReason, GenerateRequest, GenerateResult, LanguageModel, StreamEvent } from "../language-model.js";
import { type ErrorContext, providerErrorFromFailure } from "../provider-error.js";
import type { ReasoningOptions } from "../provider-setup.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { chatRequestBody } from "./openai-request.js";
import { openAiProviderError } from "./openai-errors.js";

interface CommonOptions extends ReasoningOptions {
  providerId: string;
  model: string;
  /** Used instead of the global `fetch`, for example by tests. */
  fetch?: typeof fetch;
  /** The bound on one answer's size (10 MB by default): a larger answer is refused while it is read. */
  maxAnswerBytes?: number;
}

export type OpenAiLanguageModelOptions = CommonOptions &
  (
    | { providerType: "openai"; apiKey: string; baseURL?: string; organization?: string }
    /** The endpoint is the base resource URL; the deployment name is the model id. */
    | { providerType: "azure-openai"; apiKey: string; endpoint: string; apiVersion: string }
    /** An OpenAI-compatible server; its key may be empty. */
    | { providerType: "custom"; apiKey?: string; baseURL: string }
  );

/** OpenAI chat completions, also for Azure OpenAI and OpenAI-compatible servers. */
export class OpenAiLanguageModel implements LanguageModel {
  readonly providerId: string;
  readonly providerType: "openai" | "azure-openai" | "custom";
  readonly model: string;
  private readonly errorContext: ErrorContext;
  private client: Promise<OpenAI> | undefined;

  constructor(private readonly options: OpenAiLanguageModelOptions) {
    this.providerId = options.providerId;
    this.providerType = options.providerType;
    this.model = options.model;
    const secrets = options.apiKey === undefined || options.apiKey === "" ? [] : [options.apiKey];
    this.errorContext = { providerId: this.providerId, providerType: this.providerType, model: this.model, secrets };
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const signal = callSignal(request);
    try {
      const client = await this.sdkClient();
      const { body, warnings } = this.requestBody(request);
      const completion: ChatCompletion = await client.chat.completions.create(
        { ...body, stream: false },
        { signal: signal.signal, maxRetries: 0 },
      );
      // The SDK returns a body that is not JSON as a string, and any JSON object as it is.
      const unexpected = unexpectedBody(completion, "choices");
      if (unexpected !== undefined) throw unexpectedBodyFailure(this.errorContext, unexpected);
      const choice = completion.choices[0];
      const refusal = choice?.message?.refusal ?? undefined;
      if (refusal !== undefined && refusal !== null) warnings.push(`The model refused: ${refusal}`);
      return buildResult(this.errorContext, {
        text: choice?.message?.content ?? "",
        ...(choice === undefined ? { noText: "the answer had no choices" } : choice.message?.content === null && !refusal ? { noText: "its content was null" } : {}),
        structured: request.structuredOutput !== undefined,
        usage: { inputTokens: tokenCount(completion.usage?.prompt_tokens), outputTokens: tokenCount(completion.usage?.completion_tokens) },
        finishReason: refusal ? "content-filter" : finishReasonOf(choice?.finish_reason),
        warnings,
      });
    } catch (error) {
      throw openAiProviderError(this.errorContext, error, signal);
    }
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamEvent> {
    const signal = callSignal(request);
    let started = false;
    try {
      const client = await this.sdkClient();
      const { body, warnings } = this.requestBody(request);
      const chunks = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { signal: signal.signal, maxRetries: 0 },
      );
      started = true;
      let text = "";
      let refusal = "";
      let finishReason: FinishReason | undefined;
      let usage = { inputTokens: undefined as number | undefined, outputTokens: undefined as number | undefined };
      for await (const chunk of chunks) {
        if (chunk.usage) usage = { inputTokens: tokenCount(chunk.usage.prompt_tokens), outputTokens: tokenCount(chunk.usage.completion_tokens) };
        const choice = chunk.choices[0];
        if (choice === undefined) continue;
        if (choice.delta?.refusal) refusal += choice.delta.refusal;
        const delta = choice.delta?.content;
        if (delta) {
          text += delta;
          yield { type: "text-delta", text: delta };
        }
        if (choice.finish_reason) finishReason = finishReasonOf(choice.finish_reason);
      }
      if (finishReason === undefined) throw providerErrorFromFailure(this.errorContext, { kind: "stream-cut" });
      if (refusal !== "") warnings.push(`The model refused: ${refusal}`);
      const result = buildResult(this.errorContext, {
        text,
        structured: request.structuredOutput !== undefined,
        usage,
        finishReason: refusal === "" ? finishReason : "content-filter",
        warnings,
      });
      yield { type: "finish", result };
    } catch (error) {
      throw openAiProviderError(this.errorContext, error, signal, { duringStream: started });
    }
  }

  reasoningSent(request: GenerateRequest): ReasoningSent {
    return this.requestBody(request).reasoning;
  }

  private requestBody(request: GenerateRequest): ReturnType<typeof chatRequestBody> {
    const { reasoning, noTraining } = this.options;
    return chatRequestBody(request, this.model, this.providerType, { ...(reasoning === undefined ? {} : { reasoning }), ...(noTraining === undefined ? {} : { noTraining }) });
  }

  private sdkClient(): Promise<OpenAI> {
    this.client ??= this.createClient();
    return this.client;
  }

  private async createClient(): Promise<OpenAI> {
    const { OpenAI: OpenAiClient, AzureOpenAI } = await import("openai");
    const options = this.options;
    // Every value is passed explicitly so that the SDK never falls back to process.env.
    const answers = { context: this.errorContext, maxBytes: options.maxAnswerBytes ?? defaultMaxAnswerBytes };
    const common = { maxRetries: 0, fetch: boundedFetch(options.fetch, answers), organization: null, project: null, webhookSecret: null };
    try {
      switch (options.providerType) {
        case "openai":
          return new OpenAiClient({ ...common, apiKey: options.apiKey, baseURL: options.baseURL ?? "https://api.openai.com/v1", organization: options.organization ?? null });
        case "azure-openai":
          return new AzureOpenAI({ ...common, apiKey: options.apiKey, baseURL: azureBaseUrl(options.endpoint), apiVersion: options.apiVersion });
        case "custom": {
          const keyless = options.apiKey === undefined || options.apiKey === "";
          return new OpenAiClient({
            ...common,
            apiKey: keyless ? "no-key" : options.apiKey,
            baseURL: options.baseURL,
            // A keyless server gets no Authorization header at all.
            ...(keyless ? { defaultHeaders: { Authorization: null } } : {}),
          });
        }
      }
    } catch (error) {
      throw providerErrorFromFailure(this.errorContext, { kind: "configuration", detail: error instanceof Error ? error.message : String(error) });
    }
  }
}

/**
 * The SDK reads OPENAI_BASE_URL when no base URL is given and then refuses an
 * endpoint, so the base URL is derived here from the endpoint.
 */
function azureBaseUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`the endpoint "${endpoint}" is not a URL; use the base resource URL (https://NAME.openai.azure.com/)`);
  }
  if (/\/(openai|deployments|chat)\b/.test(url.pathname) || url.searchParams.has("api-version")) {
    throw new Error(
      `the endpoint must be the base resource URL (https://NAME.openai.azure.com/), not a deployment's Target URI like ${url.origin}${url.pathname}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}/openai`;
}

function finishReasonOf(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "content_filter":
      return "content-filter";
    case "tool_calls":
    case "function_call":
      return "tool";
    default:
      return "other";
  }
}
