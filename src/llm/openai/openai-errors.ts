import { providerErrorFromThrown } from "../call-failure.js";
import type { CallSignal } from "../call-signal.js";
import { asStatusError, plainTextMessage, stringField } from "../http-error-body.js";
import {
  type ErrorContext,
  type ProviderError,
  providerErrorFromFailure,
  providerErrorFromHttp,
  retryAfterSecondsFrom,
} from "../provider-error.js";

/**
 * The OpenAI SDK keeps the `error` object of the body `{"error": {"message", "type", "code"}}`
 * on its `APIError`; a body that is not JSON only survives in the SDK's message.
 */
export function openAiProviderError(
  context: ErrorContext,
  error: unknown,
  signal: CallSignal,
  options: { duringStream?: boolean } = {},
): ProviderError {
  const statusError = asStatusError(error);
  if (statusError !== undefined) {
    const code = stringField(statusError.body, "code") ?? stringField(statusError.body, "type");
    const message = stringField(statusError.body, "message") ?? plainTextMessage(sdkMessageWithoutStatus(error, statusError.status));
    return providerErrorFromHttp(context, {
      status: statusError.status,
      providerMessage: message,
      providerCode: code,
      retryAfterSeconds: retryAfterSecondsFrom(statusError.headers),
      ...(code === "insufficient_quota" ? { kind: "quota-exhausted" as const } : {}),
    });
  }
  const streamedError = streamedErrorBody(error);
  if (streamedError !== undefined) {
    // An `{"error": …}` event inside a stream: the SDK raises it without a status.
    return providerErrorFromFailure(context, { kind: "server", detail: streamedError });
  }
  return providerErrorFromThrown(context, error, signal, options);
}

function sdkMessageWithoutStatus(error: unknown, status: number): string | undefined {
  const message = error instanceof Error ? error.message : undefined;
  return message?.startsWith(`${status} `) ? message.slice(String(status).length + 1) : undefined;
}

function streamedErrorBody(error: unknown): string | undefined {
  if (!(error instanceof Error) || !("error" in error) || ("status" in error && error.status !== undefined)) return undefined;
  const body = error.error;
  const message = stringField(body, "message");
  return message === undefined ? undefined : `the provider reported an error in the stream: ${message}`;
}
