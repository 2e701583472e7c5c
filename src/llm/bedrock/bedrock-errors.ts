import { providerErrorFromThrown } from "../call-failure.js";
import type { CallSignal } from "../call-signal.js";
import { isRecord, plainTextMessage } from "../http-error-body.js";
import {
  type ErrorContext,
  ProviderError,
  type ProviderErrorKind,
  providerErrorFromHttp,
  retryAfterSecondsFrom,
} from "../provider-error.js";

/**
 * The status each Bedrock exception stands for, used when none came with it
 * (exceptions inside an event stream), and the kind where the status misleads.
 */
const exceptions: Record<string, { status: number; kind?: ProviderErrorKind }> = {
  ValidationException: { status: 400 },
  AccessDeniedException: { status: 403 },
  UnrecognizedClientException: { status: 403, kind: "authentication" },
  InvalidSignatureException: { status: 403, kind: "authentication" },
  ExpiredTokenException: { status: 403, kind: "authentication" },
  ResourceNotFoundException: { status: 404 },
  ModelTimeoutException: { status: 408 },
  ModelErrorException: { status: 424, kind: "server" },
  ThrottlingException: { status: 429 },
  ModelNotReadyException: { status: 429, kind: "overloaded" },
  ServiceQuotaExceededException: { status: 400, kind: "quota-exhausted" },
  InternalServerException: { status: 500 },
  ModelStreamErrorException: { status: 424, kind: "server" },
  ServiceUnavailableException: { status: 503 },
};

/** AWS errors: the type in `x-amzn-errortype` (the SDK's error name), the body `{"message": …}`. */
export function bedrockProviderError(
  context: ErrorContext,
  error: unknown,
  signal: CallSignal,
  options: { duringStream?: boolean } = {},
): ProviderError {
  if (error instanceof ProviderError) return error;
  const serviceError = asServiceError(error);
  if (serviceError === undefined) return providerErrorFromThrown(context, error, signal, options);
  const known = exceptions[serviceError.name];
  const status = serviceError.status ?? known?.status;
  if (status === undefined) return providerErrorFromThrown(context, error, signal, options);
  return providerErrorFromHttp(context, {
    status,
    providerMessage: serviceError.message,
    providerCode: serviceError.name,
    retryAfterSeconds: retryAfterSecondsFrom(serviceError.headers),
    ...(known?.kind === undefined ? {} : { kind: known.kind }),
  });
}

interface ServiceError {
  name: string;
  status: number | undefined;
  message: string | undefined;
  headers: Record<string, string> | undefined;
}

/** The SDK's `ServiceException` shape: `$fault`, `$metadata.httpStatusCode`, and `$response` when an answer came. */
function asServiceError(error: unknown): ServiceError | undefined {
  if (!(error instanceof Error) || !("$fault" in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  const response = (error as { $response?: { statusCode?: unknown; headers?: unknown } }).$response;
  const status = typeof metadata?.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
  const headers = isRecord(response?.headers) ? (response.headers as Record<string, string>) : undefined;
  // A body that is not JSON leaves the SDK with a generic name and message.
  const message = error.name === "UnknownError" || error.message === "UnknownError" ? undefined : (plainTextMessage(error.message) ?? error.message);
  return { name: error.name, status, message, headers };
}
