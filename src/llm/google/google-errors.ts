import { providerErrorFromThrown } from "../call-failure.js";
import type { CallSignal } from "../call-signal.js";
import { isRecord, plainTextMessage, stringField } from "../http-error-body.js";
import { type ErrorContext, type ProviderError, providerErrorFromHttp } from "../provider-error.js";

/**
 * Google error bodies: `{"error": {"code", "message", "status", "details": [...]}}`.
 * The SDK's `ApiError` keeps only the status and the body as JSON text in its
 * message; the Retry-After header is read by the adapter's fetch and passed in.
 */
export function googleProviderError(
  context: ErrorContext,
  error: unknown,
  signal: CallSignal,
  options: { duringStream?: boolean; retryAfterSeconds?: number } = {},
): ProviderError {
  if (error instanceof Error && error.name === "ApiError" && typeof (error as { status?: unknown }).status === "number") {
    return fromApiError(context, (error as Error & { status: number }).status, error.message, options.retryAfterSeconds);
  }
  const tokenFailure = tokenExchangeFailure(context, error);
  if (tokenFailure !== undefined) return tokenFailure;
  return providerErrorFromThrown(context, error, signal, options);
}

function fromApiError(context: ErrorContext, status: number, message: string, retryAfterHeader: number | undefined): ProviderError {
  const body = parseJson(message);
  const inner = isRecord(body) ? body.error : undefined;
  const details = isRecord(inner) && Array.isArray(inner.details) ? inner.details : [];
  const detailOf = (type: string) => details.find((detail) => stringField(detail, "@type")?.endsWith(type));
  const reason = stringField(detailOf("google.rpc.ErrorInfo"), "reason");
  const retryDelay = stringField(detailOf("google.rpc.RetryInfo"), "retryDelay");
  const providerMessage = stringField(inner, "message");
  return providerErrorFromHttp(context, {
    status,
    providerMessage: body === undefined ? undefined : providerMessage === undefined ? undefined : (plainTextMessage(providerMessage) ?? providerMessage),
    providerCode: reason ?? stringField(inner, "status"),
    retryAfterSeconds: retryAfterHeader ?? secondsOfDuration(retryDelay),
    // The Gemini API answers 400, not 401, to a key it does not know.
    ...(reason === "API_KEY_INVALID" ? { kind: "authentication" as const } : {}),
  });
}

/** The mark gaxios (google-auth-library's HTTP client) puts on its errors; their name is plain "Error". */
const gaxiosErrorMark = Symbol.for("gaxios-gaxios-error");

/** google-auth-library's failure to exchange the service account's signed token for an access token. */
function tokenExchangeFailure(context: ErrorContext, error: unknown): ProviderError | undefined {
  if (!(error instanceof Error) || !(gaxiosErrorMark in error)) return undefined;
  const response = (error as { response?: { status?: unknown; data?: unknown } }).response;
  if (typeof response?.status !== "number") return undefined;
  const description = stringField(response.data, "error_description") ?? stringField(response.data, "error");
  const status = response.status;
  return providerErrorFromHttp(context, {
    status,
    providerMessage: `the token exchange failed${description === undefined ? "" : `: ${description}`}`,
    providerCode: stringField(response.data, "error"),
    ...(status >= 400 && status < 500 && status !== 429 ? { kind: "authentication" as const } : {}),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A protobuf duration such as "3s" or "1.5s". */
function secondsOfDuration(duration: string | undefined): number | undefined {
  const match = duration === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(duration);
  return match === null ? undefined : Number.parseFloat(match[1] ?? "");
}
