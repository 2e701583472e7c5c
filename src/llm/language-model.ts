/**
 * The one interface every provider adapter implements. Adapters only translate
 * a `GenerateRequest` into their SDK's call and the SDK's answer back into a
 * `GenerateResult`; retries, fallback and limits belong to the router.
 */

import type { ProviderType } from "./provider-registry.js";
import type { ReasoningSent } from "./reasoning-sent.js";

/** The provider types, derived from the descriptors of `provider-registry.ts`. */
export type { ProviderType };

export interface TextPart {
  type: "text";
  text: string;
}

export interface ImagePart {
  type: "image";
  /** For example `image/png` or `image/jpeg`. */
  mediaType: string;
  /** The image bytes, base64-encoded, without a `data:` prefix. */
  base64: string;
}

export type ContentPart = TextPart | ImagePart;

export type Message = { role: "user"; content: ContentPart[] } | { role: "assistant"; content: TextPart[] };

export interface StructuredOutput {
  /** A short identifier (letters, digits, `_` and `-`), used as the schema or tool name. */
  name: string;
  description?: string;
  /** A JSON Schema for an object. */
  jsonSchema: Record<string, unknown>;
}

export interface GenerateRequest {
  /** The system instructions. */
  system?: string;
  messages: Message[];
  /** LLM procedures always send it (0 unless the call's `the creativity` says otherwise). */
  temperature?: number;
  /** LLM procedures always send it (see src/llm/procedures/output-bound.ts). */
  maxOutputTokens?: number;
  /** When given, the model is asked for a JSON object that follows the schema. */
  structuredOutput?: StructuredOutput;
  /**
   * Without a schema: the answer is any JSON value, asked for in the provider's JSON mode
   * (OpenAI `json_object`, Gemini `application/json`; Anthropic and Bedrock one forced tool whose
   * `answer` is the value). The result's `text` is the JSON text and `json` the value.
   */
  jsonMode?: boolean;
  signal?: AbortSignal;
  /** Time allowed for the whole call, stream included (for each attempt, when the router retries). */
  timeoutMilliseconds?: number;
  /** Retries of a failed attempt on each model the router tries (`the retries are …`); adapters ignore it. */
  maxRetries?: number;
}

export type FinishReason = "stop" | "length" | "content-filter" | "tool" | "other";

export interface Usage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

export interface GenerateResult {
  /** The text the model produced; for structured output, the JSON text. */
  text: string;
  /** The parsed JSON object, when structured output was asked and the text parses. */
  json?: unknown;
  usage: Usage;
  finishReason: FinishReason;
  providerId: string;
  providerType: ProviderType;
  model: string;
  /** Settings the provider or model does not support, dropped or adjusted, in English. */
  warnings: string[];
}

export type StreamEvent =
  | { type: "text-delta"; text: string }
  /**
   * Only from the router: the stream broke after some text and the call is being tried again
   * (or on a fallback); the text so far is void, and the deltas that follow start the answer over.
   */
  | { type: "restart" }
  /** Always the last event of a stream that ended normally. */
  | { type: "finish"; result: GenerateResult };

export interface LanguageModel {
  readonly providerId: string;
  readonly providerType: ProviderType;
  readonly model: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Yields text deltas then one `finish` event; fails with a `ProviderError`. */
  stream(request: GenerateRequest): AsyncIterable<StreamEvent>;
  /** What the adapter sends about reasoning for this request (the provider adapters; not the wrappers): `byom verify` reports it. */
  reasoningSent?(request: GenerateRequest): ReasoningSent;
}

/** Who is being called, shared by an adapter's requests and errors. */
export interface ProviderIdentity {
  providerId: string;
  providerType: ProviderType;
  model: string;
}
