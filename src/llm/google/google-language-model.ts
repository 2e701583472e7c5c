import type { GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { defaultMaxAnswerBytes } from "../answer-checks.js";
import { boundedFetch } from "../bounded-fetch.js";
import { type CallSignal, callSignal } from "../call-signal.js";
import { buildResult, tokenCount } from "../generate-result.js";
import type { FinishReason, GenerateRequest, GenerateResult, LanguageModel, StreamEvent, Usage } from "../language-model.js";
import { type ErrorContext, providerErrorFromFailure, retryAfterSecondsFrom } from "../provider-error.js";
import type { ReasoningOptions } from "../provider-setup.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { generateContentParts } from "./google-request.js";
import { googleProviderError } from "./google-errors.js";
import { defaultVertexLocation, missingCredentialField, type ServiceAccountCredentials, vertexAuthOptions } from "./vertex-auth.js";

/** `noTraining` has no request field here (src/llm/README.md, "Reasoning and retention"). */
interface CommonOptions extends ReasoningOptions {
  providerId: string;
  model: string;
  /** Replaces the default service URL (Gemini: https://generativelanguage.googleapis.com/). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** The bound on one answer's size (10 MB by default): a larger answer is refused while it is read. */
  maxAnswerBytes?: number;
}

export type GoogleLanguageModelOptions = CommonOptions &
  (
    | { providerType: "gemini"; apiKey: string }
    | { providerType: "vertex"; credentials: ServiceAccountCredentials; project: string; location?: string }
  );

/** Gemini through an AI Studio key, or through Vertex AI with a service account; both with @google/genai. */
export class GoogleLanguageModel implements LanguageModel {
  readonly providerId: string;
  readonly providerType: "gemini" | "vertex";
  readonly model: string;
  private readonly errorContext: ErrorContext;
  private client: Promise<GoogleGenAI> | undefined;

  constructor(private readonly options: GoogleLanguageModelOptions) {
    this.providerId = options.providerId;
    this.providerType = options.providerType;
    this.model = options.model;
    const secrets = options.providerType === "gemini" ? [options.apiKey] : [String(options.credentials.private_key ?? "")];
    this.errorContext = { providerId: this.providerId, providerType: this.providerType, model: this.model, secrets };
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const signal = callSignal(request);
    const answer = new AnswerHeaders(this.boundedFetch());
    try {
      const client = await this.sdkClient();
      const { contents, config, warnings } = generateContentParts(request, this.model, this.options.reasoning);
      const response = await client.models.generateContent({
        model: this.model,
        contents,
        config: { ...config, abortSignal: signal.signal, httpOptions: { fetch: answer.fetch } },
      });
      const candidate = response.candidates?.[0];
      return buildResult(this.errorContext, {
        text: textOf(response),
        noText: whyNoText(response),
        structured: request.structuredOutput !== undefined,
        usage: usageOf(response),
        finishReason: candidate === undefined && response.promptFeedback?.blockReason ? "content-filter" : finishReasonOf(candidate?.finishReason),
        warnings,
      });
    } catch (error) {
      throw this.providerError(error, signal, answer, false);
    }
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamEvent> {
    const signal = callSignal(request);
    const answer = new AnswerHeaders(this.boundedFetch());
    let started = false;
    try {
      const client = await this.sdkClient();
      const { contents, config, warnings } = generateContentParts(request, this.model, this.options.reasoning);
      const chunks = await client.models.generateContentStream({
        model: this.model,
        contents,
        config: { ...config, abortSignal: signal.signal, httpOptions: { fetch: answer.fetch } },
      });
      started = true;
      let text = "";
      let finishReason: FinishReason | undefined;
      let usage: Usage = { inputTokens: undefined, outputTokens: undefined };
      let last: GenerateContentResponse | undefined;
      for await (const chunk of chunks) {
        last = chunk;
        const delta = textOf(chunk);
        if (delta !== "") {
          text += delta;
          yield { type: "text-delta", text: delta };
        }
        if (chunk.usageMetadata) usage = usageOf(chunk);
        const reason = chunk.candidates?.[0]?.finishReason;
        if (reason) finishReason = finishReasonOf(reason);
        else if (chunk.promptFeedback?.blockReason) finishReason = "content-filter";
      }
      if (finishReason === undefined) throw providerErrorFromFailure(this.errorContext, { kind: "stream-cut" });
      const result = buildResult(this.errorContext, {
        text,
        structured: request.structuredOutput !== undefined,
        usage,
        finishReason,
        warnings,
        ...(last === undefined ? {} : { noText: whyNoText(last) }),
      });
      yield { type: "finish", result };
    } catch (error) {
      throw this.providerError(error, signal, answer, started);
    }
  }

  private providerError(error: unknown, signal: CallSignal, answer: AnswerHeaders, duringStream: boolean) {
    // Vertex's access token is a credential too, though the adapter never sees it except on the wire.
    const context = { ...this.errorContext, secrets: [...this.errorContext.secrets, ...answer.sentCredentials] };
    return googleProviderError(context, error, signal, { duringStream, retryAfterSeconds: retryAfterSecondsFrom(answer.headers) });
  }

  private boundedFetch(): typeof fetch {
    return boundedFetch(this.options.fetch, { context: this.errorContext, maxBytes: this.options.maxAnswerBytes ?? defaultMaxAnswerBytes });
  }

  reasoningSent(request: GenerateRequest): ReasoningSent {
    return generateContentParts(request, this.model, this.options.reasoning).reasoning;
  }

  private sdkClient(): Promise<GoogleGenAI> {
    this.client ??= this.createClient();
    return this.client;
  }

  /** Every setting is passed explicitly: the SDK otherwise reads GOOGLE_* and GEMINI_* variables from process.env. */
  private async createClient(): Promise<GoogleGenAI> {
    const options = this.options;
    if (options.providerType === "vertex") {
      const missing = missingCredentialField(options.credentials);
      if (missing !== undefined) {
        throw providerErrorFromFailure(this.errorContext, {
          kind: "configuration",
          detail: `the service-account JSON has no "${missing}"; download a key file for the service account (it holds client_email and private_key)`,
        });
      }
    }
    const { GoogleGenAI: GoogleClient } = await import("@google/genai");
    if (options.providerType === "gemini") {
      return new GoogleClient({
        vertexai: false,
        apiKey: options.apiKey,
        httpOptions: { baseUrl: options.baseUrl ?? "https://generativelanguage.googleapis.com/", ...fetchOption(options.fetch) },
      });
    }
    const location = options.location ?? defaultVertexLocation;
    return withoutConsoleDebug(
      () =>
        new GoogleClient({
          vertexai: true,
          project: options.project,
          location,
          googleAuthOptions: vertexAuthOptions(options.credentials, options.fetch),
          httpOptions: { baseUrl: options.baseUrl ?? vertexBaseUrl(location), ...fetchOption(options.fetch) },
        }),
    );
  }
}

/**
 * The SDK's errors drop the response headers, so each call goes through a fetch
 * that keeps the last response's headers (for Retry-After) and the credentials
 * sent (to keep them out of error messages).
 */
class AnswerHeaders {
  headers: Headers | undefined;
  readonly sentCredentials: string[] = [];
  readonly fetch: typeof fetch;
  constructor(baseFetch: typeof fetch | undefined) {
    this.fetch = async (input, init) => {
      const sent = new Headers(init?.headers);
      const authorization = sent.get("authorization")?.replace(/^Bearer\s+/i, "");
      if (authorization) this.sentCredentials.push(authorization);
      const response = await (baseFetch ?? globalThis.fetch)(input, init);
      this.headers = response.headers;
      return response;
    };
  }
}

/**
 * Given service-account credentials, the SDK's constructor always prints a
 * console.debug line (to standard output), which would corrupt a script's
 * output; the constructor is synchronous, so silencing it there is contained.
 */
function withoutConsoleDebug<T>(create: () => T): T {
  const debug = console.debug;
  console.debug = () => {};
  try {
    return create();
  } finally {
    console.debug = debug;
  }
}

function fetchOption(fetchImplementation: typeof fetch | undefined): { fetch?: typeof fetch } {
  return fetchImplementation === undefined ? {} : { fetch: fetchImplementation };
}

function vertexBaseUrl(location: string): string {
  if (location === "global") return "https://aiplatform.googleapis.com/";
  if (location === "us" || location === "eu") return `https://aiplatform.${location}.rep.googleapis.com/`;
  return `https://${location}-aiplatform.googleapis.com/`;
}

/** Why an answer (or a stream's last chunk) has no text, in Gemini's terms. */
function whyNoText(response: GenerateContentResponse): string {
  const candidate = response.candidates?.[0];
  const finish = candidate?.finishReason === undefined ? "" : ` (finish reason ${candidate.finishReason})`;
  if (candidate === undefined) {
    const blocked = response.promptFeedback?.blockReason;
    return blocked === undefined ? "the answer had no candidates" : `the prompt was blocked (${blocked})`;
  }
  if ((candidate.content?.parts ?? []).length === 0) return `its candidate had no parts${finish}`;
  return `its candidate had no text${finish}`;
}

/** The answer's text parts, without the model's thoughts. */
function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => (part.thought || typeof part.text !== "string" ? "" : part.text)).join("");
}

function usageOf(response: GenerateContentResponse): Usage {
  const metadata = response.usageMetadata;
  const candidates = tokenCount(metadata?.candidatesTokenCount);
  const thoughts = tokenCount(metadata?.thoughtsTokenCount) ?? 0;
  return { inputTokens: tokenCount(metadata?.promptTokenCount), outputTokens: candidates === undefined ? undefined : candidates + thoughts };
}

function finishReasonOf(reason: string | undefined): FinishReason {
  switch (reason) {
    case "STOP":
      return "stop";
    case "MAX_TOKENS":
      return "length";
    case "SAFETY":
    case "RECITATION":
    case "BLOCKLIST":
    case "PROHIBITED_CONTENT":
    case "SPII":
    case "IMAGE_SAFETY":
      return "content-filter";
    case "MALFORMED_FUNCTION_CALL":
    case "UNEXPECTED_TOOL_CALL":
      return "tool";
    default:
      return "other";
  }
}
