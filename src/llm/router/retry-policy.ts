import type { ProviderError } from "../provider-error.js";

/** How often, and how long apart, one model is tried again within a call. */
export interface RetryPolicy {
  /** Retries after the first attempt, on each model the call tries. */
  maxRetries: number;
  /** The ceiling of the first backoff; it doubles with each retry. */
  baseDelayMilliseconds: number;
  /** The backoff never grows beyond this. */
  maxDelayMilliseconds: number;
  /** A `Retry-After` longer than this is not waited for: the call moves on to the fallbacks. */
  maxRetryAfterMilliseconds: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  baseDelayMilliseconds: 500,
  maxDelayMilliseconds: 20_000,
  maxRetryAfterMilliseconds: 60_000,
};

/** The time each attempt may take when neither the call nor the provider configuration says. */
export const defaultTimeoutMilliseconds = 120_000;

/**
 * The wait before retry number `retry` (1 for the first retry): "full jitter", a random time
 * between 0 and min(max, base · 2^(retry−1)), so that calls failing together do not retry
 * together. A `Retry-After` is honoured: the wait is never shorter. Undefined when the provider
 * asks for a longer wait than the policy allows: the call should move on instead.
 */
export function retryDelay(policy: RetryPolicy, retry: number, error: ProviderError, random: () => number): number | undefined {
  const ceiling = Math.min(policy.maxDelayMilliseconds, policy.baseDelayMilliseconds * 2 ** (retry - 1));
  const jittered = Math.floor(random() * ceiling);
  if (error.retryAfterSeconds === undefined) return jittered;
  const retryAfter = Math.ceil(error.retryAfterSeconds * 1000);
  if (retryAfter > policy.maxRetryAfterMilliseconds) return undefined;
  return Math.max(retryAfter, jittered);
}

/**
 * What a failed attempt leads to: `retry` the same model (429, 408, 5xx, overloaded, connection,
 * timeout, cut stream, unreadable answer); `stop` the whole call at once (400, 401, 403, 404, 413:
 * trying elsewhere would not help, the message names the fix); `next`, the fallbacks without
 * retrying (no quota left, a broken configuration, an unknown failure); `cancelled` by the caller.
 */
export type FailureAction = "retry" | "stop" | "next" | "cancelled";

export function actionFor(error: ProviderError): FailureAction {
  if (error.kind === "aborted") return "cancelled";
  if (error.isRetryable) return "retry";
  switch (error.kind) {
    case "bad-request":
    case "authentication":
    case "permission":
    case "not-found":
    case "request-too-large":
      return "stop";
    default:
      return "next";
  }
}
