import { providerErrorFromThrown } from "../call-failure.js";
import type { CallSignal } from "../call-signal.js";
import { asStatusError, isRecord, plainTextMessage, stringField } from "../http-error-body.js";
import { type ErrorContext, type ProviderError, providerErrorFromHttp, retryAfterSecondsFrom } from "../provider-error.js";

/** The HTTP status each error type stands for, used for errors that arrive inside a stream. */
const statusOfErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Anthropic error bodies: `{"type": "error", "error": {"type", "message"}, "request_id"}`. */
export function anthropicProviderError(
  context: ErrorContext,
  error: unknown,
  signal: CallSignal,
  options: { duringStream?: boolean } = {},
): ProviderError {
  const statusError = asStatusError(error);
  const body = statusError?.body ?? (error instanceof Error && "error" in error ? error.error : undefined);
  const inner = isRecord(body) ? body.error : undefined;
  const errorType = stringField(inner, "type");
  const status = statusError?.status ?? (errorType === undefined ? undefined : statusOfErrorType[errorType]);
  if (status === undefined) return providerErrorFromThrown(context, error, signal, options);
  const sdkMessage = error instanceof Error ? error.message : undefined;
  return providerErrorFromHttp(context, {
    status,
    providerMessage: stringField(inner, "message") ?? plainTextMessage(sdkMessage?.replace(/^\d{3} /, "")),
    providerCode: errorType,
    retryAfterSeconds: retryAfterSecondsFrom(statusError?.headers),
  });
}
