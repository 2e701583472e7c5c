/**
 * Gemini generateContent and streamGenerateContent (`alt=sse`) on 127.0.0.1,
 * for the Gemini API and Vertex AI alike: recorded-shape answers and Google error bodies.
 */
import { jsonResponse, type ScriptedResponse, type ScriptedServer, startScriptedServer } from "./scripted-server.js";

export function startGeminiServer(): Promise<ScriptedServer> {
  return startScriptedServer();
}

const usage = (input: number, output: number, thoughts = 0) => ({
  promptTokenCount: input,
  candidatesTokenCount: output,
  totalTokenCount: input + output + thoughts,
  promptTokensDetails: [{ modality: "TEXT", tokenCount: input }],
  ...(thoughts === 0 ? {} : { thoughtsTokenCount: thoughts }),
});

function candidate(text: string, finishReason?: string) {
  return { content: { parts: [{ text }], role: "model" }, index: 0, ...(finishReason === undefined ? {} : { finishReason }) };
}

export function geminiText(
  text: string,
  options: { finishReason?: string; inputTokens?: number; outputTokens?: number; thoughtTokens?: number } = {},
): ScriptedResponse {
  return jsonResponse(200, {
    candidates: [candidate(text, options.finishReason ?? "STOP")],
    usageMetadata: usage(options.inputTokens ?? 8, options.outputTokens ?? 2, options.thoughtTokens),
    modelVersion: "gemini-2.5-flash",
    responseId: "mAitaLmkHPPlz7IPvtfUqQ4",
  });
}

/** A prompt blocked before any candidate. */
export function geminiBlocked(): ScriptedResponse {
  return jsonResponse(200, { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: usage(8, 0), modelVersion: "gemini-2.5-flash" });
}

/** One SSE event per piece; the last one carries the finish reason and the usage, unless `omitFinish`. */
export function geminiStream(
  pieces: string[],
  options: { finishReason?: string; cutAfter?: number; omitFinish?: boolean; inputTokens?: number; outputTokens?: number } = {},
): ScriptedResponse {
  const chunks = pieces.map((piece, index) => {
    const last = index === pieces.length - 1 && !options.omitFinish;
    const body = {
      candidates: [candidate(piece, last ? (options.finishReason ?? "STOP") : undefined)],
      usageMetadata: last ? usage(options.inputTokens ?? 8, options.outputTokens ?? pieces.length) : { promptTokenCount: options.inputTokens ?? 8, totalTokenCount: options.inputTokens ?? 8 },
      modelVersion: "gemini-2.5-flash",
      responseId: "mAitaLmkHPPlz7IPvtfUqQ4",
    };
    return `data: ${JSON.stringify(body)}\r\n\r\n`;
  });
  return {
    status: 200,
    headers: { "content-type": "text/event-stream", "content-disposition": "attachment" },
    chunks,
    ...(options.cutAfter === undefined ? {} : { cutAfter: options.cutAfter }),
  };
}

/** The Google error body: `{"error": {"code", "message", "status", "details"}}`. */
export function googleError(
  status: number,
  statusName: string,
  message: string,
  details: unknown[] = [],
  headers: Record<string, string> = {},
): ScriptedResponse {
  return jsonResponse(status, { error: { code: status, message, status: statusName, ...(details.length === 0 ? {} : { details }) } }, headers);
}

export const googleErrors = {
  badRequest: () => googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"responseJsonSchema\": Cannot find field."),
  invalidKey: (echoedKey = "AIza***") =>
    googleError(400, "INVALID_ARGUMENT", `API key not valid. Please pass a valid API key. (key: ${echoedKey})`, [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
    ]),
  unauthenticated: () => googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token."),
  permissionDenied: () =>
    googleError(403, "PERMISSION_DENIED", "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/demo/locations/us-central1/publishers/google/models/gemini-2.5-flash'"),
  notFound: () => googleError(404, "NOT_FOUND", "models/gemini-9 is not found for API version v1beta, or is not supported for generateContent."),
  /** Quota exhausted, with the delay in a RetryInfo detail (no Retry-After header). */
  rateLimitedWithRetryInfo: (delay: string) =>
    googleError(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: delay },
    ]),
  rateLimitedWithHeader: (seconds: number) =>
    googleError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", [], { "retry-after": String(seconds) }),
  serverError: () => googleError(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"),
  overloaded: () => googleError(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
};
