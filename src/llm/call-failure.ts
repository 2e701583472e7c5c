import type { CallSignal } from "./call-signal.js";
import { type ErrorContext, ProviderError, providerErrorFromFailure, scrubSecrets } from "./provider-error.js";

const connectionCodes: Record<string, string> = {
  ECONNRESET: "the connection was reset",
  ECONNREFUSED: "the connection was refused",
  ECONNABORTED: "the connection was aborted",
  EPIPE: "the connection was closed while sending",
  ETIMEDOUT: "the connection timed out",
  ENOTFOUND: "the host name was not found",
  EAI_AGAIN: "the host name could not be resolved",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  UND_ERR_SOCKET: "the connection was closed by the server",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_CLOSED: "the connection was closed",
  ERR_HTTP2_STREAM_ERROR: "the HTTP/2 stream was reset",
  ERR_HTTP2_SESSION_ERROR: "the HTTP/2 session was closed",
  ERR_HTTP2_GOAWAY_SESSION: "the HTTP/2 session was closed",
  ERR_HTTP2_INVALID_SESSION: "the HTTP/2 session was closed",
  ERR_STREAM_PREMATURE_CLOSE: "the connection closed before the answer was complete",
};

const connectionMessages: Array<[RegExp, string]> = [
  [/^terminated$/i, "the connection closed before the answer was complete"],
  [/other side closed/i, "the connection was closed by the server"],
  [/socket hang up/i, "the connection was closed by the server"],
  [/^connection error\.?$/i, "the connection failed"],
  [/premature close/i, "the connection closed before the answer was complete"],
  // The AWS SDK's HTTP/2 handler names this a TimeoutError, though the connection closed.
  [/http2 request did not get a response/i, "the connection closed without an answer"],
  [/aborted/i, "the connection was aborted"],
];

/**
 * Turns anything an SDK call threw, other than an HTTP error the adapter
 * already mapped, into a `ProviderError`: cancellation, timeout, a network
 * failure (a cut stream when it happened while reading one), an unreadable
 * answer, a failure of the answer checks (found along the error's causes), or,
 * last, an unknown failure with its message cleaned of secrets.
 */
export function providerErrorFromThrown(
  context: ErrorContext,
  error: unknown,
  signal: CallSignal,
  options: { duringStream?: boolean } = {},
): ProviderError {
  // Ours, thrown by the answer checks inside the SDK's fetch, which may wrap it ("Connection error.").
  for (const link of causeChain(error)) if (link instanceof ProviderError) return link;
  if (signal.timedOut()) {
    return providerErrorFromFailure(context, { kind: "timeout", detail: `no complete answer within ${signal.timeoutMilliseconds} ms` });
  }
  if (signal.cancelled()) return providerErrorFromFailure(context, { kind: "aborted" });
  if (error instanceof SyntaxError) {
    return providerErrorFromFailure(context, { kind: "malformed-response", detail: "its JSON is malformed" });
  }
  const connection = connectionFailure(error);
  if (connection !== undefined) {
    return providerErrorFromFailure(context, { kind: options.duringStream ? "stream-cut" : "connection", detail: connection });
  }
  if (isTimeout(error)) return providerErrorFromFailure(context, { kind: "timeout" });
  return providerErrorFromFailure(context, { kind: "unknown", detail: describeUnknown(error, context.secrets) });
}

function* causeChain(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

function isTimeout(error: unknown): boolean {
  for (const link of causeChain(error)) {
    const name = (link as { name?: unknown }).name;
    if (name === "TimeoutError" || name === "APIConnectionTimeoutError") return true;
  }
  return false;
}

function connectionFailure(error: unknown): string | undefined {
  // Codes first, anywhere in the chain: they are more precise than the SDKs' generic messages.
  for (const link of causeChain(error)) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === "string" && code in connectionCodes) return connectionCodes[code];
  }
  for (const link of causeChain(error)) {
    const message = (link as { message?: unknown }).message;
    if (typeof message !== "string") continue;
    const match = connectionMessages.find(([pattern]) => pattern.test(message.trim()));
    if (match !== undefined) return match[1];
  }
  return undefined;
}

function describeUnknown(error: unknown, secrets: readonly string[]): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const firstLine = scrubSecrets(message, secrets).split("\n")[0] ?? "";
  return firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine;
}
