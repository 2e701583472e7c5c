/** The Anthropic messages API on 127.0.0.1: recorded-shape answers, event streams and error bodies. */
import { jsonResponse, type ScriptedResponse, type ScriptedServer, serverSentEvents, startScriptedServer } from "./scripted-server.js";

export function startAnthropicServer(): Promise<ScriptedServer> {
  return startScriptedServer();
}

const model = "claude-haiku-4-5-20251001";
const usage = (input: number, output: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  service_tier: "standard",
});

function message(content: unknown[], stopReason: string, input: number, output: number): ScriptedResponse {
  return jsonResponse(
    200,
    { id: "msg_01XFDUDYJgAACzvnptvVoYEL", type: "message", role: "assistant", model, content, stop_reason: stopReason, stop_sequence: null, usage: usage(input, output) },
    { "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy" },
  );
}

export function anthropicText(text: string, options: { stopReason?: string; inputTokens?: number; outputTokens?: number } = {}): ScriptedResponse {
  return message([{ type: "text", text }], options.stopReason ?? "end_turn", options.inputTokens ?? 12, options.outputTokens ?? 6);
}

/** The answer to a forced tool call: the structured output is the tool's input. */
export function anthropicToolUse(name: string, input: unknown, options: { inputTokens?: number; outputTokens?: number } = {}): ScriptedResponse {
  return message(
    [{ type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name, input }],
    "tool_use",
    options.inputTokens ?? 410,
    options.outputTokens ?? 28,
  );
}

/**
 * A stream of text deltas, or, with `toolName`, of the tool input's JSON pieces.
 * `omitStop` leaves out the message_delta and message_stop events.
 */
export function anthropicStream(
  pieces: string[],
  options: { toolName?: string; stopReason?: string; cutAfter?: number; omitStop?: boolean; inputTokens?: number; outputTokens?: number } = {},
): ScriptedResponse {
  const block = options.toolName === undefined ? { type: "text", text: "" } : { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: options.toolName, input: {} };
  const delta = (piece: string) => (options.toolName === undefined ? { type: "text_delta", text: piece } : { type: "input_json_delta", partial_json: piece });
  const events: Array<{ event: string; data: unknown }> = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: { id: "msg_01XFDUDYJgAACzvnptvVoYEL", type: "message", role: "assistant", content: [], model, stop_reason: null, stop_sequence: null, usage: usage(options.inputTokens ?? 25, 1) },
      },
    },
    { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: block } },
    { event: "ping", data: { type: "ping" } },
    ...pieces.map((piece) => ({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: delta(piece) } })),
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
  ];
  if (!options.omitStop) {
    const stopReason = options.stopReason ?? (options.toolName === undefined ? "end_turn" : "tool_use");
    events.push({ event: "message_delta", data: { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: options.outputTokens ?? pieces.length } } });
    events.push({ event: "message_stop", data: { type: "message_stop" } });
  }
  return serverSentEvents(events, options.cutAfter === undefined ? {} : { cutAfter: options.cutAfter });
}

/** An `event: error` inside a stream, after the message started. */
export function anthropicStreamError(type: string, message: string): ScriptedResponse {
  return serverSentEvents([
    { event: "message_start", data: { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", content: [], model, stop_reason: null, stop_sequence: null, usage: usage(10, 1) } } },
    { event: "error", data: { type: "error", error: { type, message } } },
  ]);
}

/** The Anthropic error body: `{"type": "error", "error": {"type", "message"}, "request_id"}`. */
export function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): ScriptedResponse {
  return jsonResponse(status, { type: "error", error: { type, message }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" }, headers);
}

export const anthropicErrors = {
  badRequest: () => anthropicError(400, "invalid_request_error", "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"),
  invalidKey: (echoedKey = "sk-ant-***") => anthropicError(401, "authentication_error", `invalid x-api-key: ${echoedKey}`),
  permission: () => anthropicError(403, "permission_error", "Your API key does not have permission to use the specified resource."),
  notFound: () => anthropicError(404, "not_found_error", "model: claude-nonexistent"),
  rateLimited: (retryAfterSeconds: number) =>
    anthropicError(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit.", { "retry-after": String(retryAfterSeconds) }),
  serverError: () => anthropicError(500, "api_error", "Internal server error"),
  overloaded: () => anthropicError(529, "overloaded_error", "Overloaded"),
};
