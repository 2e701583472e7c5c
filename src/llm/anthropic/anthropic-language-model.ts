import type { Anthropic } from "@anthropic-ai/sdk";
import type { Message } from "@anthropic-ai/sdk/resources/messages";
import { defaultMaxAnswerBytes, unexpectedBody, unexpectedBodyFailure } from "../answer-checks.js";
import { boundedFetch } from "../bounded-fetch.js";
import { callSignal } from "../call-signal.js";
import { buildResult, tokenCount } from "../generate-result.js";
import type { FinishReason, GenerateRequest, GenerateResult, LanguageModel, StreamEvent, Usage } from "../language-model.js";
import { type ErrorContext, providerErrorFromFailure } from "../provider-error.js";
import { unwrapJsonAnswer, withJsonAnswerTool } from "../structured-output-tool.js";
import { anthropicProviderError } from "./anthropic-errors.js";
import type { ReasoningOptions } from "../provider-setup.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { messagesRequestBody } from "./anthropic-request.js";

/** `noTraining` has no request field here (src/llm/README.md, "Reasoning and retention"). */
export interface AnthropicLanguageModelOptions extends ReasoningOptions {
  providerId: string;
  model: string;
  apiKey: string;
  /** Defaults to https://api.anthropic.com. */
  baseURL?: string;
  fetch?: typeof fetch;
  /** The bound on one answer's size (10 MB by default): a larger answer is refused while it is read. */
  maxAnswerBytes?: number;
}

/** The Anthropic messages API. */
export class AnthropicLanguageModel implements LanguageModel {
  readonly providerId: string;
  readonly providerType = "anthropic" as const;
  readonly model: string;
  private readonly errorContext: ErrorContext;
  private client: Promise<Anthropic> | undefined;

  constructor(private readonly options: AnthropicLanguageModelOptions) {
    this.providerId = options.providerId;
    this.model = options.model;
    this.errorContext = { providerId: this.providerId, providerType: this.providerType, model: this.model, secrets: [options.apiKey] };
  }

  async generate(asked: GenerateRequest): Promise<GenerateResult> {
    // JSON mode is one forced tool here (structured-output-tool.ts); its answer is unwrapped below.
    const request = withJsonAnswerTool(asked);
    const signal = callSignal(request);
    try {
      const client = await this.sdkClient();
      const { body, warnings } = messagesRequestBody(request, this.model, this.options.reasoning);
      const message: Message = await client.messages.create({ ...body, stream: false }, { signal: signal.signal, maxRetries: 0 });
      // The SDK returns a body that is not JSON as a string, and any JSON object as it is.
      const unexpected = unexpectedBody(message, "content");
      if (unexpected !== undefined) throw unexpectedBodyFailure(this.errorContext, unexpected);
      const structuredName = request.structuredOutput?.name;
      const toolUse = message.content.find((block) => block.type === "tool_use" && block.name === structuredName);
      const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
      return unwrapJsonAnswer(asked, buildResult(this.errorContext, {
        text: toolUse?.type === "tool_use" ? JSON.stringify(toolUse.input) : text,
        ...(message.content.length === 0 ? { noText: "its content list was empty" } : {}),
        json: toolUse?.type === "tool_use" ? toolUse.input : undefined,
        structured: structuredName !== undefined,
        usage: { inputTokens: tokenCount(message.usage.input_tokens), outputTokens: tokenCount(message.usage.output_tokens) },
        finishReason: finishReasonOf(message.stop_reason, structuredName !== undefined),
        warnings,
      }));
    } catch (error) {
      throw anthropicProviderError(this.errorContext, error, signal);
    }
  }

  async *stream(asked: GenerateRequest): AsyncIterable<StreamEvent> {
    const request = withJsonAnswerTool(asked);
    const signal = callSignal(request);
    let started = false;
    try {
      const client = await this.sdkClient();
      const { body, warnings } = messagesRequestBody(request, this.model, this.options.reasoning);
      const events = await client.messages.create({ ...body, stream: true }, { signal: signal.signal, maxRetries: 0 });
      started = true;
      const structured = request.structuredOutput !== undefined;
      let text = "";
      let stopReason: string | null | undefined;
      let stopped = false;
      const usage: Usage = { inputTokens: undefined, outputTokens: undefined };
      for await (const event of events) {
        if (event.type === "message_start") {
          usage.inputTokens = tokenCount(event.message.usage.input_tokens);
          usage.outputTokens = tokenCount(event.message.usage.output_tokens);
        } else if (event.type === "content_block_delta") {
          // Text for a plain answer; the tool input's JSON text for structured output.
          const delta =
            event.delta.type === "text_delta" && !structured ? event.delta.text
            : event.delta.type === "input_json_delta" && structured ? event.delta.partial_json
            : "";
          if (delta !== "") {
            text += delta;
            yield { type: "text-delta", text: delta };
          }
        } else if (event.type === "message_delta") {
          stopReason = event.delta.stop_reason;
          usage.outputTokens = tokenCount(event.usage.output_tokens) ?? usage.outputTokens;
        } else if (event.type === "message_stop") {
          stopped = true;
        }
      }
      if (!stopped) throw providerErrorFromFailure(this.errorContext, { kind: "stream-cut" });
      const result = buildResult(this.errorContext, { text, structured, usage, finishReason: finishReasonOf(stopReason, structured), warnings });
      yield { type: "finish", result: unwrapJsonAnswer(asked, result) };
    } catch (error) {
      throw anthropicProviderError(this.errorContext, error, signal, { duringStream: started });
    }
  }

  reasoningSent(asked: GenerateRequest): ReasoningSent {
    return messagesRequestBody(withJsonAnswerTool(asked), this.model, this.options.reasoning).reasoning;
  }

  private sdkClient(): Promise<Anthropic> {
    this.client ??= this.createClient();
    return this.client;
  }

  private async createClient(): Promise<Anthropic> {
    const { Anthropic: AnthropicClient } = await import("@anthropic-ai/sdk");
    // The base URL is always passed so the SDK never reads ANTHROPIC_BASE_URL from process.env.
    return new AnthropicClient({
      apiKey: this.options.apiKey,
      baseURL: this.options.baseURL ?? "https://api.anthropic.com",
      maxRetries: 0,
      fetch: boundedFetch(this.options.fetch, { context: this.errorContext, maxBytes: this.options.maxAnswerBytes ?? defaultMaxAnswerBytes }),
    });
  }
}

/** With structured output, the forced tool call is the normal end of the answer. */
function finishReasonOf(reason: string | null | undefined, structured: boolean): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "tool_use":
      return structured ? "stop" : "tool";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
      return "content-filter";
    default:
      return "other";
  }
}
