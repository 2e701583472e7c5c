/**
 * Bedrock Converse and ConverseStream on 127.0.0.1, over cleartext HTTP/2 (the
 * SDK's default handler for this client is HTTP/2): recorded-shape answers,
 * event streams and AWS error answers.
 */
import { eventMessage, exceptionMessage } from "./aws-event-stream.js";
import { jsonResponse, type ScriptedResponse, type ScriptedServer, startScriptedServer } from "./scripted-server.js";

export function startBedrockServer(): Promise<ScriptedServer> {
  return startScriptedServer({ protocol: "http2" });
}

const requestIdHeader = { "x-amzn-requestid": "3f1c2a4e-9b7d-4f7e-8e0a-5c6d7e8f9a0b" };

function converse(content: unknown[], stopReason: string, input: number, output: number): ScriptedResponse {
  return jsonResponse(
    200,
    { metrics: { latencyMs: 593 }, output: { message: { content, role: "assistant" } }, stopReason, usage: { inputTokens: input, outputTokens: output, totalTokens: input + output } },
    requestIdHeader,
  );
}

export function bedrockText(text: string, options: { stopReason?: string; inputTokens?: number; outputTokens?: number } = {}): ScriptedResponse {
  return converse([{ text }], options.stopReason ?? "end_turn", options.inputTokens ?? 12, options.outputTokens ?? 4);
}

export function bedrockToolUse(name: string, input: unknown): ScriptedResponse {
  return converse([{ toolUse: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name, input } }], "tool_use", 402, 31);
}

/** Text deltas (or, with `toolName`, pieces of the tool input's JSON), then messageStop and metadata. */
export function bedrockStream(
  pieces: string[],
  options: { toolName?: string; stopReason?: string; cutAfter?: number; omitStop?: boolean; exception?: { type: string; message: string } } = {},
): ScriptedResponse {
  const tool = options.toolName;
  const chunks: Buffer[] = [eventMessage("messageStart", { p: "abcdefghij", role: "assistant" })];
  if (tool !== undefined) {
    chunks.push(eventMessage("contentBlockStart", { contentBlockIndex: 0, start: { toolUse: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: tool } }, p: "abc" }));
  }
  for (const piece of pieces) {
    const delta = tool === undefined ? { text: piece } : { toolUse: { input: piece } };
    chunks.push(eventMessage("contentBlockDelta", { contentBlockIndex: 0, delta, p: "abcdef" }));
  }
  if (options.exception !== undefined) {
    chunks.push(exceptionMessage(options.exception.type, options.exception.message));
  } else if (!options.omitStop) {
    chunks.push(eventMessage("contentBlockStop", { contentBlockIndex: 0, p: "abc" }));
    chunks.push(eventMessage("messageStop", { stopReason: options.stopReason ?? (tool === undefined ? "end_turn" : "tool_use"), p: "abc" }));
    chunks.push(eventMessage("metadata", { usage: { inputTokens: 10, outputTokens: pieces.length, totalTokens: 10 + pieces.length }, metrics: { latencyMs: 420 }, p: "abc" }));
  }
  return {
    status: 200,
    headers: { "content-type": "application/vnd.amazon.eventstream", ...requestIdHeader },
    chunks,
    ...(options.cutAfter === undefined ? {} : { cutAfter: options.cutAfter }),
  };
}

/** An AWS JSON error: the type in `x-amzn-errortype`, the body `{"message": …}`. */
export function bedrockError(status: number, errorType: string, message: string, headers: Record<string, string> = {}): ScriptedResponse {
  return jsonResponse(status, { message }, { "x-amzn-errortype": `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...requestIdHeader, ...headers });
}

export const bedrockErrors = {
  validation: () => bedrockError(400, "ValidationException", "The model returned the following errors: tool_choice is not supported by this model."),
  invalidKey: (echoed = "AKIA***") => bedrockError(403, "UnrecognizedClientException", `The security token included in the request is invalid. (${echoed})`),
  accessDenied: () => bedrockError(403, "AccessDeniedException", "You don't have access to the model with the specified model ID."),
  notFound: () => bedrockError(404, "ResourceNotFoundException", "Model not found."),
  throttled: (retryAfterSeconds?: number) =>
    bedrockError(429, "ThrottlingException", "Too many requests, please wait before trying again.", retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) }),
  serverError: () => bedrockError(500, "InternalServerException", "The system encountered an unexpected error during processing. Try your request again."),
  unavailable: () => bedrockError(503, "ServiceUnavailableException", "Bedrock is unable to process your request."),
  modelTimeout: () => bedrockError(408, "ModelTimeoutException", "Model has timed out in processing the request. Try your request again."),
  quotaExceeded: () => bedrockError(400, "ServiceQuotaExceededException", "Your request exceeds the service quota for your account."),
};
