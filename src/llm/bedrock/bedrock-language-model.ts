import type { BedrockRuntimeClient, ContentBlock } from "@aws-sdk/client-bedrock-runtime";
import { defaultMaxAnswerBytes } from "../answer-checks.js";
import { callSignal } from "../call-signal.js";
import { buildResult, tokenCount } from "../generate-result.js";
import type { FinishReason, GenerateRequest, GenerateResult, LanguageModel, StreamEvent, Usage } from "../language-model.js";
import { type ErrorContext, providerErrorFromFailure } from "../provider-error.js";
import { unwrapJsonAnswer, withJsonAnswerTool } from "../structured-output-tool.js";
import { withoutAwsNodeVersionWarning } from "../aws-node-version-warning.js";
import { boundBedrockAnswers } from "./bedrock-answer-bound.js";
import { bedrockProviderError } from "./bedrock-errors.js";
import type { ReasoningOptions } from "../provider-setup.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { converseInput } from "./bedrock-request.js";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** `noTraining` has no request field here (src/llm/README.md, "Reasoning and retention"). */
export interface BedrockLanguageModelOptions extends ReasoningOptions {
  providerId: string;
  /** A model id, inference profile id or ARN. */
  model: string;
  region: string;
  /** Replaces the regional endpoint (https://bedrock-runtime.REGION.amazonaws.com). */
  endpoint?: string;
  /** Signing credentials; without them and without an API key, the SDK's default chain (profiles, roles) is used. */
  credentials?: AwsCredentials;
  /** A Bedrock API key, sent as a bearer token instead of signing. */
  apiKey?: string;
  /** The bound on one answer's size (10 MB by default): a larger answer is refused while it is read. */
  maxAnswerBytes?: number;
}

/** The Bedrock Converse API. */
export class BedrockLanguageModel implements LanguageModel {
  readonly providerId: string;
  readonly providerType = "bedrock" as const;
  readonly model: string;
  private readonly errorContext: ErrorContext;
  private client: Promise<{ client: BedrockRuntimeClient; sdk: typeof import("@aws-sdk/client-bedrock-runtime") }> | undefined;

  constructor(private readonly options: BedrockLanguageModelOptions) {
    this.providerId = options.providerId;
    this.model = options.model;
    const secrets = [options.credentials?.secretAccessKey, options.credentials?.sessionToken, options.apiKey].filter(
      (secret): secret is string => secret !== undefined && secret !== "",
    );
    this.errorContext = { providerId: this.providerId, providerType: this.providerType, model: this.model, secrets };
  }

  async generate(asked: GenerateRequest): Promise<GenerateResult> {
    // JSON mode is one forced tool here (structured-output-tool.ts); its answer is unwrapped below.
    const request = withJsonAnswerTool(asked);
    const signal = callSignal(request);
    try {
      const { client, sdk } = await this.sdkClient();
      const { input, warnings } = converseInput(request, this.model, this.options.reasoning);
      const output = await client.send(new sdk.ConverseCommand(input), { abortSignal: signal.signal });
      const content: ContentBlock[] = output.output?.message?.content ?? [];
      const structuredName = request.structuredOutput?.name;
      const toolUse = content.find((block) => block.toolUse?.name === structuredName)?.toolUse;
      return unwrapJsonAnswer(asked, buildResult(this.errorContext, {
        text: toolUse === undefined ? content.map((block) => block.text ?? "").join("") : JSON.stringify(toolUse.input),
        ...(content.length === 0 ? { noText: output.output?.message === undefined ? "the answer had no message" : "its content list was empty" } : {}),
        json: toolUse?.input,
        structured: structuredName !== undefined,
        usage: { inputTokens: tokenCount(output.usage?.inputTokens), outputTokens: tokenCount(output.usage?.outputTokens) },
        finishReason: finishReasonOf(output.stopReason, structuredName !== undefined),
        warnings,
      }));
    } catch (error) {
      throw bedrockProviderError(this.errorContext, error, signal);
    }
  }

  async *stream(asked: GenerateRequest): AsyncIterable<StreamEvent> {
    const request = withJsonAnswerTool(asked);
    const signal = callSignal(request);
    let started = false;
    try {
      const { client, sdk } = await this.sdkClient();
      const { input, warnings } = converseInput(request, this.model, this.options.reasoning);
      const output = await client.send(new sdk.ConverseStreamCommand(input), { abortSignal: signal.signal });
      started = true;
      const structured = request.structuredOutput !== undefined;
      let text = "";
      let stopReason: string | undefined;
      let usage: Usage = { inputTokens: undefined, outputTokens: undefined };
      for await (const event of output.stream ?? []) {
        const delta = event.contentBlockDelta?.delta;
        // Text for a plain answer; the tool input's JSON text for structured output.
        const piece = structured ? delta?.toolUse?.input : delta?.text;
        if (piece !== undefined && piece !== "") {
          text += piece;
          yield { type: "text-delta", text: piece };
        }
        if (event.messageStop) stopReason = event.messageStop.stopReason ?? "";
        if (event.metadata?.usage) {
          usage = { inputTokens: tokenCount(event.metadata.usage.inputTokens), outputTokens: tokenCount(event.metadata.usage.outputTokens) };
        }
      }
      if (stopReason === undefined) throw providerErrorFromFailure(this.errorContext, { kind: "stream-cut" });
      const result = buildResult(this.errorContext, { text, structured, usage, finishReason: finishReasonOf(stopReason, structured), warnings });
      yield { type: "finish", result: unwrapJsonAnswer(asked, result) };
    } catch (error) {
      throw bedrockProviderError(this.errorContext, error, signal, { duringStream: started });
    }
  }

  reasoningSent(asked: GenerateRequest): ReasoningSent {
    return converseInput(withJsonAnswerTool(asked), this.model, this.options.reasoning).reasoning;
  }

  private sdkClient() {
    this.client ??= this.createClient();
    return this.client;
  }

  private async createClient() {
    const sdk = await import("@aws-sdk/client-bedrock-runtime");
    const { region, endpoint, credentials, apiKey } = this.options;
    const client = withoutAwsNodeVersionWarning(
      () =>
        new sdk.BedrockRuntimeClient({
          region,
          maxAttempts: 1,
          ...(endpoint === undefined ? {} : { endpoint }),
          ...(apiKey === undefined
            ? credentials === undefined ? {} : { credentials }
            : { token: { token: apiKey }, authSchemePreference: ["httpBearerAuth"] }),
        }),
    );
    boundBedrockAnswers(client, { context: this.errorContext, maxBytes: this.options.maxAnswerBytes ?? defaultMaxAnswerBytes });
    return { client, sdk };
  }
}

/** With structured output, the forced tool call is the normal end of the answer. */
function finishReasonOf(reason: string | undefined, structured: boolean): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "tool_use":
      return structured ? "stop" : "tool";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "guardrail_intervened":
    case "content_filtered":
      return "content-filter";
    default:
      return "other";
  }
}
