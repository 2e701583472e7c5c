/**
 * OpenAI chat completions on 127.0.0.1 (also Azure OpenAI and OpenAI-compatible
 * servers): recorded-shape answers, streams and error bodies.
 */
import { jsonResponse, type ScriptedResponse, type ScriptedServer, serverSentEvents, startScriptedServer } from "./scripted-server.js";

export function startOpenAiServer(): Promise<ScriptedServer> {
  return startScriptedServer();
}

const usage = (input: number, output: number) => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
});

export function openAiCompletion(
  content: string | null,
  options: { finishReason?: string; inputTokens?: number; outputTokens?: number; refusal?: string; model?: string } = {},
): ScriptedResponse {
  return jsonResponse(
    200,
    {
      id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
      object: "chat.completion",
      created: 1741569952,
      model: options.model ?? "gpt-4o-mini-2024-07-18",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content, refusal: options.refusal ?? null, annotations: [] },
          logprobs: null,
          finish_reason: options.finishReason ?? "stop",
        },
      ],
      usage: usage(options.inputTokens ?? 19, options.outputTokens ?? 10),
      service_tier: "default",
      system_fingerprint: "fp_06737a9306",
    },
    { "x-request-id": "req_0d3b5b4e1f2a" },
  );
}

/** One chunk per piece of text, then the finish reason, the usage and `[DONE]`. */
export function openAiStream(
  pieces: string[],
  options: { finishReason?: string; inputTokens?: number; outputTokens?: number; cutAfter?: number; omitFinish?: boolean } = {},
): ScriptedResponse {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    data: {
      id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
      object: "chat.completion.chunk",
      created: 1741569952,
      model: "gpt-4o-mini-2024-07-18",
      system_fingerprint: "fp_06737a9306",
      choices,
      usage: null,
      ...extra,
    },
  });
  const events: Array<{ data: unknown }> = [
    chunk([{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }]),
    ...pieces.map((piece) => chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }])),
  ];
  if (!options.omitFinish) {
    events.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: options.finishReason ?? "stop" }]));
    events.push(chunk([], { usage: usage(options.inputTokens ?? 19, options.outputTokens ?? pieces.length) }));
    events.push({ data: "[DONE]" });
  }
  return serverSentEvents(events, options.cutAfter === undefined ? {} : { cutAfter: options.cutAfter });
}

/** The OpenAI error body: `{"error": {"message", "type", "param", "code"}}`. */
export function openAiError(
  status: number,
  error: { message: string; type: string; code?: string | null },
  headers: Record<string, string> = {},
): ScriptedResponse {
  return jsonResponse(status, { error: { message: error.message, type: error.type, param: null, code: error.code ?? null } }, headers);
}

export const openAiErrors = {
  badRequest: () =>
    openAiError(400, {
      message: "Invalid schema for response_format 'invoice': In context=(), 'additionalProperties' is required to be supplied and to be false.",
      type: "invalid_request_error",
      code: "invalid_json_schema",
    }),
  invalidKey: (echoedKey = "sk-abc***xyz") =>
    openAiError(401, {
      message: `Incorrect API key provided: ${echoedKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      type: "invalid_request_error",
      code: "invalid_api_key",
    }),
  rateLimited: (retryAfterSeconds: number) =>
    openAiError(
      429,
      {
        message: "Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1.",
        type: "requests",
        code: "rate_limit_exceeded",
      },
      { "retry-after": String(retryAfterSeconds) },
    ),
  quotaExhausted: () =>
    openAiError(429, {
      message: "You exceeded your current quota, please check your plan and billing details.",
      type: "insufficient_quota",
      code: "insufficient_quota",
    }),
  serverError: () =>
    openAiError(500, { message: "The server had an error while processing your request. Sorry about that!", type: "server_error" }),
  overloaded: () =>
    openAiError(503, { message: "The engine is currently overloaded, please try again later.", type: "server_error" }),
};
